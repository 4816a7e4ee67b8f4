"""ETags and 304s, the page cache's tags, and a fixed number of queries per endpoint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pagecache import tag
from core.purges import expire_pages
from reviews.models import Credit
from tests.factories import (
    make_credit,
    make_film,
    make_genre,
    make_person,
    make_quote,
    make_release,
    make_review,
)

pytestmark = pytest.mark.django_db


def test_an_unchanged_answer_is_a_304(api, review):
    first = api.get("/api/v1/reviews/")
    etag = first["ETag"]
    assert etag
    again = api.get("/api/v1/reviews/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert "private" in first["Cache-Control"]
    review.headline = "A new headline"
    review.save()
    changed = api.get("/api/v1/reviews/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and b"A new headline" in changed.content


def warm(api, address):
    """Until the answer is stored: a list learns its tags on the first request."""
    for _ in range(3):
        if api.get(address).get("X-Page-Cache") == "hit":
            return
    raise AssertionError(f"{address} was never served from the cache")


def test_answers_are_served_from_the_page_cache(api, review):
    warm(api, "/api/v1/reviews/")
    warm(api, f"/api/v1/films/{review.film_id}/")
    with CaptureQueriesContext(connection) as queries:
        hit = api.get("/api/v1/reviews/")
    assert hit["X-Page-Cache"] == "hit" and len(queries) == 0
    assert hit.json()["data"][0]["id"] == review.pk


def test_an_edit_expires_the_answers_that_show_it(api, review):
    warm(api, "/api/v1/reviews/")
    review.headline = "Edited"
    review.save()
    response = api.get("/api/v1/reviews/")
    assert response["X-Page-Cache"] != "hit" and b"Edited" in response.content


def test_a_reader_rating_expires_the_review_and_lists_that_show_it_only(api, review):
    other = make_review(headline="Another")
    warm(api, "/api/v1/reviews/")
    warm(api, f"/api/v1/reviews/{review.pk}/")
    warm(api, f"/api/v1/reviews/{other.pk}/")
    warm(api, "/api/v1/genres/")
    # What a reader's rating does (reviews/reader_actions.py).
    expire_pages(tag("review", review.pk, "readers"))
    assert api.get("/api/v1/reviews/")["X-Page-Cache"] != "hit"
    assert api.get(f"/api/v1/reviews/{review.pk}/")["X-Page-Cache"] != "hit"
    assert api.get(f"/api/v1/reviews/{other.pk}/")["X-Page-Cache"] == "hit"
    assert api.get("/api/v1/genres/")["X-Page-Cache"] == "hit"


def test_a_stored_answer_is_not_served_without_a_key(api, client, review):
    warm(api, "/api/v1/reviews/")
    client.defaults.pop("HTTP_AUTHORIZATION")
    assert client.get("/api/v1/reviews/").status_code == 401


def test_keys_sent_in_the_address_share_one_stored_answer(client, api_key, review):
    from api.keys import create_key

    _, other = create_key("Another client")
    first = client.get(f"/api/v1/reviews/?limit=5&key={api_key[1]}")
    assert first.status_code == 200
    warm(client, f"/api/v1/reviews/?key={api_key[1]}&limit=5")
    hit = client.get(f"/api/v1/reviews/?key={other}&limit=5")
    assert hit["X-Page-Cache"] == "hit" and hit.content == first.content
    assert api_key[1] not in hit.content.decode()
    # The other parameters still count.
    assert client.get(f"/api/v1/reviews/?key={other}&limit=6")["X-Page-Cache"] != "hit"
    assert client.get("/api/v1/reviews/?key=fb_not-a-key&limit=5").status_code == 401


def test_a_stored_answer_keeps_cors_per_key(api, review):
    warm(api, "/api/v1/genres/")
    hit = api.get("/api/v1/genres/", HTTP_ORIGIN="https://festival.example")
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Access-Control-Allow-Origin"] == "https://festival.example"
    assert "Access-Control-Allow-Origin" not in api.get(
        "/api/v1/genres/", HTTP_ORIGIN="https://other.example"
    )


# --- Query counts: the same at two page sizes -------------------------------------------


@pytest.fixture
def many(db):
    """Twelve published reviews of films with credits, genres, countries, releases and tags."""
    drama = make_genre(name="Drama")
    director = make_person(name="Ann Director")
    for n in range(12):
        genre = make_genre(name=f"Drama {n}", parent=drama)
        film = make_film(title=f"Film {n}", countries=["FR", "BE"], genres=[genre])
        make_credit(film=film, person=director, role=Credit.Role.DIRECTOR)
        make_credit(film=film, role=Credit.Role.CAST, character="Someone")
        make_release(film=film)
        review = make_review(film=film)
        review.tags.add(f"tag {n}", "common")
        make_quote(review=review)
        make_quote(film=film)


ENDPOINTS = [
    ("/api/v1/reviews/?", 4),
    ("/api/v1/reviews/?include=film,author&", 9),
    ("/api/v1/reviews/?fields=headline,rating&", 2),
    ("/api/v1/reviews/?director=ann-director&genre=drama&country=FR&tag=common&", 4),
    ("/api/v1/films/?", 7),
    ("/api/v1/films/?q=film&order=-rating&", 7),
    ("/api/v1/people/?", 3),
    ("/api/v1/people/?include=reviews&", 4),
    ("/api/v1/authors/?", 3),
    ("/api/v1/genres/?", 2),
    ("/api/v1/tags/?", 2),
]


@pytest.mark.parametrize(("address", "expected"), ENDPOINTS)
def test_every_list_runs_a_fixed_number_of_queries(
    api, many, settings, django_assert_num_queries, address, expected
):
    settings.PAGE_CACHE_SECONDS = 0  # render every time
    if "q=" in address and connection.vendor == "postgresql":
        expected += 1  # the PostgreSQL engine parses the words first (search.postgresql)
    api.get(f"{address}limit=1")  # the key is checked and its use recorded
    for limit in (2, 10):
        with django_assert_num_queries(expected):
            response = api.get(f"{address}limit={limit}")
        assert response.status_code == 200
        body = response.json()
        assert len(body["data"]) == min(limit, body["meta"]["pagination"]["total"])


def test_single_items_run_a_fixed_number_of_queries(
    api, many, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    review = api.get("/api/v1/reviews/?limit=1").json()["data"][0]
    with django_assert_num_queries(8):
        api.get(f"/api/v1/reviews/{review['id']}/?include=film,author")
    with django_assert_num_queries(6):
        api.get(f"/api/v1/films/{review['film']['id']}/")
