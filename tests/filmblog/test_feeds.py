"""RSS 2.0 and Atom feeds: site-wide, per author, per tag."""

import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.test import override_settings
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
        "Rust and Bone: two bruised bodies learn to lean on each other",
        "The Beat That My Heart Skipped: scales and shakedowns",
        "A Prophet: an education behind bars",
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


def test_a_headline_without_the_film_name_gets_it(client, db):
    make_review(headline="Two bodies, one shore")
    _, titles = rss_items(client, "/feeds/rss/")
    assert titles[0].startswith("Two bodies, one shore — ")


FEEDS = [
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/authors/iris-marchetti/rss/",
    "/feeds/authors/iris-marchetti/atom/",
    "/feeds/tags/crime/rss/",
    "/feeds/tags/crime/atom/",
]


@pytest.mark.parametrize("address", FEEDS)
@override_settings(SITE_URL="https://films.example.org")
def test_feeds_parse_cleanly_with_categories_images_and_site_addresses(client, demo, address):
    parsed = feedparser.parse(client.get(address, HTTP_HOST="testserver").content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.link.startswith("https://films.example.org/")
    image = parsed.feed.logo if "atom" in address else parsed.feed.image.href
    assert image == "https://films.example.org/static/img/feed-icon.png"
    assert all(link.href.startswith("https://films.example.org/") for link in parsed.feed.links)
    for entry in parsed.entries:
        assert entry.link.startswith("https://films.example.org/reviews/")
        terms = {tag.term for tag in entry.tags}
        assert terms and "Drama" in terms
        assert "Read the review" in entry.summary
    summary = parsed.entries[-1 if "tags" in address else 0].summary
    assert 'src="https://films.example.org/media/' in summary


def test_tag_and_author_pages_advertise_rss_and_atom(client, demo):
    for page, feed in [
        ("/tags/crime/", "/feeds/tags/crime/"),
        ("/authors/iris-marchetti/", "/feeds/authors/iris-marchetti/"),
    ]:
        html = client.get(page).content.decode()
        assert 'type="application/rss+xml" title="' in html and f'href="{feed}rss/"' in html
        assert 'type="application/atom+xml"' in html and f'href="{feed}atom/"' in html
