"""
Who is asking, and how often: the one rate limiter for every public write
(comments, sign-ups, ratings, likes).

The counters live in the shared cache, so with Redis every app server sees
the same count. When the cache cannot be reached the limit fails open: the
reader's write goes ahead and the outage is logged, because refusing every
comment while Redis restarts would punish readers for an operator's problem.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.cache_outage import CACHE_ERRORS, cache_failed, cache_usable


def client_ip(request):
    """
    The client's address. Behind NUM_PROXIES trusted proxies it is the entry
    those proxies appended to X-Forwarded-For; anything further left was sent
    by the client and could be forged.
    """
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def salted_hash(value, length=32):
    """A short keyed hash: enough to count or match a value, not to recover it."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:length]


def client_hash(request):
    """The client's address as stored beside a comment: hashed, never in the clear."""
    return salted_hash(client_ip(request), length=16)


def hit(*, scope, ident, limit, window):
    """
    Count one attempt by ``ident`` in a fixed window of ``window`` seconds and
    say whether it went over ``limit``.
    """
    if not cache_usable():
        return False
    bucket = int(timezone.now().timestamp()) // window
    key = f"ratelimit:{scope}:{salted_hash(ident)}:{bucket}"
    try:
        try:
            # Every attempt but the window's first: one round trip (INCR keeps the expiry).
            count = cache.incr(key)
        except ValueError:  # the window's first attempt: no counter yet
            # add() only writes when the key is missing; if another server's
            # request created it a moment ago, count on from theirs.
            if cache.add(key, 1, timeout=window + 1):
                return limit < 1
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=window + 1)
                count = 1
    except CACHE_ERRORS:
        cache_failed(f"rate limit {scope!r}: let through")
        return False
    return count > limit
