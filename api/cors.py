"""
Which web pages may read the API from a browser: those on an origin that the
key they use allows (ApiKey.allowed_origins). django-cors-headers asks here.

A browser's preflight request carries no key, so it is answered for any
origin that some active key allows; the response to the real request carries
Access-Control-Allow-Origin only if its own key allows the origin.
"""

import time

from api.models import ApiKey

_origins = {"until": 0.0, "origins": frozenset()}
CACHE_SECONDS = 10


def allowed_origins():
    """The origins any active key allows (read again every few seconds)."""
    now = time.monotonic()
    if _origins["until"] < now:
        found = set()
        for text in (
            ApiKey.objects.active()
            .exclude(allowed_origins="")
            .values_list("allowed_origins", flat=True)
        ):
            found.update(line.strip() for line in text.splitlines() if line.strip())
        _origins.update(until=now + CACHE_SECONDS, origins=frozenset(found))
    return _origins["origins"]


def forget(**kwargs):
    _origins["until"] = 0.0


def origin_allowed(sender, request, **kwargs):
    if not request.path_info.startswith("/api/"):
        return False
    origin = request.headers.get("Origin", "")
    api_key = getattr(request, "api_key", None)
    if api_key is not None:
        return origin in api_key.origins()
    if request.method == "OPTIONS":
        return origin in allowed_origins()
    return False
