"""
What search finds, on whichever database the run uses (CI runs this module on
SQLite and again on PostgreSQL): both engines index the same things and read a
query the same way (search.base).
"""

import pytest
from django.db import connection
from django.utils import timezone

from search.base import SearchEngine
from search.engines import ENGINES, engine, search_results
from tests.factories import make_credit, make_film, make_person, make_review
from tests.reviews.test_review_page import text

pytestmark = pytest.mark.django_db


def found(q, kind):
    return [str(item) for item in search_results(q)[kind]]


def days_ago(days):
    return timezone.now() - timezone.timedelta(days=days)


def test_each_database_has_an_engine_that_implements_the_whole_interface():
    assert set(ENGINES) == {"postgresql", "sqlite"}
    assert engine().vendor == connection.vendor
    for name in ("matches", "index", "index_everything", "rebuild"):
        for implementation in ENGINES.values():
            assert getattr(type(implementation), name) is not getattr(SearchEngine, name), name


# --- What is indexed -----------------------------------------------------------


def test_a_film_is_found_by_its_titles_people_characters_and_synopsis(db):
    film = make_film(
        title="Blade Runner",
        original_title="Bladerunner Original",
        year=1982,
        synopsis="A detective hunts replicants through a rainy city.",
    )
    make_credit(film=film, person=make_person(name="Ridley Scott"), role="director")
    ford = make_person(name="Harrison Ford")
    make_credit(film=film, person=ford, role="cast", character="Rick Deckard")
    make_credit(film=film, person=make_person(name="Jordan Cronenweth"), role="cinematographer")
    for q in ("blade runner", "bladerunner", "ridley", "harrison ford", "deckard", "replicants"):
        assert found(q, "films") == ["Blade Runner (1982)"], q
    # Only the directors and the cast are what a film is found by.
    assert found("cronenweth", "films") == []


def test_a_review_is_found_by_its_words_its_films_titles_and_people_but_not_its_tags(db):
    film = make_film(title="Quiet Coast", original_title="Côte tranquille")
    make_credit(film=film, person=make_person(name="Ida Lighthouse"), role="cast")
    make_review(
        film=film,
        headline="Keepers",
        standfirst="Two keepers, one winter.",
        body='<p>The <strong>zeppelin</strong> <a href="https://example.com/x">sequence</a>.</p>',
    )
    for q in ("keepers", "winter", "zeppelin", "sequence", "quiet coast", "tranquille", "ida"):
        assert found(q, "reviews") == ["Keepers"], q
    # The body is read without its HTML: neither tags nor addresses are words of it.
    for q in ("strong", "href", "example"):
        assert found(q, "reviews") == [], q


def test_people_are_found_by_their_names_only(db):
    make_person(name="Agnès Varda", bio="A photographer who became a filmmaker.")
    assert found("varda", "people") == ["Agnès Varda"]
    assert found("photographer", "people") == []


def test_words_not_substrings(db):
    make_film(title="Heat", year=1995)
    make_review(headline="Night at the theater")
    # "eat" is inside "Heat" and "eater" inside "theater": neither is a word of theirs.
    assert found("eat", "films") == []
    assert found("eater", "reviews") == []


def test_accents_fold_both_ways(db):
    make_film(title="Le Fabuleux Destin d'Amélie Poulain", year=2001)
    make_film(title="Etre et avoir", year=2002)
    make_film(title="Café Society", year=2016)
    make_person(name="Agnès Varda")
    make_person(name="Jose Garcia")
    make_review(headline="A quiet one", standfirst="A naïve hero, a patient film.")
    assert found("amelie poulain", "films") == ["Le Fabuleux Destin d'Amélie Poulain (2001)"]
    assert found("être", "films") == ["Etre et avoir (2002)"]
    assert found("cafe society", "films") == ["Café Society (2016)"]
    assert found("Agnes Varda", "people") == ["Agnès Varda"]
    assert found("José García", "people") == ["Jose Garcia"]
    assert found("naive", "reviews") == ["A quiet one"]


def test_english_words_are_stemmed_and_french_ones_where_the_engine_can(db):
    make_film(title="The Ghost Writer", year=2010)
    make_review(headline="Horses", body="<p>Les chevaux courent sur la plage.</p>")
    make_review(headline="Spirits", body="<p>Three ghosts and a haunted house.</p>")
    assert found("ghosts", "films") == ["The Ghost Writer (2010)"]
    assert found("writers", "films") == ["The Ghost Writer (2010)"]
    assert found("ghost", "reviews") == ["Spirits"]
    assert found("chevaux", "reviews") == ["Horses"]
    assert (found("cheval", "reviews") == ["Horses"]) == engine().stems_french


def test_the_last_word_matches_as_a_prefix_and_web_search_syntax_works(db):
    audiard = make_person(name="Jacques Audiard")
    rust = make_film(title="Rust and Bone", year=2012)
    make_credit(film=rust, person=audiard)
    make_film(title="Rust Belt Blues", year=1999)
    assert found("audi", "people") == ["Jacques Audiard"]
    assert found("audi", "films") == ["Rust and Bone (2012)"]
    assert found("rust and bo", "films") == ["Rust and Bone (2012)"]
    # Only the last word is a prefix, and a single letter is not one.
    assert found("ru bone", "films") == []
    assert found("rust b", "films") == []
    assert found("rust -bone", "films") == ["Rust Belt Blues (1999)"]
    assert found('"rust bone"', "films") == []
    assert found('"rust belt"', "films") == ["Rust Belt Blues (1999)"]
    assert sorted(found("bone or belt", "films")) == [
        "Rust Belt Blues (1999)",
        "Rust and Bone (2012)",
    ]
    assert found("rust bone", "films") == ["Rust and Bone (2012)"]


def test_punctuation_and_operators_are_words_or_nothing(db):
    make_film(title="Rust and Bone", year=2012)
    for q in ['"', "-", "!x", "a:*", "50%_x", "'", "(", "\\", "⁅", "¿", "rust |", "NEAR(a b)"]:
        for kind in ("films", "people", "reviews"):
            list(search_results(q)[kind])  # no error
    assert found("rust |", "films") == found("(rust)", "films") == ["Rust and Bone (2012)"]
    assert found("NEAR(rust bone)", "films") == []


# --- Order ---------------------------------------------------------------------


def test_title_matches_rank_first(db):
    make_film(title="Heat Wave Somewhere", year=1990)
    make_film(title="Heat", year=1995)
    make_film(title="The Heat", year=2013)
    make_film(title="Chaleur", original_title="Heat Original", year=2000)
    assert found("heat", "films")[:2] == ["Heat (1995)", "Heat Wave Somewhere (1990)"]


def test_films_rank_by_title_then_people_then_synopsis(db):
    # The newest film matches in its synopsis, the oldest in its title: rank beats recency.
    make_film(title="Harbour Lights", year=2020, synopsis="A lighthouse keeper's last winter.")
    by_person = make_film(title="Quiet Coast", year=2010)
    make_credit(film=by_person, person=make_person(name="Ida Lighthouse"), role="cast")
    make_film(title="The Lighthouse", year=2000)
    assert found("lighthouse", "films") == [
        "The Lighthouse (2000)",
        "Quiet Coast (2010)",
        "Harbour Lights (2020)",
    ]


def test_reviews_rank_by_titles_then_people_then_standfirst_then_body(db):
    make_review(
        headline="Fourth",
        body="<p>The <b>lighthouse</b> scenes drag.</p>",
        published_at=days_ago(1),
    )
    make_review(
        headline="Third", standfirst="Two keepers, one lighthouse.", published_at=days_ago(2)
    )
    film = make_film(title="Quiet Coast")
    make_credit(film=film, person=make_person(name="Ida Lighthouse"))
    make_review(film=film, headline="Second", published_at=days_ago(3))
    make_review(film=make_film(title="The Lighthouse"), headline="First", published_at=days_ago(4))
    assert found("lighthouse", "reviews") == ["First", "Second", "Third", "Fourth"]


def test_people_rank_the_exact_name_then_names_that_start_with_it(db):
    make_person(name="Anna Karina Studies")
    make_person(name="Paul Anna")
    make_person(name="Anna Karina")
    assert found("anna karina", "people") == ["Anna Karina", "Anna Karina Studies"]
    assert found("anna", "people")[:2] == ["Anna Karina", "Anna Karina Studies"]


def test_only_public_reviews_are_found_by_any_of_their_words(db):
    for status, when in [("published", days_ago(1)), ("draft", None), ("scheduled", days_ago(-1))]:
        make_review(
            headline=f"A {status} piece",
            body="<p>The zeppelin sequence.</p>",
            status=status,
            published_at=when,
        )
    assert found("zeppelin", "reviews") == ["A published piece"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL ranks a shortlist")
def test_a_word_in_more_films_than_the_overview_ranks_still_leads_with_the_exact_title(
    client, monkeypatch
):
    """The overview ranks a shortlist of a common word's matches; the exact title is on it."""
    monkeypatch.setattr("search.views.SHORTLIST", 3)
    make_film(title="Night", year=1950)
    for n in range(8):
        make_film(title=f"Another Long Night of the Year {n}", year=2000 + n)
    make_film(title="Nights", year=1960)
    make_review(
        film=make_film(title="Old Town"),
        headline="Nights in the old town",
        published_at=days_ago(30),
    )
    for n in range(4):
        make_review(headline=f"Night review {n}", published_at=days_ago(n))
    overview = text(client.get("/search/?q=night"))
    assert overview.index("Night (1950)") < overview.index("Nights (1960)")
    # The shortlist holds the newest reviews; the full list ranks every match.
    assert "Night review 0" in overview and "Nights in the old town" not in overview
    assert "Nights in the old town" in text(client.get("/search/?q=night&kind=reviews"))
    films = text(client.get("/search/?q=night&kind=films"))
    assert "Another Long Night of the Year 7" in films
