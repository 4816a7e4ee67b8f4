"""
Search: the films, people and published reviews that match what a reader typed.

On PostgreSQL this is full-text search.

- Documents. Films and reviews carry a ``search_vector``, a tsvector column that
  only PostgreSQL has (it is not a model field). Triggers keep it right whenever
  a film, credit, person or review is written, through the admin, a script or a
  bulk insert (reviews/migrations/0007_search.py). The weights:

  ====  ==========================  =========================================
        film                        review
  ====  ==========================  =========================================
  A     title, original title       headline, the film's title and original
  B     directors and cast          the film's directors and cast
  C     synopsis                    standfirst
  D     --                          body, without its HTML
  ====  ==========================  =========================================

  People are found by name, through an index on their names.
- Languages. Documents and queries are parsed both in English and in French,
  and both fold accents before stemming: "amelie" finds "Amélie", "etre"
  finds "être", "ghosts" finds "The Ghost", "Agnes Varda" finds "Agnès Varda".
- Queries take web-search syntax ("a phrase", -excluded, or). A plain query
  also matches with its last word as a prefix, so "audi" finds Audiard.
- Order. Films: the exact title, then the exact original title, then titles
  that start with the query, then by rank (title over people over synopsis)
  and the newest first. People: the exact name, names that start with the
  query, then by name. Reviews: by rank (titles over people over standfirst
  over body), then the newest first.
- Cost. Ranking reads the document of every match it orders, so a word in one
  film in twenty would cost more with every film added. The search page's
  overview therefore ranks a shortlist: the 50 matching films with the
  shortest titles (an exact title is the shortest of all) and the 50 newest
  matching reviews. The full list of a kind ranks every match.

``python manage.py update_search_index`` rebuilds every document, for when the
way they are built changes.

  People are also found by a misspelt name ("cotilard", "audiar"), through
  pg_trgm's word similarity and a trigram index on their names.

On SQLite (the embedded default), search is SQLite's FTS5 over the same
words: films by titles, directors and cast, characters and synopsis; people by
name; reviews by headline, the film's titles and people, standfirst and body.
Accents fold both ways ("stephane" finds "Stéphane", "Stéphanie" finds
"Stephanie"), the last word is a prefix ("orca" finds "orcas"), and results
rank by bm25 after the same title and name tiers. The tables are made by
reviews/migrations/0010_search_sqlite_and_trigrams.py and kept current by one
function, ``reindex()``, on every save and delete of a film, credit, person or
review (signals), and for everything by ``update_search_index``. Code that
writes in bulk (``bulk_create``, ``update()``) calls ``reindex()`` itself.

Either way, a reader only finds published reviews whose time has come.
"""

import re

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordDistance,
)
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    F,
    FloatField,
    Func,
    IntegerField,
    Prefetch,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Lower, Substr
from django.db.models.lookups import Exact, Regex, StartsWith
from django.db.models.signals import post_delete, post_save

from people.models import Person
from reviews.models import Credit, Film, Review

# Text search configurations made by reviews/migrations/0007_search.py.
LANGUAGES = ("filmblog_en", "filmblog_fr")
NAMES = "filmblog_names"


def search_results(q, shortlist=None):
    """
    Films, people and reviews matching ``q``: {"films": qs, "people": qs,
    "reviews": qs}. Films come with their published reviews (``film.public_reviews``,
    newest first); pass a page of people through ``with_reviews()`` for theirs.

    ``shortlist``, for a first look at the results (the search page's overview),
    ranks at most that many films and reviews on PostgreSQL: the shortest
    titles and the newest reviews that match. The full lists rank every match.
    """
    results = _full_text(q, shortlist) if connection.vendor == "postgresql" else _fts(q)
    results["films"] = results["films"].prefetch_related(
        Prefetch("reviews", queryset=_review_links(), to_attr="public_reviews")
    )
    return results


def _review_links():
    return Review.objects.published().only("slug", "headline", "film_id").order_by("-published_at")


def with_reviews(people, limit=3):
    """
    Set ``person.public_reviews`` on each of ``people``: the newest ``limit``
    published reviews of the films they are credited on, each with its film.
    One query.
    """
    people = list(people)
    reviews = (
        _review_links()
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


# --- PostgreSQL ---------------------------------------------------------------


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


def _full_text(q, shortlist=None):
    query, names = text_queries(q, LANGUAGES, [NAMES])
    if query is None:
        return {name: model.objects.none() for name, model in KINDS}
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
        tier=_tier(
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
            tier=_tier(
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


# The documents as the migration's functions build them, for a rebuild.
DOCUMENTS = [
    (Film, "filmblog_film_document(id, title, original_title, synopsis)"),
    (Review, "filmblog_review_document(film_id, headline, standfirst, body)"),
]


def rebuild_documents(batch_size=1000):
    """
    Rebuild every film's and review's search document, ``batch_size`` rows per
    statement so no long transaction holds the rows. PostgreSQL only. Returns
    {model: rows rebuilt}.
    """
    counts = {}
    with connection.cursor() as cursor:
        for model, document in DOCUMENTS:
            table = connection.ops.quote_name(model._meta.db_table)
            last, counts[model] = 0, 0
            while True:
                cursor.execute(
                    f"UPDATE {table} SET search_vector = {document} WHERE id IN "
                    f"(SELECT id FROM {table} WHERE id > %s ORDER BY id LIMIT %s) RETURNING id",
                    [last, batch_size],
                )
                ids = [row[0] for row in cursor.fetchall()]
                if not ids:
                    break
                last, counts[model] = max(ids), counts[model] + len(ids)
    return counts


# --- SQLite -------------------------------------------------------------------


def _tier(*whens):
    return Case(*whens, default=Value(9), output_field=IntegerField())


def fts_query(q):
    """
    ``q`` as an FTS5 query: every word, each quoted, and the last one also as a
    prefix ("rust bo" gives "rust" "bo"*), or None when ``q`` has no word.
    Punctuation and FTS5 operators are taken as text.
    """
    words = re.findall(r"\w+", q)
    if not words:
        return None
    return " ".join([*(f'"{word}"' for word in words[:-1]), f'"{words[-1]}"*'])


class FtsRank(RawSQL):
    """
    A row's bm25 rank in the FTS5 table ``table`` (lower is better), weighting
    the table's columns by ``weights``; NULL when the row does not match.
    """

    def __init__(self, table, model, weights, query):
        outer = f"{model._meta.db_table}.id"
        weights = ", ".join(str(weight) for weight in weights)
        super().__init__(
            f"SELECT bm25({table}, {weights}) FROM {table}"
            f" WHERE {table} MATCH %s AND {table}.rowid = {outer}",
            [query],
            output_field=FloatField(),
        )


def _matching(table, query):
    return RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [query])


def _fts(q):
    """
    The FTS5 tables of reviews/migrations/0010_search_sqlite_and_trigrams.py,
    ranked by bm25 with the weights of the PostgreSQL documents: titles over
    people over characters over synopsis for films; headline and titles over
    people over standfirst over body for reviews.
    """
    query = fts_query(q)
    if query is None:
        return {name: model.objects.none() for name, model in KINDS}
    films = (
        Film.objects.filter(id__in=_matching("search_film", query))
        .annotate(
            tier=_tier(
                When(title__iexact=q, then=Value(0)),
                When(original_title__iexact=q, then=Value(1)),
                When(title__istartswith=q, then=Value(2)),
            ),
            rank=FtsRank("search_film", Film, (10, 10, 4, 2, 1), query),
        )
        .order_by("tier", "rank", "-year", "title")
    )
    people = (
        Person.objects.filter(id__in=_matching("search_person", query))
        .only("name", "slug", "birth_year", "photo")
        .annotate(
            tier=_tier(
                When(name__iexact=q, then=Value(0)),
                When(name__istartswith=q, then=Value(1)),
            )
        )
        .order_by("tier", "name")
    )
    reviews = (
        Review.objects.published()
        .filter(id__in=_matching("search_review", query))
        .annotate(rank=FtsRank("search_review", Review, (10, 10, 4, 2, 1), query))
        .for_cards()
        .order_by("rank", "-published_at")
    )
    return {"films": films, "people": people, "reviews": reviews}


KINDS = (("films", Film), ("people", Person), ("reviews", Review))


# What each FTS5 table holds, for the rows matching a WHERE clause over f or r.
_PEOPLE_OF_FILM = """(SELECT group_concat(p.name, ' ') FROM reviews_credit c
    JOIN people_person p ON p.id = c.person_id
    WHERE c.film_id = f.id AND c.role IN ('director', 'cast'))"""
_FILM_ROWS = f"""
INSERT INTO search_film (rowid, title, original_title, people, characters, synopsis)
SELECT f.id, f.title, f.original_title, {_PEOPLE_OF_FILM},
    (SELECT group_concat(c.character, ' ') FROM reviews_credit c WHERE c.film_id = f.id),
    f.synopsis
FROM reviews_film f WHERE {{where}}"""
_REVIEW_ROWS = f"""
INSERT INTO search_review (rowid, headline, film, people, standfirst, body)
SELECT r.id, r.headline, f.title || ' ' || f.original_title, {_PEOPLE_OF_FILM},
    r.standfirst, r.body
FROM reviews_review r JOIN reviews_film f ON f.id = r.film_id WHERE {{where}}"""
_PERSON_ROWS = """
INSERT INTO search_person (rowid, name) SELECT p.id, p.name FROM people_person p WHERE {where}"""


def _ids(values):
    """``values`` as a literal list of integers for an IN clause (ids only, never text)."""
    return ", ".join(str(int(value)) for value in values) or "NULL"


def reindex(films=(), reviews=(), people=(), *, everything=False):
    """
    Rewrite the SQLite search rows of these film, review and person ids (a
    film's reviews and a person's films come along), or of ``everything``.
    Rows whose object is gone are removed. Does nothing on PostgreSQL, where
    triggers keep the documents.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        if everything:
            for table in ("search_film", "search_review", "search_person"):
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute(_FILM_ROWS.format(where="1"))
            cursor.execute(_REVIEW_ROWS.format(where="1"))
            cursor.execute(_PERSON_ROWS.format(where="1"))
            return
        people = _ids(people)
        if people != "NULL":
            cursor.execute(f"DELETE FROM search_person WHERE rowid IN ({people})")
            cursor.execute(_PERSON_ROWS.format(where=f"p.id IN ({people})"))
            cursor.execute(f"SELECT film_id FROM reviews_credit WHERE person_id IN ({people})")
            films = [*films, *(row[0] for row in cursor.fetchall())]
        films = _ids(films)
        if films != "NULL":
            cursor.execute(f"DELETE FROM search_film WHERE rowid IN ({films})")
            cursor.execute(_FILM_ROWS.format(where=f"f.id IN ({films})"))
            cursor.execute(f"SELECT id FROM reviews_review WHERE film_id IN ({films})")
            reviews = [*reviews, *(row[0] for row in cursor.fetchall())]
        reviews = _ids(reviews)
        if reviews != "NULL":
            cursor.execute(f"DELETE FROM search_review WHERE rowid IN ({reviews})")
            cursor.execute(_REVIEW_ROWS.format(where=f"r.id IN ({reviews})"))


def _saved(sender, instance, **kwargs):
    if sender is Film:
        reindex(films=[instance.pk])
    elif sender is Credit:
        reindex(films=[instance.film_id])
    elif sender is Person:
        reindex(people=[instance.pk])
    elif sender is Review:
        reindex(reviews=[instance.pk])


def connect_signals():
    """Keep the SQLite search tables current on every save and delete (FilmblogConfig.ready)."""
    for model in (Film, Credit, Person, Review):
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(_saved, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
