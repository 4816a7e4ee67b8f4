"""
What each public page shows, named as page-cache tags, and which tags a change
of each model purges (core/pagecache.py, core/purges.py).

The vocabulary
    ``review:<id>``          a review's own content: its page, its feed items
    ``review:<id>:card``     what a card shows of it (headline, standfirst, rating, date...)
    ``review:<id>:readers``  its comments, reader ratings and likes (its page only)
    ``film:<id>``            a film's facts: its page and its reviews' facts boxes
    ``film:<id>:card``       its title, year, slug and poster: cards, filmographies, More by
    ``person:<id>``, ``person:<id>:card``, ``author:<id>``, ``author:<id>:card``
                             the same for people (a card: name and link) and authors
    ``genre:<id>``, ``country:<id>``, ``tag:<id>``   their names, wherever shown
    ``list:<kind>[:<key>]``  which reviews a list shows: ``list:home``, ``list:archive``,
                             ``list:feed``, ``list:genre:<id>``, ``list:country:<id>``,
                             ``list:year:<year>``, ``list:tag:<id>``, ``list:film:<id>``,
                             ``list:person:<id>``, ``list:author:<id>`` and
                             ``list:director:<id>`` (the "More by" of their films' reviews)

A change of a field that a card shows purges the object's card tag as well as
its own; a review that becomes public, stops being public or moves purges the
lists it joins and leaves. Every editorial change also purges ``catalogue``
(the search results, the sitemap).
"""

from django.utils import timezone

from core import purges
from core.pagecache import CATALOGUE_TAG, list_tag, shows, tag
from reviews.models import (
    PUBLIC_STATUSES,
    Comment,
    Country,
    Credit,
    CriticQuote,
    Film,
    Genre,
    Like,
    Rating,
    Release,
    Review,
    ReviewStatus,
)

FILM_CARD = {"title", "slug", "year", "poster"}
REVIEW_CARD = {
    "headline",
    "slug",
    "standfirst",
    "rating",
    "status",
    "published_at",
    "unpublish_at",
    "hero_image",
    "featured",
    "film",
    "author",
}
# What decides which lists a review is on, and where.
REVIEW_PLACE = {"status", "published_at", "unpublish_at", "featured", "film", "author", "slug"}
TRACKED = (Film, Review, Credit, Genre)


# --- What pages show (called while they render) ------------------------------


def show_cards(reviews):
    """Review cards: each review's card, its film's and its author's."""
    for review in reviews:
        shows(
            tag("review", review.pk, "card"),
            tag("film", review.film_id, "card"),
            tag("author", review.author_id, "card"),
        )


def show_facts(film):
    """A facts box: the film, its people's names, its genres (with parents) and countries."""
    shows(tag("film", film.pk))
    shows(*(tag("person", credit.person_id, "card") for credit in film.credits.all()))
    for genre in film.genres.all():
        shows(tag("genre", genre.pk))
        if genre.parent_id:
            shows(tag("genre", genre.parent_id))
    shows(*(tag("country", country.pk) for country in film.countries.all()))
    shows(*(tag("country", release.country_id) for release in film.releases.all()))


def show_review_page(review, more_by):
    shows(
        tag("review", review.pk),
        tag("review", review.pk, "readers"),
        tag("author", review.author_id),
    )
    shows(*(tag("tag", item.pk) for item in review.tags.all()))
    show_facts(review.film)
    shows(*(list_tag("director", person.pk) for person in review.film.directors))
    for _, reviews in more_by:
        show_cards(reviews)


def show_feed_items(reviews):
    """Feed items: each review's content, its film's title, its author, tags and genres."""
    show_cards(reviews)
    for review in reviews:
        shows(tag("review", review.pk))
        shows(*(tag("tag", item.pk) for item in review.tags.all()))
        shows(*(tag("genre", genre.pk) for genre in review.film.genres.all()))


# --- What changes purge -------------------------------------------------------


def _was_public(old):
    now = timezone.now()
    return (
        old["status"] in PUBLIC_STATUSES
        and old["published_at"] is not None
        and old["published_at"] <= now
        and (old["unpublish_at"] is None or old["unpublish_at"] > now)
    )


def lists_of(review, film_id=None, author_id=None):
    """The tags of every list ``review`` is on (or would be, with that film and author)."""
    film_id = film_id or review.film_id
    author_id = author_id or review.author_id
    film = Film.objects.prefetch_related("genres", "countries", "credits").get(pk=film_id)
    tags = {
        list_tag("home"),
        list_tag("archive"),
        list_tag("feed"),
        list_tag("film", film_id),
        list_tag("author", author_id),
        list_tag("year", film.year),
    }
    for genre in film.genres.all():
        tags.add(list_tag("genre", genre.pk))
        if genre.parent_id:
            tags.add(list_tag("genre", genre.parent_id))
    tags.update(list_tag("country", country.pk) for country in film.countries.all())
    for credit in film.credits.all():
        tags.add(list_tag("person", credit.person_id))
        if credit.role == Credit.Role.DIRECTOR:
            tags.add(list_tag("director", credit.person_id))
    if review.pk:
        tags.update(list_tag("tag", pk) for pk in review.tags.values_list("pk", flat=True))
    return tags


def _review_changed(review, change):
    old = change.old
    public = review.is_public
    was_public = (
        public
        if change.kind in ("created", "deleted", "m2m") or change.fields is None
        else _was_public(old)
    )
    if change.kind in ("created", "saved"):
        # It becomes public, or is taken down, at its time, without anyone saving it.
        now = timezone.now()
        times = [review.unpublish_at]
        if review.status == ReviewStatus.SCHEDULED:
            times.append(review.published_at)
        for when in {when for when in times if when and when > now}:
            purges.expire_pages_at(
                when,
                tag("review", review.pk),
                tag("review", review.pk, "card"),
                *lists_of(review),
            )
    if change.kind == "created" and not public:
        return set()
    if change.kind == "m2m":  # its tags
        if not public:
            return set()
        if change.pks is None:
            return None
        return {
            tag("review", review.pk),
            list_tag("archive"),
            *(list_tag("tag", pk) for pk in change.pks),
        }
    if not (public or was_public):
        return set()  # a draft: no public page shows it
    tags = {tag("review", review.pk), CATALOGUE_TAG}
    if change.touches(REVIEW_CARD):
        tags.add(tag("review", review.pk, "card"))
    if change.kind != "saved" or change.touches(REVIEW_PLACE) or public != was_public:
        tags |= lists_of(review)
        if old and (old["film_id"], old["author_id"]) != (review.film_id, review.author_id):
            tags |= lists_of(review, old["film_id"], old["author_id"])
    return tags


def _film_changed(film, change):
    tags = {tag("film", film.pk), CATALOGUE_TAG}
    if change.touches(FILM_CARD):
        tags.add(tag("film", film.pk, "card"))
    if change.kind == "m2m":
        if change.pks is None:
            return None  # cleared: which lists it left is not known
        if change.relation == "genres":
            genres = Genre.objects.filter(pk__in=change.pks).values_list("pk", "parent_id")
            tags.update(list_tag("genre", pk) for pair in genres for pk in pair if pk)
        elif change.relation == "countries":
            tags.update(list_tag("country", pk) for pk in change.pks)
        tags.add(list_tag("archive"))
    elif change.kind == "saved" and "year" in change.fields:
        tags |= {list_tag("year", change.old["year"]), list_tag("year", film.year)}
        tags.add(list_tag("archive"))
    return tags


def _credit_changed(credit, change):
    people = {(credit.person_id, credit.role)}
    if change.old:
        people.add((change.old["person_id"], change.old["role"]))
    tags = {tag("film", credit.film_id), CATALOGUE_TAG}
    for person_id, role in people:
        tags.add(list_tag("person", person_id))
        if role == Credit.Role.DIRECTOR:
            tags.add(list_tag("director", person_id))
    return tags


def _genre_changed(genre, change):
    tags = {tag("genre", genre.pk), list_tag("genre", genre.pk), CATALOGUE_TAG}
    parents = {genre.parent_id, change.old.get("parent_id")} - {None}
    if change.kind != "saved" or change.touches({"parent"}):
        tags.update(list_tag("genre", pk) for pk in parents)
        tags.add(list_tag("archive"))
    return tags


def changed(model, instance, change):
    """
    The tags a change of a reviews model purges (core.purges.expire_on_change):
    those of the pages that show it, and ``catalogue`` for every editorial
    change (the pages that name nothing: search, the sitemap, the API).
    """
    if model in (Comment, Rating, Like):
        return [tag("review", instance.review_id, "readers")]
    tags = _editorial_change(model, instance, change)
    if tags:
        tags = {*tags, CATALOGUE_TAG}
    return tags


def _editorial_change(model, instance, change):
    if model is Review:
        return _review_changed(instance, change)
    if model is Film:
        return _film_changed(instance, change)
    if model is Credit:
        return _credit_changed(instance, change)
    if model is Genre:
        return _genre_changed(instance, change)
    if model is Country:
        return {tag("country", instance.pk), list_tag("country", instance.pk), CATALOGUE_TAG}
    if model is Release:
        return {tag("film", instance.film_id)}
    if model is CriticQuote:
        if instance.review_id:
            return {tag("review", instance.review_id)}
        return {tag("film", instance.film_id)}
    return None


def taggit_changed(model, instance, change):
    """A tag renamed, or given to or taken from a review."""
    from taggit.models import Tag, TaggedItem

    if model is Tag:
        return {tag("tag", instance.pk), list_tag("tag", instance.pk), CATALOGUE_TAG}
    if model is TaggedItem and instance.content_type.model_class() is Review:
        return {
            tag("review", instance.object_id),
            list_tag("tag", instance.tag_id),
            list_tag("archive"),
            CATALOGUE_TAG,
        }
    return None
