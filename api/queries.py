"""
What each endpoint reads: a fixed number of queries whatever the page size
(select_related for single rows, one Prefetch per list), and published
reviews only, through ``Review.objects.published()`` wherever a review is
reached, directly or through a film or a person.
"""

from collections import namedtuple
from datetime import UTC

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from api.search import matching_film_ids
from people.models import AuthorProfile, Person
from reviews.models import Credit, CriticQuote, Film, Genre, Review
from reviews.models.catalogue import facts_prefetches


def published():
    return Review.objects.published()


def newest_first(reviews):
    return reviews.order_by("-published_at", "-pk")


# --- Filters ----------------------------------------------------------------------


def _credits(film_ref, params):
    """Exists() clauses on the film's credits for ``director`` and ``person``."""
    clauses = []
    if params.director:
        directs = Credit.objects.filter(
            film=OuterRef(film_ref), person__slug=params.director, role=Credit.Role.DIRECTOR
        )
        clauses.append(Exists(directs))
    if params.person:
        credited = Credit.objects.filter(film=OuterRef(film_ref), person__slug=params.person)
        clauses.append(Exists(credited))
    return clauses


def _film_facts(prefix, params):
    """Q on the film's own columns and relations: genre, country, year range."""
    q = Q()
    if params.genre:
        genres = Genre.objects.filter(Q(slug=params.genre) | Q(parent__slug=params.genre))
        films = Film.objects.filter(genres__in=genres).values("pk")
        q &= Q(**{f"{prefix}pk__in" if prefix else "pk__in": films})
    if params.country:
        films = Film.objects.filter(countries__code=params.country.upper()).values("pk")
        q &= Q(**{f"{prefix}pk__in" if prefix else "pk__in": films})
    if params.year_min is not None:
        q &= Q(**{f"{prefix}year__gte": params.year_min})
    if params.year_max is not None:
        q &= Q(**{f"{prefix}year__lte": params.year_max})
    return q


def _review_facts(params):
    """Q on a review's own fields: author, tag, rating range."""
    q = Q()
    if params.author:
        q &= Q(author__slug=params.author)
    if params.tag:
        q &= Q(tags__slug=params.tag)
    if params.rating_min is not None:
        q &= Q(rating__gte=params.rating_min)
    if params.rating_max is not None:
        q &= Q(rating__lte=params.rating_max)
    return q


def aware(moment):
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


REVIEW_ORDER = {
    "published_at": ["published_at", "pk"],
    "rating": ["rating", "published_at", "pk"],
    "title": ["film__title", "film__year", "pk"],
}
# Unrated reviews and films without a review come last, whichever the direction.
NULLABLE = {"rating", "latest_review_at", "average_rating"}


def _ordering(order, columns):
    descending = order.startswith("-")
    ordering = []
    for name in columns[order.lstrip("-")]:
        column = F(name)
        if name in NULLABLE:
            ordering.append(
                column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
            )
        else:
            ordering.append(column.desc() if descending else column.asc())
    return ordering


def review_list(params):
    reviews = published().filter(*_credits("film", params), _film_facts("film__", params))
    reviews = reviews.filter(_review_facts(params))
    if params.film:
        reviews = reviews.filter(film__slug=params.film)
    if params.updated_since:
        reviews = reviews.filter(updated_at__gte=aware(params.updated_since))
    return reviews.order_by(*_ordering(params.order, REVIEW_ORDER))


def _latest_review(field):
    return Subquery(newest_first(published().filter(film=OuterRef("pk"))).values(field)[:1])


FILM_ORDER = {
    "title": ["title", "year", "pk"],
    "year": ["year", "title", "pk"],
    "published_at": ["latest_review_at", "title", "pk"],
    "rating": ["average_rating", "title", "pk"],
}


def film_list(params):
    films = Film.objects.filter(*_credits("pk", params), _film_facts("", params))
    reviewed = _review_facts(params)
    if reviewed:
        films = films.filter(Exists(published().filter(reviewed, film=OuterRef("pk"))))
    if params.updated_since:
        films = films.filter(updated_at__gte=aware(params.updated_since))
    if params.q:
        films = films.filter(pk__in=matching_film_ids(params.q))
    key = params.order.lstrip("-")
    if key == "published_at":
        films = films.annotate(latest_review_at=_latest_review("published_at"))
    elif key == "rating":
        average = (
            published()
            .filter(film=OuterRef("pk"))
            .order_by()
            .values("film")
            .annotate(average=Avg("rating"))
            .values("average")
        )
        films = films.annotate(average_rating=Subquery(average))
    return films.order_by(*_ordering(params.order, FILM_ORDER))


# --- Loading what a page shows -------------------------------------------------------


# The columns serialize.review() reads: a list of a hundred loads no other (the
# review's search and social fields, the film's facts, the author's profile).
REVIEW_COLUMNS = (
    "slug",
    "headline",
    "standfirst",
    "rating",
    "rating_count",
    "rating_total",
    "hero_image",
    "hero_image_alt",
    "hero_image_credit",
    "published_at",
    "updated_at",
    "film",
    "author",
)
FILM_REF_COLUMNS = ("film__slug", "film__title", "film__year")
AUTHOR_REF_COLUMNS = ("author__slug", "author__display_name")


def load_reviews(reviews, *, fields, include):
    """``reviews`` with what serialize.review() reads for these fields and expansions."""
    wanted = (lambda name: name in fields) if fields else (lambda name: True)
    columns = [*REVIEW_COLUMNS, *(("body",) if wanted("body_html") else ())]
    # An expanded film or author is loaded whole; a reference reads its name and slug.
    if "film" not in include:
        columns += FILM_REF_COLUMNS
    if "author" not in include:
        columns += AUTHOR_REF_COLUMNS
    reviews = reviews.select_related("film", "author").only(*columns)
    prefetches = []
    if wanted("film") and "film" in include:
        prefetches.extend(facts_prefetches(through="film__", lean=True))
    if wanted("author") and "author" in include:
        prefetches.append("author__links")
    return reviews.prefetch_related(*prefetches)


# What a review list shows of each tag and critic quote: plain rows, not models.
TagRow = namedtuple("TagRow", "pk slug name")
QuoteRow = namedtuple("QuoteRow", "quote critic publication url")


def attach_tags(reviews):
    """
    Set ``review.tag_list`` on each of ``reviews``: its tags as TagRows, in
    name order, in one query for them all.
    """
    reviews = list(reviews)
    found = {}
    if reviews:
        rows = (
            TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(Review),
                object_id__in=[review.pk for review in reviews],
            )
            .order_by("tag__name", "tag__pk")
            .values_list("object_id", "tag__pk", "tag__slug", "tag__name")
        )
        for object_id, *tag in rows:
            found.setdefault(object_id, []).append(TagRow(*tag))
    for review in reviews:
        review.tag_list = found.get(review.pk, [])
    return reviews


def attach_quotes(reviews):
    """
    Set ``review.quote_list`` on each of ``reviews``: its critic quotes as
    QuoteRows, in their order, in one query for them all.
    """
    reviews = list(reviews)
    found = {}
    if reviews:
        rows = (
            CriticQuote.objects.filter(review__in=[review.pk for review in reviews])
            .order_by("order", "pk")
            .values_list("review_id", "quote", "critic", "publication", "url")
        )
        for review_id, *quote in rows:
            found.setdefault(review_id, []).append(QuoteRow(*quote))
    for review in reviews:
        review.quote_list = found.get(review.pk, [])
    return reviews


def load_films(films):
    return films.prefetch_related(
        *facts_prefetches(lean=True),
        Prefetch("reviews", queryset=newest_first(published()), to_attr="public_reviews"),
    )


def load_people(people):
    credits = Credit.objects.select_related("film").order_by("-film__year", "film__title", "pk")
    return people.prefetch_related(Prefetch("credits", queryset=credits))


def attach_reviews(people):
    """Set ``person.public_reviews``: published reviews of their films, newest first. One query."""
    reviews = (
        newest_first(published())
        .filter(film__credits__person__in=people)
        .annotate(person_id=F("film__credits__person"))
        .only("slug", "headline", "rating", "published_at")
        .distinct()
    )
    found = {}
    for review in reviews:
        found.setdefault(review.person_id, []).append(review)
    for person in people:
        person.public_reviews = found.get(person.pk, [])
    return people


def films():
    return Film.objects.all()


def people():
    return Person.objects.order_by("name", "pk")


def authors():
    counts = (
        published()
        .filter(author=OuterRef("pk"))
        .order_by()
        .values("author")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        AuthorProfile.objects.annotate(review_count=Coalesce(Subquery(counts), 0))
        .prefetch_related("links")
        .order_by("display_name", "pk")
    )


def genres():
    return (
        Genre.objects.select_related("parent")
        .annotate(film_count=Count("films", distinct=True))
        .order_by("name", "pk")
    )


def tags():
    """Tags of published reviews only: a tag used by drafts alone is not public yet."""
    return (
        Tag.objects.filter(review__in=published())
        .annotate(review_count=Count("review", distinct=True))
        .order_by("name", "pk")
    )
