"""
Public pages served from the shared cache (Redis in production).

Nearly every request comes from an anonymous reader, and a public page is the
same HTML whoever asks for it: the reader's own rating and like come from
``/mine/``, and the forms on it carry no CSRF token (``core.security``). So
the rendered page is kept in the cache that all app servers share, and served
from there until something it shows changes.

What is cached
    Views marked ``@public_page`` (home, reviews, films, people, authors,
    archives, search, feeds), for GET requests that carry neither a session
    cookie nor a messages cookie. A logged-in editor or author therefore always
    gets a freshly rendered page (with their toolbar), and nobody is ever served
    a page that was rendered for them. A response is stored only if it is a 200
    that sets no cookie and is not marked private or no-store; drafts and
    previews never are. Pages are stored compressed, once per encoding the
    client accepts (Brotli, gzip or none), so a hit costs no compression.

How pages stay fresh
    Each stored page records the version of every tag it depends on: ``site``
    for every page, and ``review:<slug>`` for a review page. A lookup reads the
    page and the current versions in one round trip and serves the page only if
    they match. A change gives its tag a new random version, so every server
    stops serving the pages that depended on it at once; they are rendered
    again on the next request.

    This module knows no app. Each app says which of its changes expire which
    pages (``expire_on_change()`` in its ``AppConfig.ready()``): editorial
    changes expire ``site``, a reader's comment, rating or like only its
    review's tag. A scheduled review becomes public at its time without anyone
    saving it, so the apps name the time of the next such change
    (``watch_schedule()``); the ``site`` version carries it and is renewed once
    that time has passed.

    Versions are read before a page is rendered, and a change renews its tag
    both at once and again when its transaction commits, so a page rendered
    from data that was about to change is never stored as current. Writes that
    bypass signals (``QuerySet.update()``) call ``expire_pages()`` or
    ``expire_review_pages()`` themselves, as comment moderation does.

When the cache is down
    Pages are rendered and not stored (``core.cache_outage``). A renewal that could
    not be written is kept in this process and written before the process uses
    the cache again, so that it never serves a page that the change made stale.

Public responses say ``Cache-Control: public, max-age=0, s-maxage=…``
(``PAGE_CACHE_SHARED_SECONDS``) and name their tags in ``Surrogate-Key`` and
``Cache-Tag``, so a CDN in front may keep them briefly and purge them by tag.
``PAGE_CACHE_SECONDS`` bounds how long a page may be kept here (0 turns the
cache off). Responses say ``X-Page-Cache: hit`` or ``miss``.
"""

import functools
import hashlib
import secrets
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

from core.cache_outage import CACHE_ERRORS, cache_failed, cache_recovered, cache_usable

SITE_TAG = "site"
HEADER = "X-Page-Cache"
# The tags a public response depends on, for a CDN: Fastly's and Cloudflare's names.
SURROGATE_KEY_HEADER = "Surrogate-Key"
CACHE_TAG_HEADER = "Cache-Tag"

# Functions that return when public pages next change by themselves (a
# scheduled publication), as a datetime, or None; see watch_schedule().
_schedules = []
# Tags whose renewal could not be written while the cache was down.
_pending = set()


def public_page(view=None, *, tags=None):
    """
    Mark a view whose page is the same for every anonymous reader.

    ``tags(*args, **kwargs)``, given the view's URL arguments, names the tags the
    page depends on besides ``site`` (a review page: its ``review:<slug>``).
    """

    def mark(view):
        view.page_cache_tags = tags or _no_tags
        return view

    return mark(view) if view is not None else mark


def _no_tags(*args, **kwargs):
    return ()


def review_tag(slug):
    return f"review:{slug}"


def _tag_key(tag):
    return f"pagecache:tag:{tag}"


def _encoding(request):
    """The compression this client gets: ``br``, ``gzip`` or none."""
    accepted = {
        part.split(";")[0].strip().lower()
        for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(",")
    }
    if "br" in accepted:
        return "br"
    return "gzip" if "gzip" in accepted else ""


def _page_key(request):
    address = f"{request.scheme}://{request.META.get('HTTP_HOST', '')}{request.get_full_path()}"
    address = f"{_encoding(request)} {address}"
    return "pagecache:page:" + hashlib.sha256(address.encode()).hexdigest()


# --- What expires what (called by the apps) --------------------------------


def expire_on_change(app_label, tags=None):
    """
    Expire pages whenever a model of ``app_label`` is saved or deleted, or its
    many-to-many relations change (the admin's inlines and widgets, revision
    restores and taggit all write through these signals).

    ``tags(model, instance)`` names the tags of the pages that show the change,
    or returns None for every page; without it, every page expires.
    """

    def changed(sender, instance=None, **kwargs):
        if sender._meta.app_label != app_label:
            return
        named = tags(sender, instance) if tags is not None else None
        expire_pages(*named) if named else expire_pages()

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(changed, weak=False, dispatch_uid=f"pagecache-{app_label}-{id(signal)}")


def watch_schedule(next_change):
    """
    ``next_change()`` returns when public pages next change without anyone
    saving anything (the next scheduled publication), or None: every page
    expires at that time.
    """
    if next_change not in _schedules:
        _schedules.append(next_change)


# --- Versions ---------------------------------------------------------------


def _next_scheduled_change():
    """The Unix time of the next scheduled change, or None."""
    times = [when.timestamp() for when in (next_change() for next_change in _schedules) if when]
    return min(times, default=None)


def _new_site_version():
    """A ``site`` version: a random token and the next scheduled change's time."""
    return (secrets.token_hex(8), _next_scheduled_change())


def _change_due(site_version):
    """Whether a scheduled change has come since ``site_version`` was made."""
    return site_version[1] is not None and site_version[1] <= time.time()


def renew(*tags):
    """
    Give ``tags`` new versions now: pages that depend on them are rendered
    again. Returns False when the cache could not be written; the renewal is
    then kept and written before this process reads a page from the cache.
    """
    tags = {*_pending, *tags}
    versions = {
        _tag_key(tag): _new_site_version() if tag == SITE_TAG else secrets.token_hex(8)
        for tag in tags
    }
    try:
        cache.set_many(versions, timeout=None)
    except CACHE_ERRORS:
        _pending.update(tags)
        cache_failed("renewing page versions")
        return False
    _pending.difference_update(tags)
    return True


def expire_pages(*tags):
    """
    The pages that depend on ``tags`` (default: every page) are out of date.
    Renewed now, and again once the current transaction commits.
    """
    tags = tags or (SITE_TAG,)
    renew(*tags)
    transaction.on_commit(lambda: renew(*tags))


def expire_review_pages(slugs):
    expire_pages(*(review_tag(slug) for slug in slugs))


def _current_versions(found, tags):
    versions = {tag: found.get(_tag_key(tag)) for tag in tags}
    site = versions[SITE_TAG]
    if site is None:
        # The cache was emptied: start a version (another server may race us to it).
        versions[SITE_TAG] = cache.get_or_set(_tag_key(SITE_TAG), _new_site_version, None)
    elif _change_due(site):
        # A scheduled review has just become public.
        renew(SITE_TAG)
        versions[SITE_TAG] = cache.get(_tag_key(SITE_TAG))
    for tag, version in versions.items():
        if version is None:
            versions[tag] = cache.get_or_set(_tag_key(tag), secrets.token_hex(8), None)
    return versions


# --- Serving ----------------------------------------------------------------


def request_is_cacheable(request):
    return (
        request.method == "GET"
        and settings.PAGE_CACHE_SECONDS > 0
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # A message waits for this visitor (kept in a cookie or in the session).
        and CookieStorage.cookie_name not in request.COOKIES
    )


def response_is_cacheable(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        and response.get("Vary", "").strip() != "*"
    )


def _response(entry):
    response = HttpResponse(entry["content"], status=entry["status"])
    for header, value in entry["headers"]:
        response[header] = value
    response[HEADER] = "hit"
    return response


@functools.lru_cache(maxsize=4096)
def _tags_for_path(path):
    """
    The tags of the public page at ``path``, or None if it is not one. The URL
    configuration does not change while a process runs, so each path is
    resolved once (per process, for the 4,096 most recent paths).
    """
    try:
        match = resolve(path)
    except Resolver404:
        return None
    tags_for = getattr(match.func, "page_cache_tags", None)
    if tags_for is None:
        return None
    return (SITE_TAG, *tags_for(*match.args, **match.kwargs))


def _mark_public(response, tags):
    """What a shared cache in front needs: may it keep the page, and by which tags to purge it."""
    shared_seconds = settings.PAGE_CACHE_SHARED_SECONDS
    patch_cache_control(response, public=True, max_age=0, s_maxage=shared_seconds)
    response[SURROGATE_KEY_HEADER] = " ".join(tags)
    response[CACHE_TAG_HEADER] = ",".join(tags)


class PageCacheMiddleware:
    """
    Serves a stored page before the rest of the middleware runs: the session,
    CSRF, auth and messages middleware have nothing to do for a request that
    carries none of their cookies, and the stored headers include what they,
    the security, compression and Content-Security-Policy middleware (placed
    after this one) added.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tags = None
        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        if request.method in ("GET", "HEAD") and anonymous:
            tags = _tags_for_path(request.path_info)
        lookup = self.lookup(request, tags) if tags and request_is_cacheable(request) else None
        if isinstance(lookup, HttpResponse):
            return lookup
        response = self.get_response(request)
        if tags and response_is_cacheable(response):
            _mark_public(response, tags)
            if lookup is not None:
                self.store(response, *lookup)
        return response

    def lookup(self, request, tags):
        """The stored page, or (key, versions) to store the page under, or None."""
        if not cache_usable() or (_pending and not renew()):
            return None
        key = _page_key(request)
        try:
            found = cache.get_many([key, *(_tag_key(tag) for tag in tags)])
            versions = _current_versions(found, tags)
        except CACHE_ERRORS:
            cache_failed("page lookup")
            return None
        cache_recovered()
        entry = found.get(key)
        if entry is not None and entry["versions"] == versions:
            return _response(entry)
        return key, versions

    def store(self, response, key, versions):
        entry = {
            "versions": versions,
            "status": response.status_code,
            "headers": [(k, v) for k, v in response.items() if k != HEADER],
            "content": response.content,
        }
        try:
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        except CACHE_ERRORS:
            cache_failed("storing a page")
            return
        response[HEADER] = "miss"


def _urlconf_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _tags_for_path.cache_clear()


setting_changed.connect(_urlconf_changed, dispatch_uid="pagecache-urlconf")
