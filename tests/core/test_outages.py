"""
Degrade, don't fall over: with the cache or the database out of reach, the
site keeps serving what it can, and comes back by itself.

Each test runs a server of its own (a redis-server, a PostgreSQL cluster) and
stops and starts it, as an operator's outage would.
"""

import re
import subprocess
import time

import pytest
from django.core.cache import caches

from core.pagecache import HEADER
from reviews.forms import started_token
from reviews.models import Comment, Film
from subscriptions.models import Subscriber
from tests.factories import make_user
from tests.services import redis_cache_settings

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def own_redis(settings, redis_server):
    settings.CACHES = redis_cache_settings(redis_server.url)
    yield redis_server
    caches["default"].close()


class TestCacheOutage:
    def test_pages_render_uncached_and_are_cached_again_after(self, client, review, own_redis):
        url = review.get_absolute_url()
        client.get(url)
        assert client.get(url)[HEADER] == "hit"
        own_redis.stop()
        for _ in range(3):
            page = client.get(url)
            assert page.status_code == 200
            assert "Two hours in Paris" in text(page)
            assert HEADER not in page
        assert client.get("/").status_code == 200
        own_redis.start()
        caches["default"].close()  # the cache's connections were to the old server
        from core import cache_outage as shared_cache

        shared_cache.cache_recovered()
        assert client.get(url)[HEADER] == "miss"
        assert client.get(url)[HEADER] == "hit"

    def test_ratings_and_likes_still_count(self, client, review, own_redis):
        own_redis.stop()
        url = review.get_absolute_url()
        rated = client.post(f"{url}rating/", {"value": "4.5"}, HTTP_ACCEPT="application/json")
        assert rated.status_code == 200
        assert rated.json()["rating_count"] == 1
        liked = client.post(f"{url}like/", {"action": "like"}, HTTP_ACCEPT="application/json")
        assert liked.status_code == 200
        assert liked.json()["like_count"] == 1
        assert "1 reader likes this" in text(client.get(url))

    def test_the_health_check_says_degraded(self, client, own_redis):
        own_redis.stop()
        response = client.get("/healthz/")
        assert response.status_code == 200
        assert response.json() == {"status": "degraded", "database": "ok", "cache": "failing"}

    def test_a_change_the_cache_missed_is_not_hidden_once_it_answers(
        self, client, review, own_redis
    ):
        """Redis refuses writes for a while: the renewal is written before any page is read."""
        url = review.get_absolute_url()
        client.get(url)
        assert client.get(url)[HEADER] == "hit"
        subprocess.run(
            ["redis-cli", "-p", str(own_redis.port), "CLIENT", "PAUSE", "1500", "WRITE"],
            check=True,
            capture_output=True,
        )
        film = Film.objects.get(pk=review.film_id)
        film.title = "Retitled during the outage"
        film.save()  # the renewal times out
        page = client.get(url)
        assert "Retitled during the outage" in text(page)
        subprocess.run(
            ["redis-cli", "-p", str(own_redis.port), "CLIENT", "UNPAUSE"], capture_output=True
        )
        from core import cache_outage as shared_cache

        shared_cache.cache_recovered()
        assert "Retitled during the outage" in text(client.get(url))
        assert "Retitled during the outage" in text(client.get(url))


class TestWritesWithoutTheCache:
    """Readers' writes never need Redis: each goes through while it is stopped."""

    def test_sign_ups_go_through_and_are_mailed(self, client, own_redis, mailoutbox):
        own_redis.stop()
        for n in range(5):
            response = client.post("/subscribe/sign-up/", {"email": f"reader{n}@example.com"})
            assert response.status_code == 302
        assert Subscriber.objects.count() == 5
        assert sorted(m.to[0] for m in mailoutbox) == [f"reader{n}@example.com" for n in range(5)]

    def test_comments_go_through(self, client, review, own_redis):
        own_redis.stop()
        response = client.post(
            f"{review.get_absolute_url()}comments/",
            {
                "name": "Maya",
                "email": "maya@example.com",
                "text": "Written while the cache was down.",
                "website": "",
                "started": started_token(now=time.time() - 60),
            },
        )
        assert response.status_code == 302
        assert Comment.objects.get().text == "Written while the cache was down."

    def test_password_resets_and_sign_ins_go_through(
        self, client, own_redis, mailoutbox, django_capture_on_commit_callbacks
    ):
        make_user(username="ada", password="a long passphrase", email="ada@example.com")
        own_redis.stop()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/account/password/reset/", {"email": "ada@example.com"})
        assert response.status_code == 302
        assert [m.to for m in mailoutbox] == [["ada@example.com"]]
        signed_in = client.post(
            "/account/login/", {"username": "ada", "password": "a long passphrase"}
        )
        assert signed_in.status_code == 302
