"""
Purges that follow the data: once a change commits, each configured cache is
sent the tags it changed, over real HTTP to a server of the tests' own that
answers as Varnish, Cloudflare and Fastly do; a failed purge is tried again.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from core import purges
from core.pagecache import tag
from tests.factories import make_review

pytestmark = pytest.mark.django_db


class FakeCaches(ThreadingHTTPServer):
    """Records each request; answers with ``status`` (and ``body``) while ``failures`` last."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests = []
        self.failures = 0
        self.status = 200
        self.body = b'{"success": true, "errors": [], "result": {"id": "x"}}'
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "json": json.loads(body) if body else None,
            }
        )
        status, body = self.server.status, self.server.body
        if self.server.failures:
            self.server.failures -= 1
            status, body = 503, b'{"success": false}'
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PURGE = do_POST = answer

    def log_message(self, *args):
        pass


@pytest.fixture
def fake():
    server = FakeCaches()
    server.thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def purgers(settings, fake):
    settings.PAGE_CACHE_PURGERS = {
        "pages": {"BACKEND": "core.purges.PageCachePurger"},
        "varnish": {"BACKEND": "core.purges.VarnishPurger", "URLS": [fake.url, fake.url + "/"]},
        "cloudflare": {
            "BACKEND": "core.purges.CloudflarePurger",
            "ZONE_ID": "zone1",
            "API_TOKEN": "cf-token",
            "API_URL": fake.url + "/client/v4",
        },
        "fastly": {
            "BACKEND": "core.purges.FastlyPurger",
            "SERVICE_ID": "svc1",
            "API_TOKEN": "fastly-token",
            "API_URL": fake.url,
        },
    }
    return settings.PAGE_CACHE_PURGERS


def by_method(fake, method, path=None):
    return [
        r for r in fake.requests if r["method"] == method and (path is None or r["path"] == path)
    ]


def test_a_film_change_purges_its_tags_in_every_cache(purgers, fake, review):
    fake.requests.clear()
    film = review.film
    film.runtime = 91
    film.save()
    wanted = sorted({tag("film", film.pk), "catalogue"})
    varnish = by_method(fake, "PURGE")
    assert len(varnish) == 2  # each Varnish server
    assert all(r["headers"]["xkey-purge"] == " ".join(wanted) for r in varnish)
    (cloudflare,) = by_method(fake, "POST", "/client/v4/zones/zone1/purge_cache")
    assert cloudflare["headers"]["authorization"] == "Bearer cf-token"
    assert cloudflare["json"] == {"tags": wanted}
    (fastly,) = by_method(fake, "POST", "/service/svc1/purge")
    assert fastly["headers"]["fastly-key"] == "fastly-token"
    assert fastly["json"] == {"surrogate_keys": wanted}


def test_many_tags_are_sent_in_the_cdns_batch_sizes(purgers, fake):
    tags = [f"film:{n}" for n in range(70)]
    purges.purger("cloudflare").purge(tags)
    calls = by_method(fake, "POST")
    assert [len(call["json"]["tags"]) for call in calls] == [30, 30, 10]
    assert sum((call["json"]["tags"] for call in calls), []) == tags


def test_a_cdn_that_refuses_raises_so_the_task_tries_again(purgers, fake):
    fake.body = b'{"success": false, "errors": [{"code": 10000}]}'
    with pytest.raises(purges.PurgeFailed):
        purges.purger("cloudflare").purge(["film:1"])
    fake.status, fake.body = 403, b"{}"
    with pytest.raises(purges.PurgeFailed):
        purges.purger("fastly").purge(["film:1"])


def test_an_unreachable_varnish_is_an_error_to_retry(settings):
    from tests.services import free_port

    settings.PAGE_CACHE_PURGERS = {
        "varnish": {
            "BACKEND": "core.purges.VarnishPurger",
            "URLS": [f"http://127.0.0.1:{free_port()}"],
        }
    }
    with pytest.raises(OSError):
        purges.purger("varnish").purge(["film:1"])


def test_a_failed_purge_is_enqueued_again_with_a_growing_delay(purgers, fake, monkeypatch):
    """The task runner with deferral (the database backend in production)."""
    queued = []

    class Deferred:
        def __init__(self, run_after):
            self.run_after = run_after

        def enqueue(self, **kwargs):
            queued.append((self.run_after, kwargs))

    backend = purges.purge_tags.get_backend()
    monkeypatch.setattr(type(backend), "supports_defer", True)
    monkeypatch.setattr(
        type(purges.purge_tags), "using", lambda self, run_after=None: Deferred(run_after)
    )
    fake.failures = 1
    purges.purge_tags.call(alias="fastly", tags=["film:1"], attempt=3)
    ((when, kwargs),) = queued
    assert kwargs == {"alias": "fastly", "tags": ["film:1"], "attempt": 4}
    assert purges.delay_after(3) == 4
    fake.failures = 0
    purges.purge_tags.call(alias="fastly", tags=["film:1"], attempt=4)
    assert len(by_method(fake, "POST")) == 2
    assert len(queued) == 1  # the second attempt went through


def test_the_delays_grow_to_five_minutes():
    assert [purges.delay_after(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert purges.delay_after(purges.MAX_ATTEMPTS) == 5 * 60


def test_one_caches_failure_does_not_hold_up_the_others(purgers, fake, review):
    fake.requests.clear()
    fake.failures = 2  # both Varnish servers' answers
    review.film.runtime = 92
    review.film.save()
    assert by_method(fake, "POST", "/client/v4/zones/zone1/purge_cache")
    assert by_method(fake, "POST", "/service/svc1/purge")


@pytest.mark.django_db(transaction=True)
def test_purges_go_once_per_transaction_after_the_commit(purgers, fake, monkeypatch):
    monkeypatch.setattr(purges, "after_commit", transaction.on_commit)
    review = make_review(headline="A first headline")
    fake.requests.clear()
    with transaction.atomic():
        review.headline = "A second headline"
        review.save()
        review.film.runtime = 100
        review.film.save()
        assert fake.requests == []  # nothing inside the editor's transaction
    (varnish, _) = by_method(fake, "PURGE")
    sent = set(varnish["headers"]["xkey-purge"].split())
    assert tag("review", review.pk) in sent
    assert tag("review", review.pk, "card") in sent
    assert tag("film", review.film_id) in sent


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_purges_nothing_by_itself(purgers, fake, monkeypatch):
    monkeypatch.setattr(purges, "after_commit", transaction.on_commit)
    review = make_review()
    fake.requests.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        review.film.runtime = 100
        review.film.save()
        raise RuntimeError
    assert fake.requests == []
