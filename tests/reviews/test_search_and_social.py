"""An editor's say over the search title, snippet and social card; today's values by default."""

import json
import re

import pytest
from django.urls import reverse

from tests.factories import image_file, make_editor, make_film, make_review

pytestmark = pytest.mark.django_db


def meta(html, attr, name):
    match = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', html)
    return match.group(1) if match else None


def json_ld(html):
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )


def test_without_overrides_the_review_page_keeps_its_derived_tags(client):
    review = make_review(headline="A quiet storm", standfirst="Two lives collide.")
    html = client.get(review.get_absolute_url()).content.decode()
    assert "<title>A quiet storm · filmblog</title>" in html
    assert meta(html, "property", "og:title") == "A quiet storm"
    assert meta(html, "name", "description") == "Two lives collide."
    assert json_ld(html)["name"] == "A quiet storm"


def test_the_review_page_follows_the_overrides(client, media_root):
    review = make_review(
        headline="A quiet storm",
        standfirst="Two lives collide.",
        seo_title="A quiet storm: review of the festival hit",
        meta_description="Our critic on the year's most talked-about drama.",
        social_image=image_file("card.png", size=(1400, 800)),
        social_image_alt="Two actors on a beach at dusk",
    )
    html = client.get(review.get_absolute_url()).content.decode()
    assert "<title>A quiet storm: review of the festival hit · filmblog</title>" in html
    assert meta(html, "property", "og:title") == "A quiet storm: review of the festival hit"
    assert meta(html, "name", "twitter:title") == "A quiet storm: review of the festival hit"
    description = "Our critic on the year&#39;s most talked-about drama."
    assert meta(html, "name", "description") == description
    assert meta(html, "property", "og:description") == description
    assert "/renditions/social/" in meta(html, "property", "og:image")
    assert meta(html, "property", "og:image:alt") == "Two actors on a beach at dusk"
    assert meta(html, "property", "og:image:width") == "1200"
    data = json_ld(html)
    assert data["name"] == "A quiet storm: review of the festival hit"
    assert data["description"] == "Our critic on the year's most talked-about drama."
    assert "/renditions/social/" in data["image"]
    # The page itself still shows the headline.
    assert "<h1" in html
    assert "A quiet storm</" in html


def test_the_film_page_follows_the_overrides(client):
    film = make_film(title="Rust and Bone", synopsis="A trainer and a drifter.")
    html = client.get(film.get_absolute_url()).content.decode()
    assert meta(html, "property", "og:title") == "Rust and Bone (2012)"
    film.seo_title = "Rust and Bone (2012): credits, reviews, releases"
    film.meta_description = "Everything about Audiard's drama."
    film.save()
    html = client.get(film.get_absolute_url()).content.decode()
    assert meta(html, "property", "og:title") == "Rust and Bone (2012): credits, reviews, releases"
    assert meta(html, "name", "description") == "Everything about Audiard&#39;s drama."
    assert json_ld(html)["name"] == "Rust and Bone"  # the film's own name stays


def test_the_review_form_has_the_fields_and_a_card_preview(client):
    client.force_login(make_editor())
    review = make_review(headline="A quiet storm", standfirst="Two lives collide.")
    html = client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()
    assert "Search and social" in html
    for name in ["seo_title", "meta_description", "social_image", "social_image_alt"]:
        assert f'name="{name}"' in html
    card = html[html.index('<div class="social-card"') :]
    assert "A quiet storm" in card[:2000]
    assert "Two lives collide." in card[:2000]
    assert "js/desk-social-card.js" in html


def test_the_film_form_has_the_card_preview(client):
    client.force_login(make_editor())
    film = make_film(title="Rust and Bone")
    html = client.get(reverse("admin:reviews_film_change", args=[film.pk])).content.decode()
    assert 'class="social-card"' in html
    assert 'name="seo_title"' in html


def test_a_social_image_needs_its_description():
    from django.core.exceptions import ValidationError

    review = make_review(social_image=image_file("card.png"))
    with pytest.raises(ValidationError) as error:
        review.full_clean()
    assert "social_image_alt" in error.value.message_dict


def test_the_search_title_is_kept_to_what_search_results_show():
    from django.core.exceptions import ValidationError

    review = make_review()
    review.seo_title = "x" * 71  # as the form would hand it over; the column holds 70
    with pytest.raises(ValidationError) as error:
        review.full_clean()
    assert "seo_title" in error.value.message_dict
