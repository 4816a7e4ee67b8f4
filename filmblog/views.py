"""Site-wide pages: search, robots.txt, the sitemap and the error pages."""

import sys

from django.contrib.sitemaps.views import sitemap
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.links import absolute, url
from core.pagecache import public_page
from filmblog.search import search_results, with_reviews
from filmblog.sitemaps import SITEMAPS
from reviews.views import paginate

SEARCH_PREVIEW = 5
# The overview ranks this many of a list's likeliest matches (see search_results).
SEARCH_SHORTLIST = 50
SEARCH_KINDS = ("films", "people", "reviews")


@public_page
def search(request):
    """
    Search films, people and reviews (see filmblog.search); ``kind`` narrows to
    one list, paginated. Six queries for the overview (the words parsed, then
    the lists; the films and the people bring their reviews), four for a list.
    """
    q = " ".join(request.GET.get("q", "").split())[:100]
    kind = request.GET.get("kind")
    kind = kind if kind in SEARCH_KINDS else None
    context = {"q": q, "kind": kind, "kinds": SEARCH_KINDS}
    if q:
        results = search_results(q, shortlist=None if kind else SEARCH_SHORTLIST)
        if kind:
            context["page_obj"] = page = paginate(request, results[kind], per_page=20)
            if kind == "people":
                page.object_list = with_reviews(page.object_list)
        else:
            # One slice each, one row more than shown, to know whether "more" exists.
            previews = {name: list(qs[: SEARCH_PREVIEW + 1]) for name, qs in results.items()}
            previews["people"] = with_reviews(previews["people"])
            context["previews"] = [
                (name, rows[:SEARCH_PREVIEW], len(rows) > SEARCH_PREVIEW)
                for name, rows in previews.items()
            ]
            context["found"] = any(previews.values())
    return render(request, "filmblog/search.html", context)


@require_safe
@cache_control(max_age=60 * 60 * 24)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {absolute(url('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def sitemap_xml(request):
    """``sitemap.xml``, kept in the page cache like every public page."""
    return sitemap(request, sitemaps=SITEMAPS)


def server_error(request):
    """
    The 500 page; a plain 503 while the database is unreachable, which is no
    fault of the page (pages in the cache are still served meanwhile). Neither
    reads the database or the request.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))


def bad_request(request, exception):
    """The 400 page; a 413 page for a body over the upload limits, saying so."""
    if isinstance(exception, RequestDataTooBig):
        return HttpResponse(loader.render_to_string("413.html"), status=413)
    return HttpResponseBadRequest(loader.render_to_string("400.html"))
