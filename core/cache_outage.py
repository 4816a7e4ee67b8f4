"""
The shared cache (Redis in production) is a help, never a requirement.

Pages, rate limits and rendition lookups use it, but none of them is worth a
failed request: when the cache cannot be reached, each caller carries on
without it (a page is rendered instead of read, a rate limit lets the request
through) and the outage is logged. After a failure the cache is left alone for
``REST_SECONDS``, so that an outage costs each process one slow connection
attempt every few seconds rather than one per request.

Call sites wrap their cache calls::

    if cache_usable():
        try:
            value = cache.get(key)
        except CACHE_ERRORS:
            cache_failed("rendition lookup")
"""

import logging
import time

from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What the cache backend (django-redis) raises when its server is unreachable.
CACHE_ERRORS = (ConnectionInterrupted, RedisError, OSError)
# Seconds to leave the cache alone after it failed.
REST_SECONDS = 2.0

_failed_at = None


def cache_usable():
    """Whether to try the shared cache now (False for a while after a failure)."""
    return _failed_at is None or time.monotonic() - _failed_at >= REST_SECONDS


def cache_failed(what):
    """Record and log that the cache failed while doing ``what``."""
    global _failed_at
    first = _failed_at is None
    _failed_at = time.monotonic()
    if first:
        logger.warning("The cache is unreachable (%s): going on without it", what, exc_info=True)
    else:
        logger.info("The cache is still unreachable (%s)", what)


def cache_recovered():
    """Called after a cache call succeeded: the outage, if any, is over."""
    global _failed_at
    if _failed_at is not None:
        _failed_at = None
        logger.warning("The cache is reachable again")
