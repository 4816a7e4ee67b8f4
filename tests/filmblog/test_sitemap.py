import datetime
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from reviews.models import Review
from tests.factories import make_review

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [
        (url.findtext(f"{NS}loc"), url.findtext(f"{NS}lastmod"))
        for url in root.findall(f"{NS}url")
    ]


def locations(client):
    return [loc for loc, _ in entries(client)]


def test_the_sitemap_lists_exactly_the_published_reviews(client, demo):
    make_review(headline="Draft in progress", status="draft")
    make_review(
        headline="Out next month",
        status="scheduled",
        published_at=timezone.now() + datetime.timedelta(days=30),
    )
    make_review(
        headline="Taken down",
        status="unpublished",
        published_at=timezone.now() - datetime.timedelta(days=30),
    )
    listed = {
        loc.split(settings.SITE_URL, 1)[1] for loc in locations(client) if "/reviews/" in loc
    }
    assert listed == {review.get_absolute_url() for review in Review.objects.published()}
    assert len(listed) == 3


def test_the_sitemap_lists_home_reviewed_films_and_authors(client, demo):
    paths = {loc.split(settings.SITE_URL, 1)[1] for loc in locations(client)}
    assert {"/", "/films/rust-and-bone/", "/authors/iris-marchetti/"} <= paths


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in body


def test_the_sitemap_lists_people_and_archives_with_a_lastmod_each(client, demo):
    found = dict(entries(client))
    paths = {loc.split(settings.SITE_URL, 1)[1] for loc in found}
    assert {
        "/people/jacques-audiard/",
        "/people/marion-cotillard/",
        "/archive/",
        "/genres/drama/",
        "/countries/france/",
        "/years/2012/",
        "/tags/crime/",
    } <= paths
    assert all(found.values())


@override_settings(SITE_URL="https://films.example.org")
def test_sitemap_addresses_are_on_the_site_url_whatever_the_host(client, demo):
    response = client.get("/sitemap.xml", HTTP_HOST="testserver")
    root = ET.fromstring(response.content)
    locs = [url.findtext(f"{NS}loc") for url in root.findall(f"{NS}url")]
    assert locs and all(loc.startswith("https://films.example.org/") for loc in locs)
