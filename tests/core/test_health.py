"""/healthz/: what a load balancer asks each app server before sending it readers."""

import pytest

from core import health

pytestmark = pytest.mark.django_db


def test_healthy_server_answers_200(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


def broken():
    raise OSError("connection refused")


def test_a_failing_database_with_the_cache_up_is_degraded(client, monkeypatch):
    """Cached pages are still served: draining every server would serve nothing."""
    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "failing", "cache": "ok"}


def test_a_failing_cache_is_degraded_not_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "failing"}


def test_a_server_with_neither_answers_503(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "database", broken)
    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["status"] == "failing"


def test_a_cache_that_is_turned_off_is_not_a_failure(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["cache"] == "off"


def test_probes_by_private_address_over_http_are_answered(client, settings):
    """Load balancers probe each server by its own address, over plain HTTP."""
    settings.ALLOWED_HOSTS = ["films.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz/", HTTP_HOST="10.0.0.12:8000")
    assert response.status_code == 200
    # Everything else still gets the host check and the redirect.
    assert client.get("/", HTTP_HOST="10.0.0.12:8000").status_code == 400
    assert client.get("/", HTTP_HOST="films.example.org").status_code == 301


def test_only_reads_are_answered(client):
    assert client.post("/healthz/").status_code == 404
