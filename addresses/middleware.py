"""Answering an old address: 301 to where it moved, 410 where it is gone."""

from django.http import HttpResponseGone, HttpResponsePermanentRedirect
from django.template import loader

from addresses.moves import where


class OldAddressMiddleware:
    """
    Consulted only for a GET or HEAD that answered 404, so a page that is found
    (and every page the page cache serves, which answers before this runs)
    never reads the table of old addresses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        redirect = where(request.path)
        if redirect is None:
            return response
        if redirect.is_gone:
            return HttpResponseGone(loader.render_to_string("410.html", request=request))
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(
            f"{redirect.new_path}?{query}" if query else redirect.new_path
        )
