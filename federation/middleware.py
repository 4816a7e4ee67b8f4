"""
``Link: <…>; rel="alternate"; type="application/activity+json"`` on the pages
that have an ActivityPub twin: the home page (the blog), an author's page and
a review's page (its Article), so that a fediverse client given the page's
address finds the actor or the object. Below the page cache, so the header is
stored with the page.
"""

from django.conf import settings

from core import links

ALTERNATES = {
    "reviews:home": lambda kwargs: links.url("federation:blog-actor"),
    "people:author-detail": lambda kwargs: links.url("federation:author-actor", kwargs["slug"]),
}


def alternate_path(request):
    match = request.resolver_match
    if match is None:
        return None
    if match.view_name in ALTERNATES:
        return ALTERNATES[match.view_name](match.kwargs)
    if match.view_name == "reviews:review-detail":
        from reviews.models import Review

        pk = Review.objects.published().filter(slug=match.kwargs["slug"]).values("pk").first()
        return links.url("federation:review", pk["pk"]) if pk else None
    return None


class AlternateLinkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.FEDERATION
            and request.method in {"GET", "HEAD"}
            and response.status_code == 200
        ):
            address = alternate_path(request)
            if address:
                response.headers["Link"] = (
                    f'<{links.absolute(address)}>; rel="alternate"; '
                    'type="application/activity+json"'
                )
        return response
