"""
Which web pages may read the API from a browser: those on an origin that the
key they use allows (ApiKey.allowed_origins). ApiMiddleware asks here.

The policy is the keys', so it is a few lines of its own rather than a
general CORS library's settings with a hook into them:

- every API response says ``Vary: Origin`` (a stored answer already does);
- a response to a request with a key carries ``Access-Control-Allow-Origin``
  when that key allows the request's ``Origin``;
- a browser's preflight carries no key, so it is answered for any origin that
  some active key allows (the real request then needs its own key's consent).

The API is read-only: a preflight allows GET and the headers a client sends
with it (the key, content negotiation and revalidation).
"""

import time

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from api.models import ApiKey, origins_in

ALLOW_METHODS = "GET, OPTIONS"
ALLOW_HEADERS = "accept, accept-language, authorization, if-none-match, if-modified-since"
# What a page's script may read besides the simple headers: revalidation and limits.
EXPOSE_HEADERS = "ETag, Retry-After, X-Page-Cache"
# How long a browser may reuse a preflight's answer (a day, as is usual).
PREFLIGHT_MAX_AGE = str(24 * 60 * 60)
CACHE_SECONDS = 10

_origins = {"until": 0.0, "origins": frozenset()}


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
            found |= origins_in(text)
        _origins.update(until=now + CACHE_SECONDS, origins=frozenset(found))
    return _origins["origins"]


def forget(**kwargs):
    _origins["until"] = 0.0


def vary(response):
    """``Vary: Origin``, unless the response (a stored one) says it already."""
    if "Origin" not in response.get("Vary", ""):
        patch_vary_headers(response, ("Origin",))
    return response


def is_preflight(request):
    return request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META


def preflight(request):
    """The answer to a browser's preflight request."""
    response = vary(HttpResponse(headers={"Content-Length": "0"}))
    origin = request.META.get("HTTP_ORIGIN", "")
    if origin and origin in allowed_origins():
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = ALLOW_METHODS
        response["Access-Control-Allow-Headers"] = ALLOW_HEADERS
        response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def allow(request, response):
    """Let the request's origin read ``response`` if the request's key allows it."""
    vary(response)
    origin = request.META.get("HTTP_ORIGIN")
    api_key = getattr(request, "api_key", None)
    if origin and api_key is not None and origin in api_key.origins():
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    return response
