"""RSS 2.0 and Atom feeds: site-wide, per author, per tag."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from tests.factories import make_author, make_review

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    return channel, [item.findtext("title") for item in channel.findall("item")]


def atom_entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root, [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]


def test_site_rss_lists_published_reviews_newest_first(client, demo):
    make_review(headline="Hidden draft", status="draft")
    make_review(
        headline="Scheduled for next week",
        status="scheduled",
        published_at=timezone.now() + datetime.timedelta(days=7),
    )
    channel, titles = rss_items(client, "/feeds/rss/")
    assert titles == [
        "Rust and Bone: two bruised bodies learn to lean on each other — Rust and Bone (2012)",
        "The Beat That My Heart Skipped: scales and shakedowns — "
        "The Beat That My Heart Skipped (2005)",
        "A Prophet: an education behind bars — A Prophet (2009)",
    ]
    item = channel.find("item")
    assert item.findtext("link").endswith(
        "/reviews/rust-and-bone-two-bruised-bodies-learn-to-lean-on-each-other/"
    )
    assert "Jacques Audiard turns a story" in item.findtext("description")
    assert item.findtext("pubDate").startswith("Fri, 23 Nov 2012")


def test_site_atom_feed(client, demo):
    root, titles = atom_entries(client, "/feeds/atom/")
    assert len(titles) == 3
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Iris Marchetti"


def test_author_feeds(client, demo):
    other = make_author(display_name="Someone Else")
    make_review(author=other, headline="Not by Iris")
    _, titles = rss_items(client, "/feeds/authors/iris-marchetti/rss/")
    assert len(titles) == 3 and not any("Not by Iris" in t for t in titles)
    _, titles = atom_entries(client, f"/feeds/authors/{other.slug}/atom/")
    assert [t.split(" — ")[0] for t in titles] == ["Not by Iris"]


def test_tag_feeds(client, demo):
    _, titles = rss_items(client, "/feeds/tags/prison-films/rss/")
    assert [t.split(" — ")[0] for t in titles] == ["A Prophet: an education behind bars"]
    _, titles = atom_entries(client, "/feeds/tags/crime/atom/")
    assert len(titles) == 2


def test_unknown_author_or_tag_feed_is_a_404(client, db):
    assert client.get("/feeds/authors/nobody/rss/").status_code == 404
    assert client.get("/feeds/tags/nothing/atom/").status_code == 404
