"""
What every search engine does, and the parts they share.

An engine answers a query (``search_results``) and keeps its index current
(``index``, ``index_everything``, ``rebuild``). Both engines index the same
things:

- films by their titles (the original one too), their directors' and cast's
  names, their characters and their synopsis;
- people by their names;
- published reviews by their headline, their film's titles and people, their
  standfirst and their body (without its HTML).

Both read words, not substrings; fold accents both ways ("amelie" finds
"Amélie", "Stéphanie" finds "Stephanie"); take the last word of a plain query
as a prefix ("audi" finds Audiard); stem English words ("ghosts" finds "The
Ghost"); and take web-search syntax ("a phrase", -excluded, or). Films rank
the exact title first, then the exact original title, then titles that start
with the query, then by relevance and the newest; people the exact name, then
names that start with the query; reviews by relevance, then the newest.

What one engine does beyond that, it says in its attributes
(``finds_misspelt_names``, ``stems_french``).
"""

from django.db.models import Case, F, IntegerField, Prefetch, Value

from people.models import Person
from reviews.models import Film, Review

KINDS = (("films", Film), ("people", Person), ("reviews", Review))


class SearchEngine:
    """The interface: one subclass per database vendor (search.engines picks it)."""

    vendor = None
    # "cotilard" finds Marion Cotillard.
    finds_misspelt_names = False
    # "cheval" finds "chevaux".
    stems_french = False

    def search_results(self, q, shortlist=None):
        """
        Films, people and reviews matching ``q``: {"films": qs, "people": qs,
        "reviews": qs}. Films come with their published reviews
        (``film.public_reviews``, newest first); pass a page of people through
        ``with_reviews()`` for theirs.

        ``shortlist``, for a first look at the results (the search page's
        overview), lets an engine rank at most that many films and reviews: the
        shortest titles and the newest reviews that match. The full lists rank
        every match.
        """
        results = self.matches(q, shortlist)
        results["films"] = results["films"].prefetch_related(
            Prefetch("reviews", queryset=review_links(), to_attr="public_reviews")
        )
        return results

    def matches(self, q, shortlist):
        """The three querysets of ``search_results()``, before their reviews."""
        raise NotImplementedError

    def index(self, films=(), reviews=(), people=()):
        """
        Bring the index up to date for these film, review and person ids (a
        film's reviews and a person's films come along), after they were
        written or deleted. Code that writes in bulk (``bulk_create``,
        ``update()``), which sends no signals, calls it itself.
        """
        raise NotImplementedError

    def index_everything(self):
        """Bring the whole index up to date after writes in bulk whose rows are not known."""
        raise NotImplementedError

    def rebuild(self, batch_size=1000):
        """
        Rebuild every entry of the index, for when the way entries are built
        changes. Returns {verbose name plural: rows rebuilt}.
        """
        raise NotImplementedError

    @staticmethod
    def nothing():
        return {name: model.objects.none() for name, model in KINDS}


def tier(*whens):
    """The first of ``whens`` that holds, or 9: how results rank before relevance."""
    return Case(*whens, default=Value(9), output_field=IntegerField())


def review_links():
    return Review.objects.published().only("slug", "headline", "film_id").order_by("-published_at")


def with_reviews(people, limit=3):
    """
    Set ``person.public_reviews`` on each of ``people``: the newest ``limit``
    published reviews of the films they are credited on, each with its film.
    One query.
    """
    people = list(people)
    reviews = (
        review_links()
        .filter(film__credits__person__in=people)
        .annotate(person_id=F("film__credits__person"))
        .select_related("film")
        .only("slug", "headline", "film__title", "film__year")
        .distinct()
    )
    found = {}
    for review in reviews:
        found.setdefault(review.person_id, []).append(review)
    for person in people:
        person.public_reviews = found.get(person.pk, [])[:limit]
    return people
