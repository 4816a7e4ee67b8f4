"""The reader's pages: archives, the honeypot's style."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import make_film, make_genre, make_review

pytestmark = pytest.mark.django_db


def test_sub_genres_are_listed_under_their_own_parent(client):
    crime, drama = make_genre(name="Crime"), make_genre(name="Drama")
    gangster = make_genre(name="Gangster Film", parent=crime)
    uplift = make_genre(name="Inspirational Drama", parent=drama)
    make_review(film=make_film(genres=[crime, gangster]))
    make_review(film=make_film(genres=[drama, uplift]))
    html = client.get("/archive/").content.decode()
    genres = re.findall(r'<li( class="sub")?><a href="/genres/[^"]+/">([^<]+)</a>', html)
    assert genres == [
        ("", "Crime"),
        (' class="sub"', "Crime › Gangster Film"),
        ("", "Drama"),
        (' class="sub"', "Drama › Inspirational Drama"),
    ]


def test_the_honeypot_rule_hides_only_the_honeypot():
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    rule = re.search(r"([^{}]*)\{[^}]*left: -10000px[^}]*\}", css)
    selectors = re.sub(r"/\*.*?\*/", "", rule.group(1), flags=re.S)
    assert "is-invalid" not in selectors and "#div_id_website" in selectors
    assert "visibility: hidden" in rule.group(0)  # out of the accessibility tree too


def test_an_archive_with_nothing_published_is_a_404_whatever_its_kind(client):
    genre = make_genre(name="Western")
    make_review(film=make_film(year=1999, genres=[genre]), status="draft")
    for address in ("/countries/france/", "/years/1999/", f"/genres/{genre.slug}/"):
        assert client.get(address).status_code == 404, address


def test_the_featured_poster_loads_first_and_the_others_lazily(client, demo):
    html = client.get("/").content.decode()
    featured = re.search(r'<section class="featured".*?</section>', html, re.S).group(0)
    assert 'fetchpriority="high"' in featured and 'loading="lazy"' not in featured
    rest = html.replace(featured, "")
    assert "<img" in rest and 'fetchpriority="high"' not in rest
