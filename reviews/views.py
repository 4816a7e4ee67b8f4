from django.contrib.auth.views import redirect_to_login
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.functional import cached_property
from taggit.models import Tag

from core.pagecache import list_tag, public_page, shows, tag
from people.models import Person
from reviews import pagetags, policy
from reviews.forms import STAR_CHOICES, CommentForm, RatingForm
from reviews.models import Comment, Country, Credit, Film, Genre, Review

PER_PAGE = 12
# What a ``?rated=`` may say ("4.5", "5" or "5.0"), and the choice it names.
RATED_CHOICES = {
    **{value: value for value, _ in STAR_CHOICES},
    **{value.removesuffix(".0"): value for value, _ in STAR_CHOICES},
}
MORE_BY_LIMIT = 6
COMMENTS_PER_PAGE = 20


# No list is this long; a larger page number is a 404, not an offset out of range.
MAX_PAGE = 100_000


class CountedPaginator(Paginator):
    """A Paginator told how many items there are, counted by an earlier query."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


def paginate(request, queryset, per_page=PER_PAGE, param="page", count=None):
    """
    A page of ``queryset``; a page number out of range is a 404, as Django's
    views do. ``count``, when the caller knows it, saves counting the queryset.
    """
    if count is None:
        paginator = Paginator(queryset, per_page)
    else:
        paginator = CountedPaginator(queryset, per_page, count=count)
    number = request.GET.get(param) or "1"
    if not number.isascii():  # int() reads "١" as 1: one address per page
        raise Http404("No such page.")
    try:
        return paginator.page(number)
    except InvalidPage as exc:
        raise Http404("No such page.") from exc


class UncountedPage:
    """
    A page of a list nobody counts, with the parts of Django's Page that the
    pagination links use: its number, and whether newer and older pages exist.
    It has no ``paginator``, so the links say "Page 3" without "of N".
    """

    paginator = None

    def __init__(self, object_list, number, *, has_next):
        self.object_list = object_list
        self.number = number
        self._has_next = has_next

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def paginate_uncounted(request, queryset, per_page=PER_PAGE):
    """
    A page of ``queryset`` without counting it: the home page lists every
    review, and a count grows with the blog (4 ms at 25,000 reviews) where a
    page does not. One row past the page says whether there is an older one.
    """
    number = request.GET.get("page") or "1"
    # isdigit() alone accepts "²" and "١", which int() refuses or reads; a
    # page past MAX_PAGE would be an offset the database cannot take.
    if not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= MAX_PAGE:
        raise Http404("No such page.")
    number = int(number)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and number > 1:
        raise Http404("No such page.")
    return UncountedPage(rows[:per_page], number, has_next=len(rows) > per_page)


@public_page
def home(request):
    """The featured review, then every published review, newest first."""
    reviews = Review.objects.published().for_cards()
    featured = reviews.filter(featured=True).first()
    page = paginate_uncounted(request, reviews.exclude(pk=featured.pk) if featured else reviews)
    shows(list_tag("home"))
    pagetags.show_cards([featured, *page.object_list] if featured else page.object_list)
    return render(
        request,
        "reviews/home.html",
        {"featured": featured if page.number == 1 else None, "page_obj": page},
    )


def more_by_directors(review):
    """
    "More by <director>": for each director of the film, their other films that
    have a published review, newest film first, each with its latest review.
    Directors whose lists are the same (Joel and Ethan Coen) share one section:
    [([director, ...], [review, ...]), ...], in the film's credit order.
    One query for all the directors, evaluated now: only public reviews are read.
    """
    directors = review.film.directors
    others = (
        Review.objects.published()
        .by_directors(directors)
        .exclude(film=review.film)
        .for_cards()
        .order_by("-film__year", "-published_at", "-pk")
    )
    by_director = {person.pk: {} for person in directors}
    for other in others:
        films = by_director[other.director_id]
        # Newest review first within a film, so the first one seen is its latest.
        if other.film_id not in films and len(films) < MORE_BY_LIMIT:
            films[other.film_id] = other
    sections = {}
    for person in directors:
        shown = list(by_director[person.pk].values())
        if shown:
            people, _ = sections.setdefault(tuple(r.pk for r in shown), ([], shown))
            people.append(person)
    return list(sections.values())


def public_review(slug):
    """The published review at ``slug`` with everything its page shows, or a 404."""
    return get_object_or_404(Review.objects.published().for_page(), slug=slug)


def render_review_page(request, review, *, comment_form=None, status=200, preview=False):
    """
    The review page, with a bound comment form when a post needs correcting.
    As a ``preview`` it is marked so, and the readers' forms are shown inert.
    """
    more_by = more_by_directors(review)
    pagetags.show_review_page(review, more_by)
    context = {
        "preview": preview,
        "review": review,
        "film": review.film,
        "more_by": more_by,
        **contribution_context(request, review, comment_form=comment_form),
    }
    return render(request, "reviews/review_detail.html", context, status=status)


@public_page
def review_detail(request, slug):
    """A review page: every section of the anatomy in DESIGN.md, in order."""
    return render_review_page(request, public_review(slug))


def review_preview(request, slug):
    """
    A review that is not public yet, shown to its author and to editors exactly
    as readers will see it: the same rendering as the public page. Anyone else
    gets a 404, so the address does not even confirm that the review exists.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    reviews = Review.objects.for_page()
    if not policy.can_edit_any(request.user):
        reviews = reviews.filter(author__user=request.user)
    review = get_object_or_404(reviews, slug=slug)
    response = render_review_page(request, review, preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


@public_page
def film_detail(request, slug):
    """A film: facts, every published review of it, full credits and releases."""
    film = get_object_or_404(
        Film.objects.with_facts().prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.published().for_cards(),
                to_attr="published_reviews",
            ),
            "critic_quotes",
        ),
        slug=slug,
    )
    shows(list_tag("film", film.pk))
    pagetags.show_facts(film)
    pagetags.show_cards(film.published_reviews)
    return render(request, "reviews/film_detail.html", {"film": film})


def _archive(request, *, title, kind, reviews, description, obj=None, extra=None, tags=()):
    page = paginate(request, reviews.for_cards())
    # One rule for every archive (genre, country, year, tag): nothing published, no page.
    if not page.object_list:
        raise Http404("Nothing has been published here yet.")
    shows(*tags)
    pagetags.show_cards(page.object_list)
    context = {
        "title": title,
        "kind": kind,
        "page_obj": page,
        "description": description,
        "object": obj,
        **(extra or {}),
    }
    return render(request, "reviews/review_archive.html", context)


@public_page
def genre_detail(request, slug):
    """Reviews of films in a genre, sub-genres included."""
    genre = get_object_or_404(
        Genre.objects.select_related("parent").prefetch_related("subgenres"), slug=slug
    )
    genres = [genre, *genre.subgenres.all()]
    reviews = Review.objects.published().filter(film__in=Film.objects.filter(genres__in=genres))
    return _archive(
        request,
        title=str(genre),
        kind="Genre",
        reviews=reviews,
        description=f"Reviews of {genre.name.lower()} films.",
        obj=genre,
        extra={"subgenres": genre.subgenres.all()},
        tags=[
            list_tag("genre", genre.pk),
            *(tag("genre", pk) for pk in (genre.pk, genre.parent_id) if pk),
            *(tag("genre", sub.pk) for sub in genres[1:]),
        ],
    )


@public_page
def country_detail(request, slug):
    """Reviews of films made in a country."""
    country = get_object_or_404(Country, slug=slug)
    return _archive(
        request,
        title=f"Films from {country.name}",
        kind="Country",
        reviews=Review.objects.published().filter(film__countries=country),
        description=f"Reviews of films made in {country.name}.",
        obj=country,
        tags=[list_tag("country", country.pk), tag("country", country.pk)],
    )


@public_page
def tag_detail(request, slug):
    """Reviews with a tag. A tag that only drafts use does not exist for readers."""
    tag = get_object_or_404(Tag, slug=slug)
    return _archive(
        request,
        title=f"Tagged “{tag.name}”",
        kind="Tag",
        reviews=Review.objects.published().filter(tags=tag),
        description=f"Reviews tagged {tag.name}.",
        extra={"tag": tag},
        tags=[list_tag("tag", tag.pk), f"tag:{tag.pk}"],
    )


@public_page
def year_detail(request, year):
    """Reviews of films first released in a year."""
    return _archive(
        request,
        title=f"Films of {year}",
        kind="Year",
        reviews=Review.objects.published().filter(film__year=year),
        description=f"Reviews of films released in {year}.",
        extra={"year": year},
        tags=[list_tag("year", year)],
    )


@public_page
def archive(request):
    """Ways into the archive: genres, years, countries and tags with published reviews."""
    published = Review.objects.published()
    films = Film.objects.filter(reviews__in=published)
    genres = (
        Genre.objects.filter(films__in=films)
        .select_related("parent")
        .annotate(count=Count("films", distinct=True))
        # Each parent, then its own sub-genres (indented by the template).
        .order_by(Coalesce("parent__name", "name"), F("parent").asc(nulls_first=True), "name")
    )
    years = films.values("year").annotate(count=Count("id", distinct=True)).order_by("-year")
    countries = Country.objects.filter(films__in=films).annotate(
        count=Count("films", distinct=True)
    )
    tags = (
        Tag.objects.filter(review__in=published)
        .annotate(count=Count("review", distinct=True))
        .order_by("-count", "name")[:60]
    )
    genres, countries, tags = list(genres), list(countries), list(tags)
    shows(list_tag("archive"))
    shows(*(tag("genre", genre.pk) for genre in genres))
    shows(*(tag("genre", genre.parent_id) for genre in genres if genre.parent_id))
    shows(*(tag("country", country.pk) for country in countries))
    shows(*(f"tag:{item.pk}" for item in tags))
    return render(
        request,
        "reviews/archive.html",
        {"genres": genres, "years": years, "countries": countries, "tags": tags},
    )


def contribution_context(request, review, *, comment_form=None):
    """
    "What did you think?" and the reader rating: a page of approved top-level
    comments (oldest first) with their approved replies, and the forms. Two
    queries however many comments, none without any (the review counts them); ratings and likes
    come from Review's counters. Nothing here depends on who is reading, so the
    page can be cached.
    """
    # The review counts its approved top-level comments: with none, skip the queries.
    comments = []
    if review.comment_thread_count:
        replies = Prefetch(
            "replies", queryset=Comment.objects.approved(), to_attr="approved_replies"
        )
        comments = review.comments.approved().filter(parent__isnull=True).prefetch_related(replies)
    comments = paginate(
        request,
        comments,
        per_page=COMMENTS_PER_PAGE,
        param="comments",
        count=review.comment_thread_count,
    )
    if comment_form is None and review.comments_open:
        reply_to = request.GET.get("reply", "")
        comment_form = CommentForm(
            review=review,
            initial={"parent": reply_to} if reply_to.isascii() and reply_to.isdigit() else {},
        )
    # After a rating without JavaScript the redirect says what was chosen (?rated=4.5).
    your_rating = RATED_CHOICES.get(request.GET.get("rated", ""))
    return {
        "your_rating": your_rating.removesuffix(".0") if your_rating else None,
        "rating_form": RatingForm(initial={"value": your_rating}),
        "comments_page": comments,
        "comment_form": comment_form,
    }


# How many suggestions a picker gets at a time, however large the catalogue.
SUGGESTIONS_LIMIT = 10


def _typed(request):
    """What the picker's user has typed, tidied and capped; "" for under two letters."""
    typed = " ".join(request.GET.get("q", "").split())[:100]
    return typed if len(typed) >= 2 else ""


def _suggestions(names):
    response = JsonResponse({"results": list(names)})
    patch_cache_control(response, public=True, max_age=300)
    return response


def film_suggestions(request):
    """
    Catalogue titles containing what was typed, for the account page's
    favourite-film picker: at most SUGGESTIONS_LIMIT, in title order.
    """
    typed = _typed(request)
    if not typed:
        return _suggestions([])
    films = Film.objects.filter(Q(title__icontains=typed) | Q(original_title__icontains=typed))
    titles = films.order_by("title").values_list("title", flat=True).distinct()
    return _suggestions(titles[:SUGGESTIONS_LIMIT])


def director_suggestions(request):
    """The catalogue's directors whose name contains what was typed, for the account page."""
    typed = _typed(request)
    if not typed:
        return _suggestions([])
    directors = Person.objects.filter(credits__role=Credit.Role.DIRECTOR, name__icontains=typed)
    names = directors.order_by("name").values_list("name", flat=True).distinct()
    return _suggestions(names[:SUGGESTIONS_LIMIT])
