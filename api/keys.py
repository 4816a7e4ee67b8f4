"""
Making and checking API keys.

A key is ``fb_`` and 43 random URL-safe characters; the database keeps its
SHA-256 (the key has 256 bits of chance in it, so a fast hash is enough) and
its first characters. A checked key is remembered in this process for
``API_KEY_CACHE_SECONDS``, so a cached response costs no database query; a key
revoked here is forgotten at once, on other servers within those seconds.
"""

import hashlib
import secrets
import time
from datetime import timedelta
from urllib.parse import unquote_plus

from django.conf import settings
from django.utils import timezone

from api.models import ApiKey

KEY_PREFIX = "fb_"
# last_used_at is written at most this often per key and process.
TOUCH_EVERY = timedelta(minutes=1)

# hashed key -> (ApiKey or None, monotonic time after which it is read again)
_known = {}
_KNOWN_MAX = 10_000


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(name, *, allowed_origins="", rate_limit=None):
    """A new key named ``name``: returns (ApiKey, the key in clear, shown only now)."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        name=name,
        prefix=key[: len(KEY_PREFIX) + 8],
        hashed_key=hash_key(key),
        allowed_origins=allowed_origins,
        rate_limit=rate_limit,
    )
    return api_key, key


def assign_new_key(api_key):
    """Give an unsaved ApiKey (the admin's) a fresh key; returns the key in clear."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    api_key.prefix = key[: len(KEY_PREFIX) + 8]
    api_key.hashed_key = hash_key(key)
    return key


def key_from_request(request):
    """The key the client sent, as ``Authorization: Bearer …`` or ``?key=…``, or ""."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    # The last key= of the raw query string, as request.GET.get() would find it.
    found = ""
    for part in request.META.get("QUERY_STRING", "").split("&"):
        if part.startswith("key="):
            found = part[4:]
    return unquote_plus(found) if "%" in found or "+" in found else found


def authenticate(key):
    """The active ApiKey for ``key``, or None."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    hashed = hash_key(key)
    now = time.monotonic()
    known = _known.get(hashed)
    if known is None or known[1] < now:
        if len(_known) >= _KNOWN_MAX:
            _known.clear()
        api_key = ApiKey.objects.active().filter(hashed_key=hashed).first()
        known = (api_key, now + settings.API_KEY_CACHE_SECONDS)
        _known[hashed] = known
    api_key = known[0]
    if api_key is not None:
        touch(api_key)
    return api_key


def touch(api_key):
    """Record that the key was used (at most once a minute per process)."""
    if time.monotonic() < getattr(api_key, "touch_after", 0.0):
        return
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= TOUCH_EVERY:
        api_key.last_used_at = now
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    # No need to look at the clock's date again before then.
    api_key.touch_after = (
        time.monotonic() + (TOUCH_EVERY - (now - api_key.last_used_at)).total_seconds()
    )


def forget(sender=None, instance=None, **kwargs):
    """Read keys from the database again (one was saved, revoked or deleted)."""
    _known.clear()
