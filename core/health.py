"""
``/healthz/`` for load balancers: 200 while this app server can serve readers,
503 only when it cannot serve at all.

- Database and cache reachable: ``{"status": "ok", ...}``.
- One of them unreachable: ``"degraded"``, still 200. Without the cache every
  page is rendered (slower, but whole); without the database the cached pages
  are still served and the rest get a plain 503 page. Every server shares the
  same cache and database, so draining this one would drain them all.
- Both unreachable: ``"failing"``, 503.

It is answered by the first middleware, before the host check and the HTTPS
redirect, because load balancers probe each server by its private address over
plain HTTP. It reads nothing a visitor could use: no versions, no hostnames.
"""

import logging
import secrets

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db import connection
from django.http import JsonResponse

HEALTH_PATH = "/healthz/"

logger = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def check_cache():
    cache = caches["default"]
    if isinstance(cache, DummyCache):
        return "off"
    key = "healthz:" + secrets.token_hex(8)
    value = secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


CHECKS = {"database": check_database, "cache": check_cache}


def health_status():
    """
    ``{"database": "ok", "cache": "ok"}`` and the overall status; a check says
    "failing" when it fails, and the cache says "off" when it is configured off.
    """
    results = {}
    for name, check in CHECKS.items():
        try:
            outcome = check()
        except Exception:
            logger.exception("Health check %s failed", name)
            outcome = False
        results[name] = outcome if isinstance(outcome, str) else "ok" if outcome else "failing"
    if results["database"] == "ok":
        status = "degraded" if results["cache"] == "failing" else "ok"
    else:
        status = "degraded" if results["cache"] == "ok" else "failing"
    return results, status


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != HEALTH_PATH or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        results, status = health_status()
        response = JsonResponse(
            {"status": status, **results}, status=503 if status == "failing" else 200
        )
        response["Cache-Control"] = "no-store"
        return response
