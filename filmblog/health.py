"""
``/healthz/`` for load balancers: 200 when this app server can reach its
database and its cache, 503 (saying which failed) when it cannot.

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
    ``{"database": "ok", "cache": "ok"}`` and whether all passed; a check says
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
    return results, "failing" not in results.values()


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != HEALTH_PATH or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        results, healthy = health_status()
        response = JsonResponse(
            {"status": "ok" if healthy else "failing", **results}, status=200 if healthy else 503
        )
        response["Cache-Control"] = "no-store"
        return response
