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

import hashlib
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve

SITE_TAG = "site"
HEADER = "X-Page-Cache"
# Apps whose every model is editorial content shown on public pages.
EDITORIAL_APPS = {"reviews", "people", "taggit"}
# Reader contributions, shown only on their review's page.
READER_MODELS = {"reviews.comment", "reviews.rating", "reviews.like"}
# Cookies that mean the page may be rendered for this visitor alone.
MESSAGES_COOKIE = "messages"


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
        Review.objects.filter(status=Review.Status.SCHEDULED, published_at__gt=_now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return when.timestamp() if when else None


def _now():
    from django.utils import timezone

    return timezone.now()


def _new_site_version():
    return (secrets.token_hex(8), _next_scheduled_publication())


def renew(*tags):
    """Give ``tags`` new versions now: pages that depend on them are rendered again."""
    versions = {
        _tag_key(tag): _new_site_version() if tag == SITE_TAG else secrets.token_hex(8)
        for tag in tags
    }
    cache.set_many(versions, timeout=None)


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
        and MESSAGES_COOKIE not in request.COOKIES
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
    elif site[1] is not None and site[1] <= time.time():
        # A scheduled review has just become public.
        renew(SITE_TAG)
        versions[SITE_TAG] = cache.get(_tag_key(SITE_TAG))
    for tag, version in versions.items():
        if version is None:
            versions[tag] = cache.get_or_set(_tag_key(tag), secrets.token_hex(8), None)
    return versions


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
            key, versions = lookup
            entry = {
                "versions": versions,
                "status": response.status_code,
                "headers": [(k, v) for k, v in response.items() if k != HEADER],
                "content": response.content,
            }
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            response[HEADER] = "miss"
        return response

    def lookup(self, request):
        """The stored page, or (key, versions) to store the page under, or None."""
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        tags_for = getattr(match.func, "page_cache_tags", None)
        if tags_for is None:
            return None
        tags = [SITE_TAG, *tags_for(*match.args, **match.kwargs)]
        key = _page_key(request)
        found = cache.get_many([key, *(_tag_key(tag) for tag in tags)])
        versions = _current_versions(found, tags)
        entry = found.get(key)
        if entry is not None and entry["versions"] == versions:
            response = HttpResponse(entry["content"], status=entry["status"])
            for header, value in entry["headers"]:
                response[header] = value
            response[HEADER] = "hit"
            return response
        return key, versions


def _content_changed(sender, instance=None, **kwargs):
    label = sender._meta.label_lower
    if label in READER_MODELS:
        expire_review_pages([instance.review.slug])
    elif sender._meta.app_label in EDITORIAL_APPS:
        expire_pages()


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"pagecache-{signal}")
