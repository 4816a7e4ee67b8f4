"""JSON-LD and sharing tags on the public pages, as search engines and social sites read them."""

import json
import re

import pytest

from reviews.models import Review
from tests.factories import make_review
from tests.reviews.test_review_page import RUST_AND_BONE

pytestmark = pytest.mark.django_db


def json_ld(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def meta(html, attr, name):
    match = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', html)
    return match.group(1) if match else None


def test_a_person_page_describes_the_person(client, demo):
    [data] = json_ld(client.get("/people/jacques-audiard/").content.decode())
    assert data["@type"] == "Person" and data["name"] == "Jacques Audiard"
    assert data["url"] == "http://127.0.0.1:8000/people/jacques-audiard/"


def test_an_author_page_is_a_profile_page_of_a_person(client, demo):
    [data] = json_ld(client.get("/authors/iris-marchetti/").content.decode())
    assert data["@type"] == "ProfilePage"
    assert data["mainEntity"]["@type"] == "Person"
    assert data["mainEntity"]["name"] == "Iris Marchetti"


@pytest.mark.parametrize("address", ["/", "/genres/drama/", "/years/2012/", "/tags/crime/"])
def test_home_and_archives_list_the_reviewed_films(client, demo, address):
    html = client.get(address).content.decode()
    [data] = json_ld(html)
    assert data["@type"] == "ItemList"
    items = data["itemListElement"]
    assert items and [item["position"] for item in items] == list(range(1, len(items) + 1))
    assert all(item["item"]["@type"] == "Movie" for item in items)
    # A page without its own image shares the site's card, large and typed.
    assert meta(html, "property", "og:image").endswith("/static/img/site-card.png")
    assert meta(html, "property", "og:image:width") == "1200"
    assert meta(html, "property", "og:image:type") == "image/png"
    assert meta(html, "name", "twitter:card") == "summary_large_image"


def test_the_film_page_movie_carries_its_reviews_and_reader_rating(client, demo):
    review = Review.objects.get(slug=RUST_AND_BONE.strip("/").split("/")[-1])
    Review.objects.filter(pk=review.pk).update(rating_count=2, rating_total=17)
    [data] = json_ld(client.get("/films/rust-and-bone/").content.decode())
    assert data["@type"] == "Movie"
    assert [r["@type"] for r in data["review"]] == ["Review"]
    assert data["review"][0]["reviewRating"]["ratingValue"]
    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": "4.2",
        "ratingCount": 2,
        "bestRating": "5",
        "worstRating": "0.5",
    }


def test_the_poster_shares_with_its_size_and_type(client, demo):
    html = client.get("/films/rust-and-bone/").content.decode()
    assert meta(html, "property", "og:image:width") == "480"
    assert meta(html, "property", "og:image:height") == "720"
    assert meta(html, "property", "og:image:type") == "image/jpeg"
    assert meta(html, "name", "twitter:card") == "summary_large_image"


def test_a_small_image_gets_the_small_card(client, demo):
    html = client.get("/people/jacques-audiard/").content.decode()
    if meta(html, "property", "og:image:width") == "240":
        assert meta(html, "name", "twitter:card") == "summary"


@pytest.mark.parametrize(
    "address",
    [
        "/subscribe/confirm/some-token-value/",
        "/subscribe/unsubscribe/some-token-value/",
        "/account/login/",
    ],
)
def test_private_pages_are_not_indexed_and_name_no_token(client, db, address):
    html = client.get(address).content.decode()
    assert meta(html, "name", "robots") == "noindex, follow"
    assert 'rel="canonical"' not in html and "some-token-value" not in (
        meta(html, "property", "og:url") or ""
    )


def test_a_rejected_sign_up_is_not_indexed(client, db):
    response = client.post("/subscribe/sign-up/", {"email": "not an address"})
    assert response.status_code == 400
    html = response.content.decode()
    assert meta(html, "name", "robots") == "noindex, follow" and 'rel="canonical"' not in html


def test_a_page_past_the_end_is_a_404_without_a_canonical(client, demo):
    make_review()
    response = client.get("/?page=99")
    assert response.status_code == 404
    html = response.content.decode()
    assert meta(html, "name", "robots") == "noindex, follow" and 'rel="canonical"' not in html


def test_a_hero_image_leads_the_review_and_is_what_it_shares(client, db, settings, tmp_path):
    from tests.factories import image_file

    settings.MEDIA_ROOT = tmp_path
    review = make_review(
        hero_image=image_file("shore.png", size=(1600, 900)),
        hero_image_alt="Two swimmers on a grey beach",
        hero_image_credit="Photo: Why Not Productions",
    )
    html = client.get(review.get_absolute_url()).content.decode()
    hero = re.search(r'<figure class="review-hero">(.*?)</figure>', html, re.S).group(1)
    assert 'alt="Two swimmers on a grey beach"' in hero and 'fetchpriority="high"' in hero
    assert "Photo: Why Not Productions" in hero
    assert html.index('class="review-hero"') < html.index("<h1")
    image = meta(html, "property", "og:image")
    # Shared as the 1200×630 card crop of the hero, around its focal point.
    assert "/renditions/social/" in image and meta(html, "name", "twitter:image") == image
    assert meta(html, "property", "og:image:alt") == "Two swimmers on a grey beach"
    assert meta(html, "property", "og:image:width") == "1200"


def test_an_original_title_says_its_language(client, demo):
    for address in (RUST_AND_BONE, "/films/rust-and-bone/", "/search/?q=rouille"):
        html = client.get(address).content.decode()
        assert '<cite lang="fr">De rouille et d&#39;os</cite>' in html or (
            '<cite lang="fr">De rouille et d\'os</cite>' in html
        )
