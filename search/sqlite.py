"""
Search on SQLite (the embedded default): SQLite's FTS5.

Three FTS5 tables (search/migrations/0001_initial.py) whose rowid is the
film's, person's or review's id, tokenised with ``porter unicode61
remove_diacritics 2`` (English stems, accents folded both ways):

    search_film     title, original_title, people (directors and cast),
                    characters, synopsis
    search_person   name
    search_review   headline, film (its titles), people, standfirst, body
                    (without its HTML: search_plain_text(), which
                    add_functions() gives every connection)

No triggers keep them: SQLite rebuilds a table to alter it, and a trigger that
names a table being rebuilt would break every later migration of it. Instead
``index()`` rewrites the rows of what was saved or deleted (search.signals),
and ``index_everything()`` every row, after writes in bulk. Results rank by
bm25, with the weights of the PostgreSQL documents.
"""

import re

from django.db import connection
from django.db.models import FloatField, Value, When
from django.db.models.expressions import RawSQL

from people.models import Person
from reviews.models import Film, Review
from search.base import SearchEngine, tier

TABLES = ("search_film", "search_review", "search_person")
# bm25 weights of each table's columns: titles over people over characters or
# standfirst over synopsis or body.
WEIGHTS = (10, 10, 4, 2, 1)

# What a review's body is indexed without, as on PostgreSQL.
TAGS = re.compile(r"<[^>]*>")

# A phrase, or anything up to a space.
TOKEN = re.compile(r'"[^"]*"?|\S+')


def _terms(text):
    return [f'"{word}"' for word in re.findall(r"\w+", text)]


def fts_query(q):
    """
    ``q`` as an FTS5 query, read as web-search syntax as PostgreSQL's
    websearch_to_tsquery() reads it: every word counts, "a phrase" is a
    phrase, -word excludes, ``or`` between words offers either. A plain query
    (none of these) takes its last word of two letters or more as a prefix
    ("rust bo" gives "rust" "bo"*). Only word characters reach FTS5, each
    quoted, so punctuation and FTS5's own operators are taken as text. None
    when nothing is left to search for.
    """
    tokens = TOKEN.findall(q)
    plain = '"' not in q and not any(t.startswith("-") or t.lower() == "or" for t in tokens)
    if plain:
        words = re.findall(r"\w+", q)
        terms = [f'"{word}"' for word in words]
        if words and len(words[-1]) >= 2:
            terms[-1] += "*"
        return " ".join(terms) or None
    groups, group = [], {"with": [], "without": []}
    for token in tokens:
        if token.lower() == "or":
            groups.append(group)
            group = {"with": [], "without": []}
        elif token.startswith('"'):
            words = re.findall(r"\w+", token)
            if words:
                group["with"].append(f'"{" ".join(words)}"')
        elif token.startswith("-"):
            group["without"] += _terms(token)
        else:
            group["with"] += _terms(token)
    groups.append(group)
    readings = []
    for group in groups:
        # FTS5's NOT needs something on its left: a group of exclusions only is
        # dropped.
        if group["with"]:
            reading = " AND ".join(group["with"])
            if group["without"]:
                reading = f"({reading}) NOT ({' OR '.join(group['without'])})"
            readings.append(f"({reading})")
    return " OR ".join(readings) or None


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


# What each table holds, for the rows matching a WHERE clause over f, r or p.
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
    r.standfirst, search_plain_text(r.body)
FROM reviews_review r JOIN reviews_film f ON f.id = r.film_id WHERE {{where}}"""
_PERSON_ROWS = """
INSERT INTO search_person (rowid, name) SELECT p.id, p.name FROM people_person p WHERE {where}"""


def plain_text(html):
    """``html`` without its tags, each replaced by a space."""
    return TAGS.sub(" ", html) if html else html


def add_functions(sender, connection, **kwargs):
    """Give every new SQLite connection the SQL functions the tables are filled with."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "search_plain_text", 1, plain_text, deterministic=True
        )


def _ids(values):
    """``values`` as a literal list of integers for an IN clause (ids only, never text)."""
    return ", ".join(str(int(value)) for value in values) or "NULL"


class SqliteSearch(SearchEngine):
    vendor = "sqlite"

    def matches(self, q, shortlist):
        # FTS5 ranks every match cheaply enough: no shortlist.
        query = fts_query(q)
        if query is None:
            return self.nothing()
        films = (
            Film.objects.filter(id__in=_matching("search_film", query))
            .annotate(
                tier=tier(
                    When(title__iexact=q, then=Value(0)),
                    When(original_title__iexact=q, then=Value(1)),
                    When(title__istartswith=q, then=Value(2)),
                ),
                rank=FtsRank("search_film", Film, WEIGHTS, query),
            )
            .order_by("tier", "rank", "-year", "title")
        )
        people = (
            Person.objects.filter(id__in=_matching("search_person", query))
            .only("name", "slug", "birth_year", "photo")
            .annotate(
                tier=tier(
                    When(name__iexact=q, then=Value(0)),
                    When(name__istartswith=q, then=Value(1)),
                )
            )
            .order_by("tier", "name")
        )
        reviews = (
            Review.objects.published()
            .filter(id__in=_matching("search_review", query))
            .annotate(rank=FtsRank("search_review", Review, WEIGHTS, query))
            .for_cards()
            .order_by("rank", "-published_at")
        )
        return {"films": films, "people": people, "reviews": reviews}

    def index(self, films=(), reviews=(), people=()):
        with connection.cursor() as cursor:
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

    def index_everything(self):
        self.rebuild()

    def rebuild(self, batch_size=1000):
        """Every table emptied and filled again, in one pass each (``batch_size`` is unused)."""
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute(_FILM_ROWS.format(where="1"))
            cursor.execute(_REVIEW_ROWS.format(where="1"))
            cursor.execute(_PERSON_ROWS.format(where="1"))
        return {
            model._meta.verbose_name_plural: model.objects.count()
            for model in (Film, Review, Person)
        }
