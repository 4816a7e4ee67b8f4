"""The search page: what a reader sees, on whichever database the run uses."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.engines import engine
from tests.factories import make_credit, make_film, make_person, make_review
from tests.reviews.test_review_page import text

pytestmark = pytest.mark.django_db


def section(html, kind):
    match = re.search(rf'<section aria-labelledby="results-{kind}">(.*?)</section>', html, re.S)
    return match.group(1) if match else ""


def test_audiard_finds_the_man_and_his_reviews(client, demo):
    html = client.get("/search/?q=Audiard").content.decode()
    assert "Jacques Audiard</a>" in section(html, "people")
    assert "Rust and Bone: two bruised" in section(html, "reviews")


def test_the_original_title_finds_the_film(client, demo):
    body = text(client.get("/search/?q=rouille"))
    assert "Rust and Bone (2012) aka De rouille et d'os" in body


def test_title_matches_rank_first(client, db):
    make_film(title="Heat Wave Somewhere", year=1990)
    make_film(title="Heat", year=1995)
    make_film(title="The Heat", year=2013)
    body = text(client.get("/search/?q=heat&kind=films"))
    assert body.index("Heat (1995)") < body.index("Heat Wave Somewhere") < body.index("The Heat")


def test_only_public_reviews_are_found(client):
    make_review(headline="Needle published")
    make_review(headline="Needle draft", status="draft")
    body = text(client.get("/search/?q=needle"))
    assert "Needle published" in body and "Needle draft" not in body


def test_results_paginate_by_kind(client, db):
    for i in range(25):
        make_person(name=f"Zed Person {i:02}")
    overview = text(client.get("/search/?q=zed"))
    assert "All people matching “zed”" in overview
    second = text(client.get("/search/?q=zed&kind=people&page=2"))
    assert "Page 2 of 2" in second and "Zed Person 24" in second


def test_an_empty_search_and_no_results(client, db):
    assert "Type a film title" in text(client.get("/search/"))
    assert "Nothing matches “qwxz”" in text(client.get("/search/?q=qwxz"))


def test_search_pages_are_not_indexed(client, db):
    assert (
        '<meta name="robots" content="noindex, follow">'
        in client.get("/search/?q=x").content.decode()
    )


def test_the_search_page_runs_the_same_queries_for_few_and_many_results(client, db):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def catalogue(word, n):
        for i in range(n):
            film = make_film(title=f"{word} {i}")
            make_credit(film=film, person=make_person(name=f"{word} Person {i}"))
            make_review(film=film, headline=f"{word} review {i}")

    catalogue("Quokka", 1)
    catalogue("Wombat", 25)
    # The first page after a change also reads when the next scheduled change is due.
    client.get("/search/?q=warm")
    few, many = queries("/search/?q=quokka"), queries("/search/?q=wombat")
    assert few == many <= 6
    for kind in ("films", "people", "reviews"):
        few = queries(f"/search/?q=quokka&kind={kind}")
        many = queries(f"/search/?q=wombat&kind={kind}&page=2")
        assert few == many <= 4


def test_punctuation_and_search_operators_are_taken_as_text(client, db):
    make_film(title="Rust and Bone")
    for q in ['"', "-", "!x", "a:*", "50%_x", "'", "(", "\\", "⁅", "¿", "rust |"]:
        for kind in ("", "films", "people", "reviews"):
            assert client.get("/search/", {"q": q, "kind": kind}).status_code == 200, q


@pytest.mark.parametrize(
    ("query", "kind", "expected"),
    [
        ("stephane", "people", "Stéphane Fontaine</a>"),
        ("celine", "people", "Céline Sallette</a>"),
        ("prophete", "films", "<cite>A Prophet</cite>"),
        ("Stéphanie", "films", "<cite>Rust and Bone</cite>"),
        ("orca", "films", "<cite>Rust and Bone</cite>"),
        ("orca", "reviews", "Rust and Bone: two bruised"),
        ("audiard", "films", "<cite>Rust and Bone</cite>"),
        ("audiard", "films", "<cite>A Prophet</cite>"),
    ],
)
def test_accents_fold_and_every_word_counts(client, demo, query, kind, expected):
    html = client.get("/search/", {"q": query}).content.decode()
    assert expected in section(html, kind)


def test_films_and_people_come_with_their_reviews_and_thumbnails(client, demo):
    html = client.get("/search/?q=audiard").content.decode()
    people = section(html, "people")
    assert "Reviews: <a" in people and "<cite>Rust and Bone</cite> (2012)</a>" in people
    films = section(html, "films")
    assert "Our review: <a" in films
    assert films.count('class="result-thumb"') == films.count("<li")


def test_the_search_page_has_one_search_box(client, db):
    html = client.get("/search/?q=x").content.decode()
    assert html.count('type="search"') == 1


@pytest.mark.parametrize(
    ("query", "name"), [("cotilard", "Marion Cotillard"), ("jacqes audiard", "Jacques Audiard")]
)
def test_a_misspelt_name_finds_the_person_where_the_engine_can(client, demo, query, name):
    """PostgreSQL finds a misspelt name (pg_trgm); SQLite says it does not."""
    html = client.get("/search/", {"q": query}).content.decode()
    assert (f"{name}</a>" in section(html, "people")) == engine().finds_misspelt_names
