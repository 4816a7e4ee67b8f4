"""
Public pages served from the shared cache (Redis in production).

Nearly every request comes from an anonymous reader, and a public page is the
same HTML whoever asks for it: the reader's own rating and like come from
``/mine/``, and the forms on it carry no CSRF token (``filmblog.security``). So
the rendered page is kept in the cache that all app servers share, and served
from there until something it shows changes.

What is cached
    Views marked ``@public_page`` (home, reviews, films, people, authors,
    archives, search, feeds), for GET requests that carry neither a session
    cookie nor a messages cookie. A logged-in editor or author therefore always
    gets a freshly rendered page (with their toolbar), and nobody is ever served
    a page that was rendered for them. A response is stored only if it is a 200
    that sets no cookie and is not marked private or no-store; drafts and
    previews never are.

How pages stay fresh
    Each stored page records the version of every tag it depends on: ``site``
    for every page, and ``review:<slug>`` for a review page. A lookup reads the
    page and the current versions in one round trip and serves the page only if
    they match. A change gives its tag a new random version, so every server
    stops serving the pages that depended on it at once; they are rendered
    again on the next request.

    - Editorial changes (reviews, films, releases, credits, people, author
      profiles and links, critic quotes, genres, countries, tags) change
      ``site``: a film's credits show on review, film and person pages, cards on
      every list. Editors save a few times an hour; readers read all the time.
    - Reader contributions (a comment approved or removed, a rating, a like)
      change only their review's tag: they show only on that page.
    - A scheduled review becomes public at its time without anyone saving it,
      so the ``site`` version carries the time of the next scheduled
      publication, and is renewed once that time has passed.

    Versions are read before a page is rendered, and a change renews its tag
    both at once and again when its transaction commits, so a page rendered
    from data that was about to change is never stored as current.

Why signals: invalidation has to follow every write path, including ones this
project does not own (the admin's inlines and m2m widgets, revision restores,
taggit). Model writes themselves stay in functions (reviews/workflow.py,
reviews/contributions.py); the receivers here only renew cache versions.
Writes that bypass signals (``QuerySet.update()``) call ``expire_pages()`` or
``expire_review_pages()`` themselves, as comment moderation does.

``PAGE_CACHE_SECONDS`` bounds how long a page may be kept (0 turns the cache
off). Responses say ``X-Page-Cache: hit`` or ``miss``.
"""

import functools
import hashlib
import logging
import os
import secrets
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone

logger = logging.getLogger(__name__)

SITE_TAG = "site"
HEADER = "X-Page-Cache"
# Apps whose every model is editorial content shown on public pages.
EDITORIAL_APPS = {"reviews", "people", "taggit"}
# Reader contributions, shown only on their review's page.
READER_MODELS = {"reviews.comment", "reviews.rating", "reviews.like"}


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


def _page_key(request):
    address = f"{request.scheme}://{request.META.get('HTTP_HOST', '')}{request.get_full_path()}"
    return "pagecache:page:" + hashlib.sha256(address.encode()).hexdigest()


def _next_scheduled_publication():
    """The Unix time of the next scheduled review, or None."""
    from reviews.models import Review

    when = (
        Review.objects.filter(status=Review.Status.SCHEDULED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return when.timestamp() if when else None


def _new_site_version():
    """A ``site`` version: a random token and the next scheduled publication's time."""
    return (secrets.token_hex(8), _next_scheduled_publication())


def _publication_due(site_version):
    """Whether a scheduled review has become public since ``site_version`` was made."""
    return site_version[1] is not None and site_version[1] <= time.time()


def renew(*tags):
    """Give ``tags`` new versions now: pages that depend on them are rendered again."""
    versions = {
        _tag_key(tag): _new_site_version() if tag == SITE_TAG else secrets.token_hex(8)
        for tag in tags
    }
    cache.set_many(versions, timeout=None)
    local_copies.renewed(tags)


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


def _current_versions(found, tags):
    versions = {tag: found.get(_tag_key(tag)) for tag in tags}
    site = versions[SITE_TAG]
    if site is None:
        # The cache was emptied: start a version (another server may race us to it).
        versions[SITE_TAG] = cache.get_or_set(_tag_key(SITE_TAG), _new_site_version, None)
    elif _publication_due(site):
        # A scheduled review has just become public.
        renew(SITE_TAG)
        versions[SITE_TAG] = cache.get(_tag_key(SITE_TAG))
    for tag, version in versions.items():
        if version is None:
            versions[tag] = cache.get_or_set(_tag_key(tag), secrets.token_hex(8), None)
    return versions


class LocalCopies:
    """
    Each app-server process keeps copies of the pages it served last, so that
    serving one again costs no round trip to Redis (about 0.1 ms here, as long
    as the rest of serving a cached page).

    A copy is used only while this process hears every renewal: ``renew()``
    publishes the renewed tags on a Redis channel, and a thread in each process
    listens to it and drops the copies that depend on them (a renewal made in
    this process drops them at once). A like on one review drops that review's
    page; an editorial change drops them all. Until the listener has subscribed, when it has not
    heard from Redis for a while, or with any cache but Redis, every lookup
    goes to the shared cache as before. A copy is also dropped once a
    scheduled review's time has come, or after ``PAGE_CACHE_SECONDS``.
    """

    CHANNEL = "filmblog:pagecache:renewed"
    PING_EVERY = 5  # seconds between the listener's pings
    SILENCE = 15  # seconds without a word from Redis before copies are not trusted

    def __init__(self):
        self.entries = OrderedDict()
        self.epoch = 0
        self.heard_at = 0.0
        self.pid = None
        self.lock = threading.Lock()

    def redis(self):
        from filmblog.cache import RedisCache

        backend = caches["default"]
        return backend.redis() if isinstance(backend, RedisCache) else None

    def active(self):
        """Whether copies may be served; starts the listener in a new process."""
        if settings.PAGE_CACHE_LOCAL_ENTRIES <= 0 or self.redis() is None:
            return False
        if self.pid != os.getpid():
            self._start()
            return False
        return time.monotonic() - self.heard_at < self.SILENCE

    def _start(self):
        with self.lock:
            if self.pid == os.getpid():
                return
            self.pid = os.getpid()  # after a fork, this process has no listener yet
            self.heard_at = 0.0
            self.entries.clear()
            self.epoch += 1
        threading.Thread(target=self._listen, name="pagecache-listener", daemon=True).start()

    def _listen(self):
        while True:
            try:
                pubsub = self.redis().pubsub()
                pubsub.subscribe(self.CHANNEL)
                pinged = time.monotonic()
                while True:
                    message = pubsub.get_message(timeout=1.0)
                    now = time.monotonic()
                    if message is not None:
                        if message["type"] == "subscribe":
                            self.drop_all()
                        elif message["type"] == "message":
                            self.drop(message["data"].decode().split(","))
                        self.heard_at = now
                    if now - pinged >= self.PING_EVERY:
                        pubsub.ping()
                        pinged = now
                    if now - self.heard_at > self.SILENCE:
                        raise ConnectionError("no word from Redis")
            except Exception:
                logger.warning("Page cache listener lost Redis; retrying", exc_info=True)
            self.heard_at = 0.0
            self.drop_all()
            time.sleep(1)

    def drop_all(self):
        self.drop([SITE_TAG])

    def drop(self, tags):
        """Drop the copies that depend on ``tags`` (every copy depends on ``site``)."""
        with self.lock:
            # Copies checked against Redis before now may not be kept (see put()).
            self.epoch += 1
            if SITE_TAG in tags:
                self.entries.clear()
                return
            tags = set(tags)
            for key in [k for k, entry in self.entries.items() if tags & entry["versions"].keys()]:
                del self.entries[key]

    def renewed(self, tags):
        """Called after every renewal: tell every process, starting with this one."""
        self.drop(tags)
        client = self.redis()
        if client is not None:
            try:
                client.publish(self.CHANNEL, ",".join(tags))
            except Exception:
                logger.exception("Could not announce a page cache renewal")

    def get(self, key):
        entry = self.entries.get(key)
        if entry is None:
            return None
        # Entries stored before "expires" existed have none: check them in Redis.
        if entry.get("expires", 0) <= time.time() or _publication_due(entry["versions"][SITE_TAG]):
            return None
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)  # most recently served last: evicted last
        return entry

    def put(self, key, entry, epoch):
        with self.lock:
            if epoch != self.epoch:
                return  # a renewal came while this entry was being checked
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > settings.PAGE_CACHE_LOCAL_ENTRIES:
                self.entries.popitem(last=False)


local_copies = LocalCopies()


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


class PageCacheMiddleware:
    """
    Serves a stored page before the rest of the middleware runs: the session,
    CSRF, auth and messages middleware have nothing to do for a request that
    carries none of their cookies, and the stored headers include what they and
    the Content-Security-Policy middleware (placed after this one) added.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lookup = self.lookup(request) if request_is_cacheable(request) else None
        if isinstance(lookup, HttpResponse):
            return lookup
        response = self.get_response(request)
        if lookup is not None and response_is_cacheable(response):
            key, versions, epoch = lookup
            entry = {
                "versions": versions,
                "status": response.status_code,
                "headers": [(k, v) for k, v in response.items() if k != HEADER],
                "content": response.content,
                "expires": time.time() + settings.PAGE_CACHE_SECONDS,
            }
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            local_copies.put(key, entry, epoch)
            response[HEADER] = "miss"
        return response

    def lookup(self, request):
        """The stored page, or (key, versions, epoch) to store the page under, or None."""
        tags = _tags_for_path(request.path_info)
        if tags is None:
            return None
        key = _page_key(request)
        use_copies = local_copies.active()
        epoch = local_copies.epoch  # read before the shared cache: see LocalCopies.put
        if use_copies and (entry := local_copies.get(key)) is not None:
            return _response(entry)
        found = cache.get_many([key, *(_tag_key(tag) for tag in tags)])
        versions = _current_versions(found, tags)
        entry = found.get(key)
        if entry is not None and entry["versions"] == versions:
            if use_copies:
                local_copies.put(key, entry, epoch)
            return _response(entry)
        return key, versions, epoch if use_copies else None


def _content_changed(sender, instance=None, **kwargs):
    label = sender._meta.label_lower
    if label in READER_MODELS:
        expire_review_pages([instance.review.slug])
    elif sender._meta.app_label in EDITORIAL_APPS:
        expire_pages()


def _urlconf_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _tags_for_path.cache_clear()


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"pagecache-{signal}")
    setting_changed.connect(_urlconf_changed, dispatch_uid="pagecache-urlconf")
