"""
Reading the environment for filmblog/settings.py: typed variables, and the
settings built from a few of them (the cache, the purgers, origins).
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def env(name, default=""):
    """An environment variable; unset and empty both mean "use the default"."""
    return os.environ.get(name) or default


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name, default):
    return int(env(name, str(default)))


def cache_settings(url):
    """CACHES for a cache URL: redis:// (django-redis), dummy://, or locmem:// (the default)."""
    if url.startswith(("redis://", "rediss://")):
        # django-redis rather than Django's own RedisCache: it keeps one client per
        # process, where Django's builds a new one on every call (a third of the
        # time of serving a cached page).
        return {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": env("CACHE_KEY_PREFIX", "filmblog"),
                # An unreachable Redis must cost a request little: the site carries
                # on without its cache (core/cache_outage.py).
                "OPTIONS": {
                    "SOCKET_CONNECT_TIMEOUT": float(env("CACHE_CONNECT_TIMEOUT", "0.25")),
                    "SOCKET_TIMEOUT": float(env("CACHE_TIMEOUT", "0.5")),
                },
            }
        }
    elif url.startswith("dummy://"):
        return {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    elif url and not url.startswith("locmem://"):
        raise ImproperlyConfigured(
            f"CACHE_URL {url!r} is not understood: use redis://host:port/db, locmem:// or dummy://."
        )
    else:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "filmblog",
            }
        }


def purgers():
    """PAGE_CACHE_PURGERS: the site's own cache, and each cache in front that is configured."""
    purge = {"pages": {"BACKEND": "core.purges.PageCachePurger"}}
    if env("VARNISH_PURGE_URLS"):
        purge["varnish"] = {
            "BACKEND": "core.purges.VarnishPurger",
            "URLS": env_list("VARNISH_PURGE_URLS"),
        }
    if env("CLOUDFLARE_ZONE_ID"):
        purge["cloudflare"] = {
            "BACKEND": "core.purges.CloudflarePurger",
            "ZONE_ID": env("CLOUDFLARE_ZONE_ID"),
            "API_TOKEN": env("CLOUDFLARE_API_TOKEN"),
        }
    if env("FASTLY_SERVICE_ID"):
        purge["fastly"] = {
            "BACKEND": "core.purges.FastlyPurger",
            "SERVICE_ID": env("FASTLY_SERVICE_ID"),
            "API_TOKEN": env("FASTLY_API_TOKEN"),
        }
    return purge


def origin(url):
    """``https://host[:port]`` of an absolute URL, or None for a relative one."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
