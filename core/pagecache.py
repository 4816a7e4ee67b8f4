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

Tags: pages name what they show
    While a public view renders, it names the objects its page shows with
    ``shows()``: ``review:12`` (the review's own content), ``film:7:card``
    (what a card shows of film 7), ``list:genre:3`` (which reviews the genre's
    archive lists)... The vocabulary belongs to the apps (``reviews/pagetags.py``);
    this module only collects the tags. A page that names nothing depends on
    ``catalogue``, which every editorial change purges. Every page also carries
    ``site``, which purges everything.

How pages stay fresh
    When a change commits, the tags it changed are purged (``core.purges``): here
    and in every cache in front (Varnish, a CDN). The store (``core.pagestore``)
    keeps an index of the pages under each tag, so a hit is one read of the
    cache. A scheduled review becomes public at its time without anyone saving
    it, so the apps name the time of the next such change (``watch_schedule()``);
    the ``site`` version carries it, every page stored before it expires then,
    and a shared cache in front is told to keep pages no longer than that.

Stale beats down
    A purged page is kept aside as the page's previous copy. When the page
    cannot be rendered again because the database is unreachable, that copy is
    served with ``X-Page-Cache: stale``; only a page never stored gets the 503
    page.

When the cache is down
    Pages are rendered and not stored (``core.cache_outage``). A purge that could
    not be written is kept in this process and written before the process uses
    the cache again, so that it never serves a page that the change made stale.

Public responses say ``Cache-Control: public, max-age=0, s-maxage=…``
(``PAGE_CACHE_SHARED_SECONDS``), with ``stale-while-revalidate`` and
``stale-if-error``, and name their tags in ``Surrogate-Key`` (Varnish's xkey,
Fastly) and ``Cache-Tag`` (Cloudflare). ``PAGE_CACHE_SECONDS`` bounds how long
a page may be kept here (0 turns the cache off). Responses say
``X-Page-Cache: hit``, ``miss`` or ``stale``.
"""

import contextvars
import functools
import hashlib
import secrets
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

from core import pagestore
from core.cache_outage import CACHE_ERRORS, cache_failed, cache_recovered, cache_usable

SITE_TAG = "site"
# Purged when a review is scheduled: the ``site`` version learns the new time.
SCHEDULE_TAG = "schedule"
# What a page that names nothing depends on: every editorial change purges it.
CATALOGUE_TAG = "catalogue"
HEADER = "X-Page-Cache"
# The tags a public response depends on, for a CDN: Fastly's and Cloudflare's names.
SURROGATE_KEY_HEADER = "Surrogate-Key"
CACHE_TAG_HEADER = "Cache-Tag"
# How long a shared cache may answer with a page past its s-maxage while it
# fetches a fresh one.
REVALIDATE_SECONDS = 10
# The errors of an unreachable database.
DATABASE_DOWN = (OperationalError, InterfaceError)

# Functions that return when public pages next change by themselves (a
# scheduled publication), as a datetime, or None; see watch_schedule().
_schedules = []
# Tags whose purge could not be written while the cache was down.
_pending = set()
# The tags the page being rendered shows (see shows()).
_shown = contextvars.ContextVar("pagecache_shown", default=None)


def public_page(view=None, *, tags=None):
    """
    Mark a view whose page is the same for every anonymous reader.
    ``tags(*args, **kwargs)``, given the view's URL arguments, may name tags
    the page shows besides those its view names with shows().
    """

    def mark(view):
        view.public_page = tags or _no_tags
        return view

    return mark(view) if view is not None else mark


def _no_tags(*args, **kwargs):
    return ()


def shows(*tags):
    """The page being rendered shows what ``tags`` name (outside one, nothing happens)."""
    shown = _shown.get()
    if shown is not None:
        shown.update(tags)


def tag(kind, pk, part=None):
    """An object's tag: ``film:7`` (all it shows), ``film:7:card`` (a part of it)."""
    return f"{kind}:{pk}:{part}" if part else f"{kind}:{pk}"


def list_tag(kind, key=None):
    """A list's tag (which items it shows): ``list:home``, ``list:genre:3``."""
    return f"list:{kind}:{key}" if key is not None else f"list:{kind}"


def watch_schedule(next_change):
    """
    ``next_change()`` returns when public pages next change without anyone
    saving anything (the next scheduled publication), or None: every page
    expires at that time.
    """
    if next_change not in _schedules:
        _schedules.append(next_change)


def _encoding(request):
    """The compression this client gets: ``br``, ``gzip`` or none."""
    accepted = {
        part.split(";")[0].strip().lower()
        for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(",")
    }
    if "br" in accepted:
        return "br"
    return "gzip" if "gzip" in accepted else ""


def _digest(request, full_path=None):
    full_path = request.get_full_path() if full_path is None else full_path
    address = f"{request.scheme}://{request.META.get('HTTP_HOST', '')}{full_path}"
    return hashlib.sha256(f"{_encoding(request)} {address}".encode()).hexdigest()


# --- The site version and purges -------------------------------------------


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


def purge_stored(*tags):
    """
    Purge the pages stored here that show ``tags`` (``site``: every page). On
    a cache error the purge is kept in this process, written before it next
    reads a page, and the error is raised (the purge task tries again).
    """
    tags = {*_pending, *tags}
    if not tags:
        return 0
    store = pagestore.store()
    try:
        if SITE_TAG in tags:
            store.set_site(_new_site_version())
        elif SCHEDULE_TAG in tags:
            site = store.site()
            if site is not None:
                store.set_site((site[0], _next_scheduled_change()))
        moved = store.purge(tags - {SITE_TAG, SCHEDULE_TAG})
    except CACHE_ERRORS:
        _pending.update(tags)
        cache_failed("purging pages")
        raise
    _pending.difference_update(tags)
    return moved


def discard_pending():
    """Forget the purges not yet written (the cache they were for was emptied)."""
    _pending.clear()


def _write_pending():
    try:
        purge_stored()
    except CACHE_ERRORS:
        return False
    return True


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


def _response(entry, state):
    response = HttpResponse(entry["content"], status=entry["status"])
    for header, value in entry["headers"]:
        response[header] = value
    response[HEADER] = state
    return response


@functools.lru_cache(maxsize=4096)
def _tags_for_path(path):
    """
    The tags ``path``'s URL names if it is a public page, else None. The URL
    configuration does not change while a process runs, so each path is
    resolved once (per process, for the 4,096 most recent paths).
    """
    try:
        match = resolve(path)
    except Resolver404:
        return None
    tags_for = getattr(match.func, "public_page", None)
    if not callable(tags_for):
        return None
    return tuple(tags_for(*match.args, **match.kwargs))


def _mark_public(response, tags, site_version):
    """What a shared cache in front needs: may it keep the page, and by which tags to purge it."""
    shared_seconds = settings.PAGE_CACHE_SHARED_SECONDS
    if site_version and site_version[1] is not None:
        # Not past the next scheduled publication, which no purge announces.
        shared_seconds = max(0, min(shared_seconds, int(site_version[1] - time.time())))
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=shared_seconds,
        stale_while_revalidate=REVALIDATE_SECONDS,
        stale_if_error=settings.PAGE_CACHE_STALE_SECONDS,
    )
    response[SURROGATE_KEY_HEADER] = " ".join(tags)
    response[CACHE_TAG_HEADER] = ",".join(tags)


class Lookup:
    """A page not found current: where to store it, and its previous copy if any."""

    def __init__(self, digest, site, seq, outdated):
        self.digest = digest
        self.site = site
        self.seq = seq
        self.outdated = outdated


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
        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        named = None
        if request.method in ("GET", "HEAD") and anonymous:
            named = _tags_for_path(request.path_info)
        if named is None:
            return self.get_response(request)
        lookup = self.lookup(request) if request_is_cacheable(request) else None
        if isinstance(lookup, HttpResponse):
            return lookup
        request.page_cache_lookup = lookup
        shown = set(named)
        token = _shown.set(shown)
        try:
            response = self.get_response(request)
        finally:
            _shown.reset(token)
        if response_is_cacheable(response) and response.get(HEADER) != "stale":
            tags = sorted(shown) or [CATALOGUE_TAG]
            _mark_public(response, [SITE_TAG, *tags], lookup.site if lookup else None)
            if lookup is not None:
                self.store(response, lookup, tags)
        return response

    def process_exception(self, request, exception):
        """The database is unreachable: the page's previous copy, if there is one."""
        lookup = getattr(request, "page_cache_lookup", None)
        if lookup is None or not isinstance(exception, DATABASE_DOWN):
            return None
        entry = lookup.outdated
        if entry is None:
            try:
                entry = pagestore.store().previous(lookup.digest)
            except CACHE_ERRORS:
                cache_failed("reading a previous page")
                return None
        if entry is None:
            return None
        response = _response(entry, "stale")
        # A shared cache in front may keep it only briefly: the next render may work.
        patch_cache_control(response, s_maxage=min(settings.PAGE_CACHE_SHARED_SECONDS, 5))
        return response

    def lookup(self, request, full_path=None):
        """
        The stored page, or a Lookup to store the page with, or None.
        ``full_path`` stands for the request's path and query string when some
        of it does not change the answer (the API's ``?key=``).
        """
        if not cache_usable() or (_pending and not _write_pending()):
            return None
        digest = _digest(request, full_path)
        store = pagestore.store()
        try:
            entry, site, seq = store.lookup(digest)
            if site is None:
                # The cache was emptied: start a version (another server may race us to it).
                site = store.add_site(_new_site_version())
            elif _change_due(site):
                # A scheduled review has just become public.
                site = _new_site_version()
                store.set_site(site)
        except CACHE_ERRORS:
            cache_failed("page lookup")
            return None
        cache_recovered()
        if entry is not None and entry["site"] == site[0]:
            return _response(entry, "hit")
        return Lookup(digest, site, seq, entry)

    def store(self, response, lookup, tags):
        entry = {
            "site": lookup.site[0],
            "status": response.status_code,
            "headers": [(k, v) for k, v in response.items() if k != HEADER],
            "content": response.content,
        }
        try:
            stored = pagestore.store().store(lookup.digest, entry, tags, lookup.seq)
        except CACHE_ERRORS:
            cache_failed("storing a page")
            return
        if stored:
            response[HEADER] = "miss"


def _urlconf_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _tags_for_path.cache_clear()


setting_changed.connect(_urlconf_changed, dispatch_uid="pagecache-urlconf")
