"""
Purges that follow the data: when a change commits, the tags it changed are
purged from every cache that keeps pages, and nothing else.

What expires what
    Each app says which tags a change of one of its models purges
    (``expire_on_change()`` in its ``AppConfig.ready()``): its function gets the
    model, the instance and a ``Change`` (what happened, which fields changed
    and their old values, or the objects added to a many-to-many relation).
    Writes that bypass signals (``QuerySet.update()``) call ``expire_pages()``
    themselves, as comment moderation and reader ratings do.

When and where
    The tags of one transaction are gathered and, once it commits, one task per
    cache purges them (django-tasks: ``manage.py db_worker`` in production,
    at once in development): never inside the editor's request, and a change
    that rolls back purges nothing it did not need to. The caches are
    ``PAGE_CACHE_PURGERS`` (settings), an alias each: this site's own page cache
    (``PageCachePurger``), Varnish (``VarnishPurger``: an HTTP PURGE with an
    ``xkey-purge`` header to each Varnish server), Cloudflare (``CloudflarePurger``:
    purge by Cache-Tag) and Fastly (``FastlyPurger``: purge by Surrogate-Key). A
    purge that fails is tried again with a growing delay (1 s, 2 s, 4 s ... up
    to 5 minutes, 12 attempts) by the task runner; a cache's failure does not
    hold up the others.
"""

import json
import logging
import threading
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from core import pagecache
from core.cache_outage import CACHE_ERRORS

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
FIRST_DELAY = 1  # seconds; doubled after each failure
MAX_DELAY = 5 * 60


class PurgeFailed(Exception):
    """A cache in front answered a purge with an error."""


PURGE_ERRORS = (PurgeFailed, OSError, *CACHE_ERRORS)


# --- The caches -------------------------------------------------------------


class PageCachePurger:
    """This site's own page cache (core.pagecache)."""

    def __init__(self, **options):
        pass

    def purge(self, tags):
        pagecache.purge_stored(*tags)


class HttpPurger:
    """A cache purged over HTTP; ``TIMEOUT`` seconds per call (default 5)."""

    def __init__(self, *, TIMEOUT=5, **options):  # noqa: N803 - settings' spelling
        self.timeout = TIMEOUT

    def call(self, url, *, method="POST", headers=None, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            answer = error.read()[:200]
            raise PurgeFailed(f"{method} {url} answered {error.code}: {answer!r}") from error


class VarnishPurger(HttpPurger):
    """
    Varnish servers (``URLS``, e.g. ``["http://10.0.0.5:6081"]``) running
    deploy/varnish/filmblog.vcl, which accepts PURGE from the app servers only.
    """

    def __init__(self, *, URLS, **options):  # noqa: N803
        super().__init__(**options)
        self.urls = list(URLS)

    def purge(self, tags):
        for url in self.urls:
            headers = {"xkey-purge": " ".join(tags)}
            self.call(url.rstrip("/") + "/", method="PURGE", headers=headers)


class CloudflarePurger(HttpPurger):
    """Cloudflare's purge by Cache-Tag for ``ZONE_ID``, with an API token allowed to purge."""

    API_URL = "https://api.cloudflare.com/client/v4"
    TAGS_PER_CALL = 30

    def __init__(self, *, ZONE_ID, API_TOKEN, API_URL=API_URL, **options):  # noqa: N803
        super().__init__(**options)
        self.url = f"{API_URL.rstrip('/')}/zones/{ZONE_ID}/purge_cache"
        self.token = API_TOKEN

    def purge(self, tags):
        for start in range(0, len(tags), self.TAGS_PER_CALL):
            _, body = self.call(
                self.url,
                headers={"Authorization": f"Bearer {self.token}"},
                body={"tags": tags[start : start + self.TAGS_PER_CALL]},
            )
            if not json.loads(body or b"{}").get("success"):
                raise PurgeFailed(f"Cloudflare refused the purge: {body[:200]!r}")


class FastlyPurger(HttpPurger):
    """Fastly's purge by Surrogate-Key for ``SERVICE_ID``; ``SOFT`` marks pages stale instead."""

    API_URL = "https://api.fastly.com"
    KEYS_PER_CALL = 256

    def __init__(self, *, SERVICE_ID, API_TOKEN, API_URL=API_URL, SOFT=False, **options):  # noqa: N803
        super().__init__(**options)
        self.url = f"{API_URL.rstrip('/')}/service/{SERVICE_ID}/purge"
        self.headers = {"Fastly-Key": API_TOKEN}
        if SOFT:
            self.headers["Fastly-Soft-Purge"] = "1"

    def purge(self, tags):
        for start in range(0, len(tags), self.KEYS_PER_CALL):
            self.call(
                self.url,
                headers=self.headers,
                body={"surrogate_keys": tags[start : start + self.KEYS_PER_CALL]},
            )


def purger(alias):
    config = dict(settings.PAGE_CACHE_PURGERS[alias])
    return import_string(config.pop("BACKEND"))(**config)


# --- The task ---------------------------------------------------------------


def delay_after(attempt):
    """Seconds to wait after failed attempt number ``attempt`` (1, 2, ...)."""
    return min(FIRST_DELAY * 2 ** (attempt - 1), MAX_DELAY)


@task()
def purge_tags(*, alias, tags, attempt=1):
    """Purge ``tags`` from the cache ``alias``; a failure is tried again later."""
    if alias not in settings.PAGE_CACHE_PURGERS:
        logger.warning("No page cache %r to purge any more", alias)
        return
    try:
        purger(alias).purge(tags)
    except PURGE_ERRORS as error:
        if attempt >= MAX_ATTEMPTS:
            logger.error("Purging %s from %s gave up after %s attempts", tags, alias, attempt)
            raise
        if not purge_tags.get_backend().supports_defer:
            logger.warning("Purging %s from %s failed: %r", tags, alias, error)
            return
        when = timezone.now() + timedelta(seconds=delay_after(attempt))
        purge_tags.using(run_after=when).enqueue(alias=alias, tags=tags, attempt=attempt + 1)
        logger.warning("Purging %s from %s failed (%r); again at %s", tags, alias, error, when)


# --- After commit -------------------------------------------------------------

# The tags changed in this thread's transaction, not yet sent.
_batch = threading.local()


def _send():
    tags = sorted(getattr(_batch, "tags", ()))
    _batch.tags = set()
    if not tags:
        return
    for alias in settings.PAGE_CACHE_PURGERS:
        try:
            purge_tags.enqueue(alias=alias, tags=tags)
        except Exception:
            # The task queue itself failed (the database went away after the commit).
            logger.exception("Could not queue the purge of %s from %s", tags, alias)


def after_commit(func):
    """Run ``func`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(func)


def expire_pages(*tags):
    """
    The pages that show ``tags`` (default: every page) are out of date: purged
    from every cache once the current transaction commits. A transaction that
    rolls back leaves its tags to go with the next one (a purge too many).
    """
    if not hasattr(_batch, "tags"):
        _batch.tags = set()
    _batch.tags.update(tags or (pagecache.SITE_TAG,))
    after_commit(_send)


def expire_pages_at(when, *tags):
    """
    The pages that show ``tags`` change by themselves at ``when`` (a scheduled
    review becomes public): once the current transaction commits, a purge is
    queued for that time in every cache, where the task runner can wait (the
    database backend). This site's own cache also expires every page then
    (the ``site`` version carries the time of the next scheduled change).
    """

    def send():
        if not purge_tags.get_backend().supports_defer:
            return
        for alias in settings.PAGE_CACHE_PURGERS:
            purge_tags.using(run_after=when).enqueue(alias=alias, tags=sorted(tags))

    expire_pages(pagecache.SCHEDULE_TAG)
    after_commit(send)


# --- What changed -------------------------------------------------------------


class Change:
    """
    What happened to an instance: ``kind`` is "created", "saved", "deleted" or
    "m2m"; a save has ``fields`` (the names of the fields that changed) and
    ``old`` (their values before); an m2m change names its ``relation`` and the
    primary keys of the objects added or removed (``pks``), or None when
    cleared.
    """

    def __init__(self, kind, *, fields=None, old=None, relation=None, pks=None):
        self.kind = kind
        self.fields = frozenset(fields) if fields is not None else None
        self.old = old or {}
        self.relation = relation
        self.pks = pks

    def touches(self, names):
        """Whether the change may show where ``names`` are shown (unknown fields: yes)."""
        return self.kind != "saved" or self.fields is None or bool(self.fields & set(names))


# The values of the rows being saved, read just before the save, by thread.
_before = threading.local()


def _fields(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def expire_on_change(app_label, tags=None, *, track=()):
    """
    Expire pages whenever a model of ``app_label`` is saved or deleted, or its
    many-to-many relations change (the admin's inlines and widgets, revision
    restores and taggit all write through these signals).

    ``tags(model, instance, change)`` names the tags of the pages that show
    the change, or returns None for every page; without it, every page expires.
    For the models in ``track`` a save reads the row first (one query), so the
    change says which fields changed; for the others it does not know.
    """

    def before(sender, instance=None, raw=False, **kwargs):
        if sender not in track or raw or instance.pk is None:
            return
        names = [f.attname for f in _fields(sender)]
        row = sender._base_manager.filter(pk=instance.pk).values(*names).first()
        if not hasattr(_before, "rows"):
            _before.rows = {}
        _before.rows[(sender, instance.pk)] = row

    def saved(sender, instance=None, created=False, raw=False, **kwargs):
        if sender._meta.app_label != app_label:
            return
        old = getattr(_before, "rows", {}).pop((sender, instance.pk), None)
        if created:
            change = Change("created")
        elif old is None:
            change = Change("saved")
        else:
            fields = {
                f.name for f in _fields(sender) if old[f.attname] != getattr(instance, f.attname)
            }
            if not fields:
                return
            change = Change("saved", fields=fields, old=old)
        expire(sender, instance, change)

    def deleted(sender, instance=None, **kwargs):
        if sender._meta.app_label == app_label:
            expire(sender, instance, Change("deleted"))

    def related(sender, instance=None, action="", model=None, pk_set=None, **kwargs):
        if not action.startswith("post_"):
            return
        owner = type(instance)
        if owner._meta.app_label != app_label:
            return
        relation = next(
            (f.name for f in owner._meta.many_to_many if f.remote_field.through is sender),
            None,
        )
        change = Change("m2m", relation=relation, pks=pk_set)
        expire(owner if relation else sender, instance, change)

    def expire(model, instance, change):
        named = tags(model, instance, change) if tags is not None else None
        if named is None:
            expire_pages()
        elif named:
            expire_pages(*named)

    uid = f"purges-{app_label}"
    pre_save.connect(before, weak=False, dispatch_uid=f"{uid}-before")
    post_save.connect(saved, weak=False, dispatch_uid=f"{uid}-saved")
    post_delete.connect(deleted, weak=False, dispatch_uid=f"{uid}-deleted")
    m2m_changed.connect(related, weak=False, dispatch_uid=f"{uid}-related")
