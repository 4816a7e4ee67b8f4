"""
Around every API request (but the OpenAPI document and its docs page):

1. the key, from ``Authorization: Bearer …`` or ``?key=``: none or a
   revoked one is a 401;
2. the key's rate limit, counted by the site's limiter (core.ratelimit) in
   batches of a fiftieth of the limit: over it is a 429 with Retry-After;
3. the response, from the page cache (core.pagecache) until a change purges
   one of the tags it was stored under; otherwise rendered and stored there.

A response is the same whichever key asked, so one stored copy serves every
key. The tags an answer depends on are named while it renders (``catalogue``,
which every editorial change purges, and each review's reader tag on a review
list, for its reader rating: api/endpoints.py ``cache_tags()``), and it is
stored under them, with its private Cache-Control and ``Vary: Authorization,
Origin`` (the same for every key), so that a hit needs no header work here.
Stored answers carry no per-key header: ``Access-Control-Allow-Origin`` is
added to each response for its own key (api/cors.py), and a browser's
preflight is answered here too. The ETag and the 304 come from
ConditionalGetMiddleware, around all.
"""

import time

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from api import cors, keys
from api.errors import error_response
from core import pagecache, ratelimit

PREFIX = "/api/"
PUBLIC = {"/api/v1/openapi.json", "/api/v1/docs/"}
WINDOW = 60  # API_RATE_LIMIT and ApiKey.rate_limit count requests per minute


def has_nul(request):
    # In the raw query string a NUL is %00 (or sent as is): no need to parse it.
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in request.path_info or "%00" in query or "\x00" in query


def private(response):
    """Cache-Control and Vary for an answer that only its key's holder may keep."""
    patch_cache_control(response, private=True, max_age=0)
    patch_vary_headers(response, ["Authorization", "Origin"])
    return response


def without_key(request):
    """The path and query string without ``key=``: every key gets the same answer."""
    query = request.META.get("QUERY_STRING", "")
    if "key=" not in query:
        return request.get_full_path()
    kept = "&".join(part for part in query.split("&") if not part.startswith("key="))
    return f"{request.path}?{kept}" if kept else request.path


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Its lookup() and store(), with the page cache's keys and tags.
        self.page_cache = pagecache.PageCacheMiddleware(get_response)

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(PREFIX):
            return self.get_response(request)
        if cors.is_preflight(request):
            return cors.preflight(request)
        if path in PUBLIC or request.method == "OPTIONS":
            return cors.vary(self.get_response(request))
        return cors.allow(request, self.answer(request))

    def answer(self, request):
        if has_nul(request):
            # What core.security.RejectNulMiddleware refuses further in, as JSON.
            return error_response(400, "A parameter holds a NUL character.")
        api_key = keys.authenticate(keys.key_from_request(request))
        if api_key is None:
            return error_response(
                401,
                "A valid API key is required: send it as Authorization: Bearer <key> "
                "or ?key=<key>.",
                headers={"WWW-Authenticate": 'Bearer realm="api"'},
            )
        request.api_key = api_key
        limited = self.over_limit(api_key)
        if limited:
            return limited
        return self.respond(request)

    def over_limit(self, api_key):
        limit = api_key.rate_limit or settings.API_RATE_LIMIT
        # Counted in batches: a busy key costs no cache round trip on most requests.
        if not ratelimit.hit_in_batches(scope="api", ident=api_key.pk, limit=limit, window=WINDOW):
            return None
        retry_after = WINDOW - int(time.time()) % WINDOW
        return error_response(
            429,
            f"This key may make {limit} requests a minute; try again in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
        )

    def respond(self, request):
        # Unlike a page, an answer is the same with or without a session cookie:
        # the API reads no session.
        if request.method != "GET" or settings.PAGE_CACHE_SECONDS <= 0:
            return private(self.get_response(request))
        lookup = self.page_cache.lookup(request, full_path=without_key(request))
        if isinstance(lookup, HttpResponse):
            # Stored with its private Cache-Control and Vary.
            return lookup
        response = self.get_response(request)
        rendered = getattr(request, "api_cache_tags", None)
        store = (
            lookup is not None
            and rendered is not None
            and pagecache.response_is_cacheable(response)
        )
        private(response)
        if store:
            # With its private Cache-Control and Vary, ready for the next key.
            self.page_cache.store(response, lookup, rendered)
        return response
