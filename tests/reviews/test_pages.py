"""Home, film page and the archives by genre, tag, year and country."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from tests.factories import make_film, make_genre, make_review
from tests.reviews.test_review_page import text

pytestmark = pytest.mark.django_db


def hidden_review(film, headline):
    return make_review(film=film, headline=headline, status="draft")


class TestHome:
    def test_featured_review_comes_first_then_the_latest(self, client, demo):
        body = text(client.get("/"))
        assert body.index("Featured review") < body.index("Rust and Bone: two bruised")
        assert body.index("Rust and Bone: two bruised") < body.index("Latest reviews")
        latest = body[body.index("Latest reviews") :]
        assert latest.index("Beat That My Heart") < latest.index("A Prophet: an education")
        assert "Rust and Bone: two bruised" not in latest

    def test_only_public_reviews_and_pagination(self, client):
        for i in range(13):
            make_review(
                headline=f"Visible {i:02}",
                published_at=timezone.now() - datetime.timedelta(days=i + 1),
            )
        make_review(headline="Draft one", status="draft")
        make_review(
            headline="Next week",
            status="scheduled",
            published_at=timezone.now() + datetime.timedelta(days=7),
        )
        first, second = text(client.get("/")), text(client.get("/?page=2"))
        assert "Draft one" not in first + second and "Next week" not in first + second
        assert "Visible 00" in first and "Visible 12" in second
        # The home page does not count every review: newer and older, no total.
        assert "Page 1 Older →" in first and "Page 1 of" not in first
        assert "← Newer Page 2" in second and "Older →" not in second
        assert client.get("/?page=3").status_code == 404
        assert client.get("/?page=0").status_code == 404
        assert client.get("/?page=two").status_code == 404

    def test_an_empty_site_says_so(self, client, db):
        assert "No reviews have been published yet." in text(client.get("/"))


class TestFilmPage:
    @pytest.fixture
    def page(self, client, demo):
        return client.get("/films/rust-and-bone/")

    def test_facts_and_full_credits_grouped_by_role(self, page):
        body = text(page)
        assert "Rust and Bone (2012) aka De rouille et d'os" in body
        credits = body[body.index("Full credits") :]
        for line in (
            "Director Jacques Audiard",
            "Writers Jacques Audiard Thomas Bidegain",
            "Composer Alexandre Desplat",
            "Editor Juliette Welfling",
            "Producer Pascal Caucheteux",
            "Cast Marion Cotillard as Stéphanie Matthias Schoenaerts as Ali",
            "Bouli Lanners as Martial",
        ):
            assert line in credits

    def test_releases_are_listed(self, page):
        assert "23 November 2012 United States Limited" in text(page)
        assert "17 May 2012 France Festival (Cannes Film Festival)" in text(page)

    def test_published_reviews_are_listed_and_others_are_not(self, client, demo):
        from reviews.models import Film

        hidden_review(Film.objects.get(slug="rust-and-bone"), "An unfinished second opinion")
        body = text(client.get("/films/rust-and-bone/"))
        assert "Our review" in body and "Rust and Bone: two bruised bodies" in body
        assert "An unfinished second opinion" not in body

    def test_json_ld_describes_the_movie(self, page):
        raw = re.search(
            r'<script type="application/ld\+json">(.*?)</script>', page.content.decode(), re.S
        )
        data = json.loads(raw.group(1))
        assert data["@type"] == "Movie"
        assert data["name"] == "Rust and Bone"
        assert data["alternateName"] == "De rouille et d'os"
        assert data["director"][0]["name"] == "Jacques Audiard"

    def test_a_film_without_reviews_still_has_a_page(self, client, db):
        film = make_film(title="Not Yet Reviewed")
        assert "We have not reviewed this film yet." in text(client.get(film.get_absolute_url()))


class TestArchives:
    def test_genre_includes_its_sub_genres(self, client, demo):
        body = text(client.get("/genres/drama/"))
        assert "Includes Inspirational Drama" in body
        for headline in ("Rust and Bone: two", "A Prophet: an", "The Beat That"):
            assert headline in body
        sub = text(client.get("/genres/inspirational-drama/"))
        assert "Rust and Bone: two" in sub and "A Prophet: an" not in sub

    def test_a_film_in_a_genre_and_its_sub_genre_is_listed_once(self, client):
        drama = make_genre(name="Drama")
        sub = make_genre(name="Courtroom Drama", parent=drama)
        make_review(film=make_film(genres=[drama, sub]), headline="Listed once")
        assert text(client.get(drama.get_absolute_url())).count("Listed once") == 1

    def test_tag_year_and_country(self, client, demo):
        tag = text(client.get("/tags/prison-films/"))
        assert "A Prophet: an" in tag and "Rust and Bone: two" not in tag
        year = text(client.get("/years/2005/"))
        assert "The Beat That" in year and "A Prophet: an" not in year
        belgium = text(client.get("/countries/belgium/"))
        assert "Rust and Bone: two" in belgium and "A Prophet: an" not in belgium

    def test_archives_hide_what_is_not_public(self, client):
        film = make_film(year=1999)
        review = make_review(film=film, status="draft")
        review.tags.add("secret project")
        assert client.get("/tags/secret-project/").status_code == 404
        assert client.get("/years/1999/").status_code == 404

    def test_the_archive_index_leads_to_every_archive(self, client, demo):
        html = client.get("/archive/").content.decode()
        for href in (
            "/genres/drama/",
            "/years/2009/",
            "/countries/belgium/",
            "/tags/french-cinema/",
        ):
            assert f'href="{href}"' in html
