"""
Deploy checks (``manage.py check --deploy``) for what a multi-process server
needs and Django's own checks cannot know.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Error, Tags, Warning, register


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """
    With local memory, each worker process has its own page cache and rate-limit
    counters: one worker shows a rating, the next one a page from before it, for
    up to PAGE_CACHE_SECONDS, and every limit is multiplied by the workers.
    """
    if not isinstance(caches["default"], LocMemCache) or settings.WEB_CONCURRENCY <= 1:
        return []
    return (
        [
            Error(
                f"The cache is in each process's memory, and gunicorn runs "
                f"{settings.WEB_CONCURRENCY} workers (WEB_CONCURRENCY): pages would stay "
                "stale on some workers after every change, and rate limits would not add up.",
                hint="Set CACHE_URL=redis://host:6379/0 (a cache all workers share), or run "
                "one worker (WEB_CONCURRENCY=1), or turn the page cache off "
                "(PAGE_CACHE_SECONDS=0) and accept per-worker rate limits.",
                id="filmblog.E001",
            )
        ]
        if settings.PAGE_CACHE_SECONDS > 0
        else [
            Warning(
                "The cache is in each process's memory: rate limits count per worker.",
                hint="Set CACHE_URL=redis://host:6379/0.",
                id="filmblog.W002",
            )
        ]
    )


@register(Tags.files, deploy=True)
def check_single_server_media(app_configs, **kwargs):
    if not settings.SINGLE_SERVER_MEDIA:
        return []
    return [
        Warning(
            "SINGLE_SERVER_MEDIA is on: this app server serves uploaded files from "
            f"{settings.MEDIA_ROOT} itself. Other app servers would not have them.",
            hint="Fine for one server. With several, use object storage "
            "(AWS_STORAGE_BUCKET_NAME) and turn SINGLE_SERVER_MEDIA off.",
            id="filmblog.W001",
        )
    ]
