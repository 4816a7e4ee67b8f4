"""
The film databases an editor may import from, behind one interface.

A source searches by title (and year), reads one film's record with its
people, completes a person (birth year, other ids) and fetches a poster. It
says which Film/Person field holds its own id, so that a film imported once is
refreshed, not duplicated. Which sources are on comes from the settings:
``TMDB_TOKEN`` turns TMDB on, ``WIKIDATA_IMPORT`` Wikidata.
"""

from django.conf import settings

from reviews.importing.base import Source
from reviews.importing.http import SourceError
from reviews.importing.tmdb import TMDB
from reviews.importing.wikidata import Wikidata

__all__ = ["Source", "SourceError", "available", "get", "HOW_TO_TURN_ON"]

HOW_TO_TURN_ON = (
    "Importing from a film database is off. Set TMDB_TOKEN to a TMDB API read access "
    "token (themoviedb.org › Settings › API) to import from TMDB, and/or WIKIDATA_IMPORT=1 "
    "to import from Wikidata (no key needed), then restart the site."
)


def available():
    """The sources that are turned on, TMDB first."""
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
