"""The one test that talks to the real TMDB API: run it with TMDB_TOKEN set."""

import os

import pytest

from reviews.importing.tmdb import TMDB

TOKEN = os.environ.get("TMDB_TOKEN", "")

pytestmark = pytest.mark.skipif(not TOKEN, reason="set TMDB_TOKEN to test against the real TMDB")


def test_the_real_tmdb_finds_and_describes_fargo(settings):
    source = TMDB(TOKEN, api_url="https://api.themoviedb.org/3")
    candidates = source.search("Fargo", 1996)
    fargo = next(c for c in candidates if c.title == "Fargo" and c.year == 1996)
    assert "Joel Coen" in fargo.directors
    film = source.film(fargo.key)
    assert film.imdb_id == "tt0116282"
    roles = {(c.person.name, c.role) for c in film.credits}
    assert ("Joel Coen", "director") in roles and ("Roger Deakins", "cinematographer") in roles
