"""
Search on PostgreSQL: full-text search.

- Documents. Films and reviews carry a ``search_vector``, a tsvector column that
  only PostgreSQL has (it is not a model field). Triggers keep it right whenever
  a film, credit, person or review is written, through the admin, a script or a
  bulk insert (search/migrations/0001_initial.py). The weights:

  ====  ==========================  =========================================
        film                        review
  ====  ==========================  =========================================
  A     title, original title       headline, the film's title and original
  B     directors and cast          the film's directors and cast
  C     characters, synopsis        standfirst
  D     --                          body, without its HTML
  ====  ==========================  =========================================

  People are found by name, through an index on their names, and by a
  misspelt name ("cotilard", "audiar"), through pg_trgm's word similarity and
  a trigram index on their names.
- Languages. Documents and queries are parsed both in English and in French,
  and both fold accents before stemming: "amelie" finds "Amélie", "etre"
  finds "être", "ghosts" finds "The Ghost", "chevaux" finds "cheval".
- Queries take web-search syntax ("a phrase", -excluded, or). A plain query
  also matches with its last word as a prefix, so "audi" finds Audiard.
- Cost. Ranking reads the document of every match it orders, so a word in one
  film in twenty would cost more with every film added. The search page's
  overview therefore ranks a shortlist: the 50 matching films with the
  shortest titles (an exact title is the shortest of all) and the 50 newest
  matching reviews. The full list of a kind ranks every match.
"""

import re

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordDistance,
)
from django.db import connection
from django.db.models import CharField, F, Func, Q, Value, When
from django.db.models.functions import Length, Lower, Substr
from django.db.models.lookups import Exact, Regex, StartsWith

from people.models import Person
from reviews.models import Film, Review
from search.base import SearchEngine, tier

# Text search configurations made by search/migrations/0001_initial.py.
LANGUAGES = ("search_en", "search_fr")
NAMES = "search_names"


class Document(Func):
    """
    The ``search_vector`` column of the queried table (reviews_film or
    reviews_review), which the model does not declare. It is named after the
    table's primary key as the query compiles it, so it follows the table when
    Django renames it in a subquery (U0) or beside a join with another table
    that has one (a review's film).
    """

    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra_context):
        key, params = compiler.compile(self.source_expressions[0])
        table = key.rsplit(".", 1)[0]
        return f"{table}.search_vector", params


class NameDocument(Func):
    """A person's name as words: the expression person_name_search_idx indexes."""

    function = "to_tsvector"
    template = f"%(function)s('{NAMES}'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


def prefix_query(q):
    """
    ``q`` as a raw tsquery whose last word is a prefix ("rust bo" gives
    'rust' & 'bo':*), or None when ``q`` uses web-search syntax or ends in a
    single letter. Only word characters get through, so nothing needs quoting.
    """
    tokens = q.split()
    if '"' in q or any(token.startswith("-") or token.lower() == "or" for token in tokens):
        return None
    words = re.findall(r"\w+", q)
    if not words or len(words[-1]) < 2:
        return None
    return " & ".join([*(f"'{word}'" for word in words[:-1]), f"'{words[-1]}':*"])


def text_queries(q, *groups):
    """
    ``q`` parsed with each group of configurations, as web-search syntax and as
    a prefix, each distinct reading once, OR-ed: one SearchQuery per group (None
    when nothing is left to search for). The readings are parsed first, in one
    query: PostgreSQL guesses how many rows match from the query's parts, and a
    word read four times over ('night' | 'night':* | ...) looks four times as
    common as it is, enough to read a whole table rather than its index.
    """
    prefix = prefix_query(q)
    columns, params = [], []
    for configs in groups:
        for config in configs:
            columns.append("websearch_to_tsquery(%s::regconfig, %s)::text")
            params += [config, q]
            if prefix:
                columns.append("to_tsquery(%s::regconfig, %s)::text")
                params += [config, prefix]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        row = iter(cursor.fetchone())
    queries = []
    for configs in groups:
        per_config = 2 if prefix else 1
        readings = [
            r for r in dict.fromkeys(next(row) for _ in configs for _ in range(per_config)) if r
        ]
        # 'night':* finds all that 'night' finds.
        readings = [r for r in readings if f"{r}:*" not in readings]
        query = None
        for reading in readings:
            # Already parsed: "simple" takes the words as they are.
            part = SearchQuery(reading, config="simple", search_type="raw")
            query = part if query is None else query | part
        queries.append(query)
    return queries


def _folded(expression):
    """Lower case without accents: how the tiers compare a title or a name with the query."""
    return Func(Lower(expression), function="unaccent", output_field=CharField())


def _is(field, q):
    return Exact(_folded(field), _folded(Value(q)))


def _starts_with(field, q):
    """The title or name starts with the query's words ("Alien: Covenant", not "Aliens")."""
    folded, start = _folded(field), _folded(Value(q))
    after = Substr(folded, Length(start) + 1, 1)
    return Q(StartsWith(folded, start)) & ~Q(Regex(after, Value("[[:alnum:]]")))


# The documents as the migration's functions build them, for a rebuild.
DOCUMENTS = [
    (Film, "search_film_document(id, title, original_title, synopsis)"),
    (Review, "search_review_document(film_id, headline, standfirst, body)"),
]


class PostgresSearch(SearchEngine):
    vendor = "postgresql"
    finds_misspelt_names = True
    stems_french = True

    def matches(self, q, shortlist):
        query, names = text_queries(q, LANGUAGES, [NAMES])
        if query is None:
            return self.nothing()
        films = Film.objects.alias(document=Document()).filter(document=query)
        reviews = Review.objects.published().alias(document=Document()).filter(document=query)
        if shortlist:
            # Rank a common word's matches among the likeliest few only: the films
            # with the shortest titles (an exact title is the shortest of all) and
            # the newest reviews. Ranking reads every document it orders, so this
            # keeps the cost flat however many films the word is in.
            films = Film.objects.filter(
                pk__in=films.order_by(Length("title"), "pk").values("pk")[:shortlist]
            )
            reviews = Review.objects.filter(
                pk__in=reviews.order_by("-published_at", "pk").values("pk")[:shortlist]
            )
        films = films.annotate(
            tier=tier(
                When(_is("title", q), then=Value(0)),
                When(_is("original_title", q), then=Value(1)),
                When(_starts_with("title", q), then=Value(2)),
            ),
            rank=SearchRank(Document(), query),
        ).order_by("tier", "-rank", "-year", "title")
        people = (
            Person.objects.alias(names=NameDocument("name"))
            .filter((Q(names=names) if names else Q()) | Q(name__trigram_word_similar=q))
            .only("name", "slug", "birth_year", "photo")
            .annotate(
                tier=tier(
                    When(_is("name", q), then=Value(0)),
                    When(_starts_with("name", q), then=Value(1)),
                )
            )
            .order_by("tier", TrigramWordDistance(q, "name"), "name")
        )
        reviews = (
            reviews.annotate(rank=SearchRank(Document(), query))
            .for_cards()
            .order_by("-rank", "-published_at")
        )
        return {"films": films, "people": people, "reviews": reviews}

    def index(self, films=(), reviews=(), people=()):
        """Nothing to do: the triggers have kept the documents as the rows were written."""

    def index_everything(self):
        """Nothing to do: the triggers have kept the documents, bulk writes included."""

    def rebuild(self, batch_size=1000):
        """
        Every film's and review's document built again, ``batch_size`` rows per
        statement so no long transaction holds the rows. People's names are
        indexed as they are, with nothing to rebuild.
        """
        counts = {}
        with connection.cursor() as cursor:
            for model, document in DOCUMENTS:
                table = connection.ops.quote_name(model._meta.db_table)
                last, done = 0, 0
                while True:
                    cursor.execute(
                        f"UPDATE {table} SET search_vector = {document} WHERE id IN"
                        f" (SELECT id FROM {table} WHERE id > %s ORDER BY id LIMIT %s)"
                        " RETURNING id",
                        [last, batch_size],
                    )
                    ids = [row[0] for row in cursor.fetchall()]
                    if not ids:
                        break
                    last, done = max(ids), done + len(ids)
                counts[model._meta.verbose_name_plural] = done
        return counts
