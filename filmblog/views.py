"""Site-wide pages: robots.txt, the sitemap and the error pages."""

import sys

from django.contrib.sitemaps.views import sitemap
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.template import loader
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.links import absolute, url
from filmblog.sitemaps import SITEMAPS


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
