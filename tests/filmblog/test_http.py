"""HTTP as browsers and CDNs expect it: compression, conditional GETs, HEAD, cache headers."""

import gzip

import brotli
import pytest
import time_machine
from django.utils import timezone

from core.pagecache import HEADER

pytestmark = pytest.mark.django_db


def public_urls(review):
    return [
        "/",
        review.get_absolute_url(),
        "/feeds/rss/",
        "/feeds/atom/",
        "/sitemap.xml",
        "/archive/",
    ]


class TestCompression:
    def test_pages_feeds_and_the_sitemap_are_gzipped(self, client, review):
        for url in public_urls(review):
            response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
            assert response.status_code == 200, url
            assert response["Content-Encoding"] == "gzip", url
            assert "Accept-Encoding" in response["Vary"], url
            assert gzip.decompress(response.content), url

    def test_brotli_when_the_client_asks_for_it(self, client, review):
        url = review.get_absolute_url()
        # Each encoding is rendered apart, and the comment form's hidden start time
        # is in the page: with the clock stopped, both renders are the same page.
        with time_machine.travel(timezone.now(), tick=False):
            plain = client.get(url).content
            for _ in range(2):  # rendered, then from the cache
                response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
                assert response["Content-Encoding"] == "br"
                assert brotli.decompress(response.content) == plain
                assert len(response.content) < len(plain) / 2
        assert response[HEADER] == "hit"

    def test_each_encoding_is_cached_apart(self, client, review):
        url = review.get_absolute_url()
        client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert "Content-Encoding" not in client.get(url)
        assert client.get(url, HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"


class TestConditionalGet:
    @pytest.mark.parametrize("encoding", ["", "gzip", "br"])
    def test_an_unchanged_page_answers_304(self, client, review, encoding):
        for url in public_urls(review):
            first = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
            etag = first["ETag"]
            again = client.get(url, HTTP_ACCEPT_ENCODING=encoding, HTTP_IF_NONE_MATCH=etag)
            assert again.status_code == 304, url
            assert again.content == b""

    def test_a_changed_page_answers_200(self, client, review):
        url = review.get_absolute_url()
        etag = client.get(url)["ETag"]
        review.headline = "Three hours in Paris"
        review.save()
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert b"Three hours in Paris" in response.content


class TestHead:
    def test_every_get_route_answers_head(self, client, review, admin_client):
        urls = [*public_urls(review), "/robots.txt", "/search/?q=paris", "/subscribe/"]
        urls += [f"{review.get_absolute_url()}mine/", "/healthz/", "/account/login/"]
        for url in urls:
            assert client.head(url).status_code == 200, url
        assert admin_client.head("/admin/").status_code == 200


class TestCacheHeaders:
    def test_public_pages_may_be_kept_by_a_shared_cache_and_name_their_tags(self, client, review):
        response = client.get(review.get_absolute_url())
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age=0", "s-maxage=60"} <= cache_control
        assert {"stale-while-revalidate=10", "stale-if-error=86400"} <= cache_control
        # The page names what it shows (reviews/pagetags.py), and every page is under "site".
        tags = response["Surrogate-Key"].split()
        assert tags[0] == "site"
        assert {f"review:{review.pk}", f"film:{review.film_id}", f"author:{review.author_id}"} <= {
            *tags
        }
        assert response["Cache-Tag"] == ",".join(tags)
        home = client.get("/")
        assert home["Surrogate-Key"] == (
            f"site author:{review.author_id}:card film:{review.film_id}:card list:home "
            f"review:{review.pk}:card"
        )

    def test_signed_in_pages_are_not_public(self, admin_client, review):
        response = admin_client.get(review.get_absolute_url())
        assert "Surrogate-Key" not in response
        assert "public" not in response.get("Cache-Control", "")
