import re

import pytest

from tests.factories import make_film, make_person, make_review
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
