"""The TMDB and Wikidata clients against the replay server: shapes, failures, retries."""

import datetime
import re

import pytest

from reviews.importing import sources as importing_sources
from reviews.importing.sources import SourceError
from reviews.importing.tmdb import TMDB
from tests.reviews.replay import replay_server, sources  # noqa: F401


def tmdb():
    return importing_sources.get("tmdb")


def test_tmdb_search_lists_candidates_with_poster_year_directors_and_original_title(sources):  # noqa: F811
    candidates = tmdb().search("Fargo", 1996)
    fargo = candidates[0]
    assert (fargo.key, fargo.title, fargo.year) == ("275", "Fargo", 1996)
    assert fargo.directors == ["Joel Coen", "Ethan Coen"]
    assert fargo.poster_url.endswith("/t/p/w780/fargo.png")
    assert candidates[1].year is None and candidates[1].poster_url == ""
    assert (
        "/3/search/movie",
        {"query": "Fargo", "include_adult": "false", "year": "1996"},
    ) in sources.requests


def test_tmdb_film_maps_facts_releases_and_credits(sources):  # noqa: F811
    film = tmdb().film("275")
    assert (film.title, film.year, film.runtime, film.certification) == ("Fargo", 1996, 98, "R")
    assert (film.tmdb_id, film.imdb_id, film.wikidata_id) == (275, "tt0116282", "Q222720")
    assert film.genres == ["Crime", "Drama", "Thriller"]
    assert film.countries == ["US", "GB"]
    releases = {(r.country, r.kind, r.date) for r in film.releases}
    assert releases == {
        ("US", "wide", datetime.date(1996, 3, 8)),
        ("US", "limited", datetime.date(1996, 3, 8)),
        ("US", "streaming", datetime.date(1997, 7, 1)),  # physical
        ("FR", "festival", datetime.date(1996, 5, 13)),  # the premiere, outside its countries
        ("GB", "wide", datetime.date(1996, 5, 31)),
    }
    credits = {(c.person.name, c.role, c.character) for c in film.credits}
    assert ("Joel Coen", "director", "") in credits and ("Joel Coen", "writer", "") in credits
    assert ("Roger Deakins", "cinematographer", "") in credits
    assert ("Frances McDormand", "cast", "Marge Gunderson") in credits
    assert not any(
        c.person.name == "Ellen Chenoweth" for c in film.credits
    )  # casting: not a role here


def test_tmdb_completes_a_person_and_shrugs_at_an_unknown_one(sources):  # noqa: F811
    film = tmdb().film("275")
    joel = next(c.person for c in film.credits if c.person.name == "Joel Coen")
    tmdb().complete_person(joel)
    assert (joel.birth_year, joel.imdb_id, joel.wikidata_id) == (1954, "nm0001054", "Q13595531")
    buscemi = next(c.person for c in film.credits if c.person.name == "Steve Buscemi")
    tmdb().complete_person(buscemi)  # 404 from TMDB: the name is enough
    assert buscemi.birth_year is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Slow", "TMDB did not answer (timed out) after 3 tries"),
        ("Busy", "TMDB is rate-limiting us (HTTP 429) and still was after 3 tries"),
        ("Garbage", "TMDB answered with something that is not JSON"),
    ],
)
def test_tmdb_failures_say_what_happened(sources, query, message):  # noqa: F811
    with pytest.raises(SourceError, match=re.escape(message)):
        tmdb().search(query)
    tries = [r for r in sources.requests if r[1].get("query") == query]
    assert len(tries) == (1 if query == "Garbage" else 3)


def test_a_5xx_is_retried_and_then_answers(sources):  # noqa: F811
    assert tmdb().search("Flaky")[0].title == "Fargo"
    assert sources.flaky == 2


def test_a_wrong_token_is_explained(sources, settings):  # noqa: F811
    source = TMDB("wrong", api_url=settings.TMDB_API_URL)
    with pytest.raises(SourceError, match="refused our credentials.*Invalid API key"):
        source.search("Fargo")


def test_an_unknown_film_is_explained(sources):  # noqa: F811
    with pytest.raises(SourceError, match="does not know this record"):
        tmdb().film("1")


def test_wikidata_search_keeps_films_only(sources):  # noqa: F811
    candidates = importing_sources.get("wikidata").search("Fargo")
    assert [(c.key, c.title, c.year) for c in candidates] == [("Q222720", "Fargo", 1996)]
    assert candidates[0].directors == ["Joel Coen", "Ethan Coen"]
    assert importing_sources.get("wikidata").search("Fargo", 2014) == []


def test_wikidata_film_reads_the_statements(sources):  # noqa: F811
    film = importing_sources.get("wikidata").film("Q222720")
    assert (film.title, film.year, film.runtime) == ("Fargo", 1996, 98)
    assert (film.tmdb_id, film.imdb_id, film.wikidata_id) == (275, "tt0116282", "Q222720")
    assert film.genres == ["Crime", "Black comedy"]
    assert film.countries == ["US", "GB"]
    assert {(r.country, r.date.isoformat()) for r in film.releases} == {
        ("US", "1996-03-08"),
        ("GB", "1996-05-31"),
    }
    joel = next(c.person for c in film.credits if c.person.name == "Joel Coen")
    assert (joel.birth_year, joel.imdb_id, joel.tmdb_id) == (1954, "nm0001054", 1223)
    cast = [(c.person.name, c.character) for c in film.credits if c.role == "cast"]
    assert cast == [
        ("Frances McDormand", "Marge Gunderson")
    ]  # the deprecated statement is left out


def test_wikidata_errors_are_explained(sources):  # noqa: F811
    with pytest.raises(SourceError, match="Wikidata answered with an error: Could not find"):
        importing_sources.get("wikidata").film("Q0")


def test_no_source_is_on_without_settings(settings):
    settings.TMDB_TOKEN = ""
    settings.WIKIDATA_IMPORT = False
    assert importing_sources.available() == []
    with pytest.raises(SourceError, match="Set TMDB_TOKEN"):
        importing_sources.get("tmdb")
