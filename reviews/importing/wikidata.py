"""
Wikidata (CC0, no key), through the ``wbsearchentities`` and
``wbgetentities`` actions of its MediaWiki API.

A film is an item that is an instance of film (P31 = Q11424); its facts come
from statements: publication date P577 (with place of publication P291),
duration P2047, title P1476, genre P136, country of origin P495, director P57,
screenwriter P58, director of photography P344, composer P86, film editor
P1040, producer P162, cast member P161 (with the character's name, P4633), and
the ids IMDb P345 and TMDB P4947 (films) / P4985 (people). Labels of the people,
genres and countries come from a second ``wbgetentities`` call.
"""

import datetime

from django.conf import settings

from reviews.importing import http
from reviews.importing.base import Source
from reviews.importing.http import SourceError
from reviews.importing.records import (
    Candidate,
    CreditRecord,
    FilmRecord,
    PersonRecord,
    ReleaseRecord,
)

FILM_CLASSES = {"Q11424", "Q506240", "Q24869", "Q202866"}  # film, TV film, feature, animated
ROLES = {
    "P57": "director",
    "P58": "writer",
    "P344": "cinematographer",
    "P86": "composer",
    "P1040": "editor",
    "P162": "producer",
    "P161": "cast",
}
CAST_LIMIT = 10
SEARCH_LIMIT = 10
BATCH = 50  # wbgetentities takes at most 50 ids


def _values(claims, prop):
    """The values of a property's statements, preferred ones first, deprecated ones left out."""
    statements = [s for s in claims.get(prop) or [] if s.get("rank") != "deprecated"]
    statements.sort(key=lambda s: s.get("rank") != "preferred")
    values = []
    for statement in statements:
        snak = statement.get("mainsnak") or {}
        if snak.get("snaktype") == "value":
            values.append((snak["datavalue"]["value"], statement.get("qualifiers") or {}))
    return values


def _item_ids(claims, prop):
    return [value["id"] for value, _ in _values(claims, prop) if isinstance(value, dict)]


def _string(claims, prop):
    for value, _ in _values(claims, prop):
        return value if isinstance(value, str) else value.get("text", "")
    return ""


def _date(value):
    """A day from a Wikidata time value, or None when it is less precise than a day."""
    try:
        if value["precision"] < 11:
            return None
        return datetime.date.fromisoformat(value["time"][1:11])
    except (KeyError, TypeError, ValueError):
        return None


def _year(value):
    try:
        return int(value["time"][1:5]) if value["precision"] >= 9 else None
    except (KeyError, TypeError, ValueError):
        return None


def _label(entity):
    labels = entity.get("labels") or {}
    return (labels.get("en") or next(iter(labels.values()), {})).get("value", "")


def genre_name(label):
    """Wikidata calls genres "crime film", "black comedy film": the site calls them "Crime"."""
    for suffix in (" film", " movie"):
        if label.endswith(suffix):
            label = label[: -len(suffix)]
    return label[:1].upper() + label[1:]


class Wikidata(Source):
    name = "wikidata"
    label = "Wikidata"
    id_field = "wikidata_id"
    attribution = "Film data from Wikidata, available under CC0."
    attribution_url = "https://www.wikidata.org/"

    def __init__(self, api_url=None):
        self.api_url = api_url or settings.WIKIDATA_API_URL

    def _get(self, **params):
        data = http.get(self.api_url, params={**params, "format": "json"}, source=self.label)
        if not isinstance(data, dict):
            raise SourceError(f"{self.label} answered with something that is not a record.")
        if "error" in data:
            info = (data["error"] or {}).get("info") or "an error"
            raise SourceError(f"{self.label} answered with an error: {info}")
        return data

    def _entities(self, ids, props="labels|claims"):
        entities = {}
        ids = list(dict.fromkeys(ids))
        for start in range(0, len(ids), BATCH):
            data = self._get(
                action="wbgetentities",
                ids="|".join(ids[start : start + BATCH]),
                props=props,
                languages="en",
            )
            found = data.get("entities")
            if not isinstance(found, dict):
                raise SourceError(f"{self.label} answered without entities.")
            entities.update({k: v for k, v in found.items() if "missing" not in v})
        return entities

    def search(self, title, year=None):
        data = self._get(
            action="wbsearchentities",
            search=title,
            language="en",
            type="item",
            limit=SEARCH_LIMIT,
        )
        hits = data.get("search")
        if not isinstance(hits, list):
            raise SourceError(f"{self.label} answered a search without results.")
        entities = self._entities([hit["id"] for hit in hits if hit.get("id")])
        films = []
        for hit in hits:
            entity = entities.get(hit.get("id"))
            if not entity:
                continue
            claims = entity.get("claims") or {}
            if not FILM_CLASSES & set(_item_ids(claims, "P31")):
                continue
            years = [_year(value) for value, _ in _values(claims, "P577")]
            film_year = min((y for y in years if y), default=None)
            if year and film_year and film_year != int(year):
                continue
            films.append((hit, entity, film_year))
        directors = self._entities(
            [d for _, entity, _ in films for d in _item_ids(entity.get("claims") or {}, "P57")],
            props="labels",
        )
        return [
            Candidate(
                source=self.name,
                key=entity["id"],
                title=_label(entity) or hit.get("label", ""),
                year=film_year,
                original_title=_string(entity.get("claims") or {}, "P1476"),
                directors=[
                    _label(directors[d])
                    for d in _item_ids(entity.get("claims") or {}, "P57")
                    if d in directors
                ],
                description=hit.get("description") or "",
            )
            for hit, entity, film_year in films
        ]

    def film(self, key):
        entity = self._entities([key]).get(key)
        if not entity:
            raise SourceError(f"{self.label} does not know {key}.")
        claims = entity.get("claims") or {}
        dates = [(_date(value), qualifiers) for value, qualifiers in _values(claims, "P577")]
        years = [_year(value) for value, _ in _values(claims, "P577")]
        year = min((y for y in years if y), default=None)
        title = _label(entity)
        if not title or not year:
            raise SourceError(f"{self.label}'s record of {key} has no title or release year.")
        people = {prop: _values(claims, prop) for prop in ROLES}
        places = {
            qualifier["datavalue"]["value"]["id"]: None
            for _, qualifiers in dates
            for qualifier in qualifiers.get("P291") or []
            if qualifier.get("snaktype") == "value"
        }
        related = self._entities(
            [
                *(value["id"] for values in people.values() for value, _ in values),
                *_item_ids(claims, "P136"),
                *_item_ids(claims, "P495"),
                *places,
            ]
        )

        def country_code(item):
            return _string((related.get(item) or {}).get("claims") or {}, "P297")

        runtime = None
        for value, _ in _values(claims, "P2047"):
            try:
                runtime = round(float(value["amount"]))
            except (KeyError, TypeError, ValueError):
                continue
            break
        tmdb = _string(claims, "P4947")
        film = FilmRecord(
            title=title,
            year=year,
            original_title=_string(claims, "P1476"),
            runtime=runtime or None,
            genres=[
                genre_name(_label(related[g])) for g in _item_ids(claims, "P136") if g in related
            ],
            countries=[c for c in map(country_code, _item_ids(claims, "P495")) if c],
            tmdb_id=int(tmdb) if tmdb.isdigit() else None,
            imdb_id=_string(claims, "P345"),
            wikidata_id=key,
        )
        for day, qualifiers in dates:
            for qualifier in qualifiers.get("P291") or []:
                if day and qualifier.get("snaktype") == "value":
                    code = country_code(qualifier["datavalue"]["value"]["id"])
                    if code:
                        film.releases.append(ReleaseRecord(code, day, "wide"))
        for prop, role in ROLES.items():
            for order, (value, qualifiers) in enumerate(people[prop]):
                person = related.get(value["id"])
                if not person or (role == "cast" and order >= CAST_LIMIT):
                    continue
                character = ""
                for qualifier in qualifiers.get("P4633") or []:
                    if qualifier.get("snaktype") == "value":
                        character = qualifier["datavalue"]["value"]
                film.credits.append(
                    CreditRecord(self._person(person), role, character=character, order=order)
                )
        return film

    @staticmethod
    def _person(entity):
        claims = entity.get("claims") or {}
        births = [_year(value) for value, _ in _values(claims, "P569")]
        tmdb = _string(claims, "P4985")
        return PersonRecord(
            name=_label(entity),
            wikidata_id=entity["id"],
            imdb_id=_string(claims, "P345"),
            tmdb_id=int(tmdb) if tmdb.isdigit() else None,
            birth_year=next((year for year in births if year), None),
        )
