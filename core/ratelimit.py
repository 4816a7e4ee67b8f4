"""
Who is asking, and how often: the one rate limiter for every public write
(comments, sign-ups, ratings, likes) and for the content API's keys.

The counters live in the shared cache, so with Redis every app server sees
the same count. When the cache cannot be reached the limit fails open: the
reader's write goes ahead and the outage is logged, because refusing every
comment while Redis restarts would punish readers for an operator's problem.
"""

import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache

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


def _key(scope, ident, bucket):
    return f"ratelimit:{scope}:{salted_hash(ident)}:{bucket}"


def _add(key, count, window):
    """Add ``count`` to the window's counter at ``key``; returns the new total."""
    try:
        # Every attempt but the window's first: one round trip (INCR keeps the expiry).
        return cache.incr(key, count)
    except ValueError:  # the window's first attempt: no counter yet
        # add() only writes when the key is missing; if another server's
        # request created it a moment ago, count on from theirs.
        if cache.add(key, count, timeout=window + 1):
            return count
        try:
            return cache.incr(key, count)
        except ValueError:  # expired between add() and incr()
            cache.add(key, count, timeout=window + 1)
            return count


def hit(*, scope, ident, limit, window):
    """
    Count one attempt by ``ident`` in a fixed window of ``window`` seconds and
    say whether it went over ``limit``.
    """
    if not cache_usable():
        return False
    bucket = int(time.time()) // window
    try:
        count = _add(_key(scope, ident, bucket), 1, window)
    except CACHE_ERRORS:
        cache_failed(f"rate limit {scope!r}: let through")
        return False
    return count > limit


# A process reports a batched count at least every limit / BATCH_SHARE attempts.
BATCH_SHARE = 50
# (scope, ident) -> [window, attempts not yet reported, the shared total last seen]
_batches = {}
_batches_lock = threading.Lock()
_BATCHES_MAX = 10_000


def hit_in_batches(*, scope, ident, limit, window):
    """
    As hit(), for limits of hundreds of attempts a window (an API key's): this
    process counts the attempts itself and adds them to the shared counter a
    batch at a time (a fiftieth of the limit), so a busy client costs one cache
    round trip per batch instead of one per request. Each app process may report
    up to a batch late, so the limit holds to within 2% per process. Limits
    under 100 are counted one by one, as hit() does.
    """
    step = limit // BATCH_SHARE
    if step <= 1:
        return hit(scope=scope, ident=ident, limit=limit, window=window)
    if not cache_usable():
        return False
    bucket = int(time.time()) // window
    with _batches_lock:
        state = _batches.get((scope, ident))
        if state is None or state[0] != bucket:
            if len(_batches) >= _BATCHES_MAX:
                _batches.clear()
            state = _batches[scope, ident] = [bucket, 0, 0]
        state[1] += 1
        pending = state[1]
        if pending < step:
            return state[2] + pending > limit
        state[1] = 0
    try:
        total = _add(_key(scope, ident, bucket), pending, window)
    except CACHE_ERRORS:
        cache_failed(f"rate limit {scope!r}: let through")
        return False
    with _batches_lock:
        state[2] = max(state[2], total)
    return total > limit
