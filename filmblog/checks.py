"""
Deploy checks (``manage.py check --deploy``) for what a multi-process server
needs and Django's own checks cannot know: a shared cache, shared media, and
mail that leaves the request.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Error, Tags, Warning, register
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend


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


@register(Tags.compatibility, deploy=True)
def check_tasks_leave_the_request(app_configs, **kwargs):
    """
    With the immediate task backend, a sign-up or a password reset sends its
    mail inside the request: the answer waits for the mail relay, fails to be
    retried when the relay is down, and takes longer for an address that gets a
    mail than for one that does not, which tells a known address from a new one.
    """
    if settings.DEBUG or not isinstance(
        task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend
    ):
        return []
    return [
        Warning(
            "Tasks run immediately, inside the request (TASKS_BACKEND=immediate): mail "
            "is sent while the reader waits, is not retried when the relay fails, and the "
            "time a sign-up or password reset takes tells whether the address is known.",
            hint="Set TASKS_BACKEND=database and run `python manage.py db_worker` beside "
            "the app servers (docs/deploy.md).",
            id="filmblog.W003",
        )
    ]
