"""
The film databases an editor may import from, behind one interface.

A source searches by title (and year), reads one film's record with its
people, completes a person (birth year, other ids) and fetches a poster. It
says which Film/Person field holds its own id, so that a film imported once is
refreshed, not duplicated. Which sources are on comes from the settings:
``TMDB_TOKEN`` turns TMDB on, ``WIKIDATA_IMPORT`` Wikidata.
"""

from django.conf import settings

from reviews.importing import http
from reviews.importing.http import SourceError

__all__ = ["Source", "SourceError", "available", "get", "HOW_TO_TURN_ON"]

HOW_TO_TURN_ON = (
    "Importing from a film database is off. Set TMDB_TOKEN to a TMDB API read access "
    "token (themoviedb.org › Settings › API) to import from TMDB, and/or WIKIDATA_IMPORT=1 "
    "to import from Wikidata (no key needed), then restart the site."
)


class Source:
    name = ""  # as in addresses and forms: "tmdb"
    label = ""  # as editors read it: "TMDB"
    id_field = ""  # the Film and Person field holding this source's id
    attribution = ""  # what the source's terms ask us to show where its data is used
    attribution_url = ""

    def search(self, title, year=None):
        """A list of records.Candidate, best first."""
        raise NotImplementedError

    def film(self, key):
        """The records.FilmRecord of the film with this key (its id in the source)."""
        raise NotImplementedError

    def complete_person(self, person):
        """Fill the birth year and other ids of a records.PersonRecord, in place."""

    def poster(self, url):
        """The image bytes at ``url``."""
        return http.get(url, source=self.label, binary=True)


def available():
    """The sources that are turned on, TMDB first."""
    from reviews.importing.tmdb import TMDB
    from reviews.importing.wikidata import Wikidata

    sources = []
    if settings.TMDB_TOKEN:
        sources.append(TMDB(settings.TMDB_TOKEN))
    if settings.WIKIDATA_IMPORT:
        sources.append(Wikidata())
    return sources


def get(name):
    for source in available():
        if source.name == name:
            return source
    raise SourceError(f"The source “{name}” is not turned on. {HOW_TO_TURN_ON}")
