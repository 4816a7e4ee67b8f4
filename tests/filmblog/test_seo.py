"""Every public page carries a title, description, canonical link, Open Graph and Twitter tags."""

import re

import pytest
from django.test import override_settings
from django.urls import path

from tests.factories import make_author, make_person
from tests.reviews.test_review_page import RUST_AND_BONE

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    RUST_AND_BONE,
    "/films/rust-and-bone/",
    "/people/jacques-audiard/",
    "/authors/iris-marchetti/",
    "/genres/drama/",
    "/tags/french-cinema/",
    "/years/2012/",
    "/countries/france/",
    "/archive/",
    "/search/?q=audiard",
]


def meta(html, attr, name):
    match = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', html)
    return match.group(1) if match else None


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_its_metadata(client, demo, url):
    html = client.get(url).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.endswith("filmblog")
    assert meta(html, "name", "description")
    assert meta(html, "property", "og:title")
    if url.startswith("/search/"):
        # Not indexed, so no canonical address.
        assert "noindex" in meta(html, "name", "robots") and 'rel="canonical"' not in html
    else:
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
        assert canonical == "http://127.0.0.1:8000" + url.split("?")[0]
        assert meta(html, "property", "og:url") == canonical
    assert meta(html, "property", "og:image").startswith("http://127.0.0.1:8000/")
    assert meta(html, "name", "twitter:card") in ("summary", "summary_large_image")
    assert html.count("<h1") == 1


def test_the_review_shares_its_poster_and_headline(client, demo):
    html = client.get(RUST_AND_BONE).content.decode()
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:image").startswith("http://127.0.0.1:8000/media/renditions/")
    assert meta(html, "name", "twitter:card") == "summary_large_image"
    assert meta(html, "property", "og:title").startswith("Rust and Bone: two bruised bodies")


def test_a_paginated_list_points_canonical_at_its_page(client, demo):
    from tests.factories import make_review

    for _ in range(13):
        make_review()
    html = client.get("/?page=2").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8000/?page=2">' in html


def test_the_404_page_is_friendly(client, db):
    response = client.get("/films/no-such-film/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "This reel is missing" in html and 'action="/search/"' in html


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_the_500_page_is_friendly(client, db):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "The projector jammed" in response.content.decode()


@pytest.mark.parametrize(
    "url, title",
    [
        ("/subscribe/", "Subscribe · filmblog"),
        ("/subscribe/check-your-inbox/", "Check your inbox · filmblog"),
        ("/account/login/", "Sign in · filmblog"),
        ("/account/password/reset/", "Reset your password · filmblog"),
    ],
)
def test_pages_outside_the_catalogue_say_what_they_are_in_their_title(client, url, title):
    html = client.get(url).content.decode()
    assert re.findall(r"<title>(.*?)</title>", html, re.S) == [title]


@pytest.mark.django_db
def test_people_pages_describe_themselves_with_the_bio_or_a_sentence_of_their_own(client):
    make_author(display_name="Ada Lane", slug="ada-lane", bio="Writes about silent comedy.")
    make_author(display_name="Bo Chen", slug="bo-chen", bio="")
    make_person(name="Vera Kat", slug="vera-kat", bio="A cinematographer.")
    describe = {
        "/authors/ada-lane/": "Writes about silent comedy.",
        "/authors/bo-chen/": "Reviews by Bo Chen",
        "/people/vera-kat/": "A cinematographer.",
    }
    for url, description in describe.items():
        assert meta(client.get(url).content.decode(), "name", "description") == description
