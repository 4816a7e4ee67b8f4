"""
TMDB (themoviedb.org), API v3 with a read access token.

Endpoints used: ``/search/movie``, ``/movie/{id}`` with
``append_to_response=credits,release_dates,external_ids``,
``/movie/{id}/credits`` (directors of the search results) and ``/person/{id}``
with ``append_to_response=external_ids``.
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

# TMDB's release types (1 premiere, 2 limited, 3 theatrical, 4 digital, 5 physical,
# 6 TV) onto the site's kinds; TV broadcasts are left out.
RELEASE_KINDS = {1: "festival", 2: "limited", 3: "wide", 4: "streaming", 5: "streaming"}
CREW_ROLES = {
    "Director": "director",
    "Screenplay": "writer",
    "Writer": "writer",
    "Director of Photography": "cinematographer",
    "Original Music Composer": "composer",
    "Music": "composer",
    "Editor": "editor",
    "Producer": "producer",
}
CAST_LIMIT = 10
SEARCH_LIMIT = 6
CERTIFICATIONS = {"G", "PG", "PG-13", "R", "NC-17", "NR"}


def _year(text):
    try:
        return datetime.date.fromisoformat(text[:10]).year
    except (TypeError, ValueError):
        return None


class TMDB(Source):
    name = "tmdb"
    label = "TMDB"
    id_field = "tmdb_id"
    attribution = "This product uses the TMDB API but is not endorsed or certified by TMDB."
    attribution_url = "https://www.themoviedb.org/"

    def __init__(self, token, api_url=None, image_url=None):
        self.token = token
        self.api_url = (api_url or settings.TMDB_API_URL).rstrip("/")
        self.image_url = (image_url or settings.TMDB_IMAGE_URL).rstrip("/")

    def _get(self, path, **params):
        data = http.get(
            f"{self.api_url}{path}",
            params=params,
            headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
            source=self.label,
        )
        if not isinstance(data, dict) or data.get("success") is False:
            raise SourceError(f"{self.label} answered with something that is not a record.")
        return data

    def _poster(self, path):
        return f"{self.image_url}{path}" if path else ""

    def search(self, title, year=None):
        params = {"query": title, "include_adult": "false"}
        if year:
            params["year"] = year
        results = self._get("/search/movie", **params).get("results")
        if not isinstance(results, list):
            raise SourceError(f"{self.label} answered a search without results.")
        candidates = []
        for result in results[:SEARCH_LIMIT]:
            if not isinstance(result, dict) or not result.get("id") or not result.get("title"):
                continue
            crew = self._get(f"/movie/{result['id']}/credits").get("crew") or []
            candidates.append(
                Candidate(
                    source=self.name,
                    key=str(result["id"]),
                    title=result["title"],
                    year=_year(result.get("release_date")),
                    original_title=result.get("original_title") or "",
                    directors=[c["name"] for c in crew if c.get("job") == "Director"],
                    poster_url=self._poster(result.get("poster_path")),
                    description=(result.get("overview") or "")[:200],
                )
            )
        return candidates

    def film(self, key):
        data = self._get(f"/movie/{key}", append_to_response="credits,release_dates,external_ids")
        year = _year(data.get("release_date"))
        if not data.get("title") or not year or not isinstance(data.get("id"), int):
            raise SourceError(f"{self.label}'s record has no title or release year.")
        external = data.get("external_ids") or {}
        countries = [c["iso_3166_1"] for c in data.get("production_countries") or []]
        film = FilmRecord(
            title=data["title"],
            year=year,
            original_title=data.get("original_title") or "",
            runtime=data.get("runtime") or None,
            synopsis=data.get("overview") or "",
            genres=[genre["name"] for genre in data.get("genres") or []],
            countries=countries,
            poster_url=self._poster(data.get("poster_path")),
            tmdb_id=data["id"],
            imdb_id=data.get("imdb_id") or external.get("imdb_id") or "",
            wikidata_id=external.get("wikidata_id") or "",
        )
        self._releases(film, (data.get("release_dates") or {}).get("results") or [], countries)
        credits = data.get("credits") or {}
        for member in credits.get("crew") or []:
            role = CREW_ROLES.get(member.get("job"))
            if role:
                film.credits.append(CreditRecord(self._person(member), role))
        cast = sorted(credits.get("cast") or [], key=lambda member: member.get("order", 0))
        for member in cast[:CAST_LIMIT]:
            film.credits.append(
                CreditRecord(
                    self._person(member),
                    "cast",
                    character=member.get("character") or "",
                    order=member.get("order", 0),
                )
            )
        return film

    def _releases(self, film, results, countries):
        """Releases in the film's own countries and the US, and its first premiere."""
        premieres = []
        for country in results:
            code = country.get("iso_3166_1")
            for release in country.get("release_dates") or []:
                kind = RELEASE_KINDS.get(release.get("type"))
                try:
                    date = datetime.date.fromisoformat(release["release_date"][:10])
                except (KeyError, TypeError, ValueError):
                    continue
                if not kind:
                    continue
                record = ReleaseRecord(code, date, kind, (release.get("note") or "")[:100])
                if code == "US" and not film.certification:
                    certification = release.get("certification") or ""
                    film.certification = certification if certification in CERTIFICATIONS else ""
                if code in countries or code == "US":
                    film.releases.append(record)
                elif kind == "festival":
                    premieres.append(record)
        if premieres and not any(r.kind == "festival" for r in film.releases):
            film.releases.append(min(premieres, key=lambda record: record.date))
        # One release per country and kind: the earliest.
        earliest = {}
        for record in sorted(film.releases, key=lambda record: record.date):
            earliest.setdefault((record.country, record.kind), record)
        film.releases = list(earliest.values())

    @staticmethod
    def _person(member):
        return PersonRecord(name=member["name"], tmdb_id=member["id"])

    def complete_person(self, person):
        if not person.tmdb_id:
            return
        try:
            data = self._get(f"/person/{person.tmdb_id}", append_to_response="external_ids")
        except http.NotFound:
            return  # the credit's name is enough to go on
        external = data.get("external_ids") or {}
        person.birth_year = person.birth_year or _year(data.get("birthday"))
        person.imdb_id = person.imdb_id or data.get("imdb_id") or external.get("imdb_id") or ""
        person.wikidata_id = person.wikidata_id or external.get("wikidata_id") or ""
