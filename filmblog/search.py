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

``python manage.py update_search_index`` rebuilds every document, for when the
way they are built changes.

On SQLite, search is a case-insensitive substring match ("rouille" finds "De
rouille et d'os") on titles, names, headlines and standfirsts, ordered by the
same tiers with "contains" in place of rank; no index, no accent folding.

Either way, a reader only finds published reviews whose time has come.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Expression,
    F,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Length, Lower, Substr
from django.db.models.lookups import Exact, Regex, StartsWith

from people.models import Person
from reviews.models import Film, Review

# Text search configurations made by reviews/migrations/0007_search.py.
LANGUAGES = ("filmblog_en", "filmblog_fr")
NAMES = "filmblog_names"


def search_results(q):
    """Films, people and reviews matching ``q``: {"films": qs, "people": qs, "reviews": qs}."""
    if connection.vendor == "postgresql":
        return _full_text(q)
    return _substring(q)


# --- PostgreSQL ---------------------------------------------------------------


class Document(Expression):
    """
    The ``search_vector`` column of the table being queried (reviews_film or
    reviews_review), which the model does not declare.
    """

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, *args, **kwargs):
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.search_vector", []


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


def text_query(q, configs):
    """``q`` parsed with each configuration, as web-search syntax and as a prefix, OR-ed."""
    prefix = prefix_query(q)
    parts = []
    for config in configs:
        parts.append(SearchQuery(q, config=config, search_type="websearch"))
        if prefix:
            parts.append(SearchQuery(prefix, config=config, search_type="raw"))
    query = parts[0]
    for part in parts[1:]:
        query = query | part
    return query


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


def _full_text(q):
    query = text_query(q, LANGUAGES)
    films = (
        Film.objects.alias(document=Document())
        .filter(document=query)
        .annotate(
            tier=_tier(
                When(_is("title", q), then=Value(0)),
                When(_is("original_title", q), then=Value(1)),
                When(_starts_with("title", q), then=Value(2)),
            ),
            rank=SearchRank(F("document"), query),
        )
        .order_by("tier", "-rank", "-year", "title")
    )
    people = (
        Person.objects.alias(names=NameDocument("name"))
        .filter(names=text_query(q, [NAMES]))
        .only("name", "slug", "birth_year")
        .annotate(
            tier=_tier(
                When(_is("name", q), then=Value(0)),
                When(_starts_with("name", q), then=Value(1)),
            )
        )
        .order_by("tier", "name")
    )
    reviews = (
        Review.objects.published()
        .alias(document=Document())
        .filter(document=query)
        .annotate(rank=SearchRank(F("document"), query))
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


def _substring(q):
    """
    An exact title (or name) first, then titles that start with ``q``, then
    titles that contain it, then matches elsewhere (a film's original title, a
    review's standfirst).
    """
    films = (
        Film.objects.filter(Q(title__icontains=q) | Q(original_title__icontains=q))
        .annotate(
            tier=_tier(
                When(title__iexact=q, then=Value(0)),
                When(original_title__iexact=q, then=Value(1)),
                When(title__istartswith=q, then=Value(2)),
                When(title__icontains=q, then=Value(3)),
            )
        )
        .order_by("tier", "-year", "title")
    )
    people = (
        Person.objects.filter(name__icontains=q)
        .only("name", "slug", "birth_year")
        .annotate(
            tier=_tier(
                When(name__iexact=q, then=Value(0)),
                When(name__istartswith=q, then=Value(1)),
            )
        )
        .order_by("tier", "name")
    )
    # Reviews match on their own words; their headlines name the film, and the
    # films list already covers titles in every language.
    reviews = (
        Review.objects.published()
        .filter(Q(headline__icontains=q) | Q(standfirst__icontains=q))
        .annotate(
            tier=_tier(
                When(headline__istartswith=q, then=Value(0)),
                When(headline__icontains=q, then=Value(1)),
            )
        )
        .for_cards()
        .order_by("tier", "-published_at")
    )
    return {"films": films, "people": people, "reviews": reviews}
