import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from reviews.models import Review
from tests.factories import make_review

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [url.findtext(f"{NS}loc") for url in root.findall(f"{NS}url")]


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
    listed = {loc.split("testserver", 1)[1] for loc in locations(client) if "/reviews/" in loc}
    assert listed == {review.get_absolute_url() for review in Review.objects.published()}
    assert len(listed) == 3


def test_the_sitemap_lists_home_reviewed_films_and_authors(client, demo):
    paths = {loc.split("testserver", 1)[1] for loc in locations(client)}
    assert {"/", "/films/rust-and-bone/", "/authors/iris-marchetti/"} <= paths


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
