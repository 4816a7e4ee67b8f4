"""
People and genres from a source, matched to the catalogue's.

A person is the same person when an external id says so; a person with the
same name and a compatible birth year is only a candidate, for the editor to
confirm. A genre is matched by name (and a few common spellings); an unknown
genre is proposed to the editor, never created on its own.
"""

from django.db.models import Q

from people.models import Person
from reviews.models import Genre

ID_FIELDS = ("tmdb_id", "imdb_id", "wikidata_id")
# Names sources use for genres the site spells otherwise, folded to lower case.
GENRE_ALIASES = {
    "sci-fi": "science fiction",
    "science-fiction": "science fiction",
    "musical": "music",
    "biography": "biopic",
    "film noir": "film-noir",
}


def _ids(record):
    return {field: getattr(record, field) for field in ID_FIELDS if getattr(record, field)}


def by_ids(model, record):
    """The one row of ``model`` that shares an external id with ``record``, or None."""
    ids = _ids(record)
    if not ids:
        return None
    condition = Q()
    for field, value in ids.items():
        condition |= Q(**{field: value})
    matches = list(model.objects.filter(condition)[:2])
    # Several rows: the ids disagree; the first id in ID_FIELDS order wins.
    for field, value in ids.items():
        for match in matches:
            if getattr(match, field) == value:
                return match
    return None


def person_candidates(record):
    """People with this name whose birth year and ids do not rule them out."""
    people = Person.objects.filter(name__iexact=record.name.strip())
    if record.birth_year:
        people = people.filter(Q(birth_year=record.birth_year) | Q(birth_year__isnull=True))
    for field, value in _ids(record).items():
        # Someone holding another id of the same kind is someone else.
        empty = Q(**{f"{field}__isnull": True}) if field == "tmdb_id" else Q(**{field: ""})
        people = people.filter(empty | Q(**{field: value}))
    return list(people.order_by("pk")[:5])


def genre_for(name):
    """The site's genre called ``name`` (or one of its other spellings), or None."""
    folded = name.strip().casefold()
    names = {folded, GENRE_ALIASES.get(folded, folded)}
    condition = Q()
    for candidate in names:
        condition |= Q(name__iexact=candidate)
    # A top-level genre before a sub-genre of the same name.
    return Genre.objects.filter(condition).order_by("parent_id", "pk").first()
