"""The one rate limiter: counts per client in the shared cache, fails open without it."""

import pytest
from django.test import RequestFactory

from core import ratelimit


def request(remote="10.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_client_ip_is_the_peer_without_proxies(settings):
    settings.NUM_PROXIES = 0
    assert ratelimit.client_ip(request(forwarded="1.2.3.4")) == "10.0.0.1"


def test_client_ip_is_what_the_trusted_proxy_appended(settings):
    settings.NUM_PROXIES = 1
    forged_then_real = request(remote="10.0.0.254", forwarded="6.6.6.6, 198.51.100.7")
    assert ratelimit.client_ip(forged_then_real) == "198.51.100.7"


def test_the_limit_counts_per_ident_and_scope():
    hits = [ratelimit.hit(scope="t", ident="a", limit=2, window=60) for _ in range(3)]
    assert hits == [False, False, True]
    assert not ratelimit.hit(scope="t", ident="b", limit=2, window=60)
    assert not ratelimit.hit(scope="other", ident="a", limit=2, window=60)


@pytest.mark.parametrize("limit", [0, 1])
def test_a_limit_of_zero_refuses_the_first(limit):
    assert ratelimit.hit(scope="z", ident="a", limit=limit, window=60) is (limit == 0)


def test_an_unreachable_cache_lets_the_request_through(settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    assert not ratelimit.hit(scope="t", ident="a", limit=0, window=60)
    assert "unreachable" in caplog.text


# --- Counted in batches (the API's keys) --------------------------------------------------


@pytest.fixture
def batches():
    ratelimit._batches.clear()
    yield
    ratelimit._batches.clear()


def shared_count(scope, ident, window=60):
    from django.core.cache import cache
    from django.utils import timezone

    bucket = int(timezone.now().timestamp()) // window
    return cache.get(ratelimit._key(scope, ident, bucket))


def test_a_large_limit_is_reported_to_the_cache_a_batch_at_a_time(batches):
    # A limit of 1,000: batches of 20.
    hits = [
        ratelimit.hit_in_batches(scope="b", ident="k", limit=1000, window=60) for _ in range(45)
    ]
    assert not any(hits)
    assert shared_count("b", "k") == 40  # two batches reported, five attempts still here


def test_a_batched_limit_refuses_past_the_limit_in_one_process(batches):
    hits = [
        ratelimit.hit_in_batches(scope="b", ident="k", limit=100, window=60) for _ in range(101)
    ]
    assert hits[:100] == [False] * 100 and hits[100]


def test_a_batched_limit_counts_the_other_servers(batches):
    from django.core.cache import cache
    from django.utils import timezone

    bucket = int(timezone.now().timestamp()) // 60
    cache.set(ratelimit._key("b", "k", bucket), 1000, 61)  # what other servers reported
    hits = [
        ratelimit.hit_in_batches(scope="b", ident="k", limit=1000, window=60) for _ in range(20)
    ]
    # Refused at the latest when this process reports its first batch.
    assert hits[-1] and not hits[0]


def test_a_small_limit_is_counted_one_by_one(batches):
    hits = [ratelimit.hit_in_batches(scope="b", ident="s", limit=3, window=60) for _ in range(4)]
    assert hits == [False, False, False, True]
    assert shared_count("b", "s") == 4
