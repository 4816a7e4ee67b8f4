"""
Two pieces of request security that the page cache needs.

``ContentSecurityPolicyMiddleware`` sends the policy in
``settings.CONTENT_SECURITY_POLICY`` (django-csp), loosened for the admin only,
whose rich-text editor and widgets write inline styles.

``same_origin_post`` protects the forms that sit on cached public pages (sign-up,
comment, rating, like) without a CSRF token: a token is tied to one visitor, so
a page that carried one could not be served from the cache to everyone. Instead
the browser says where a request comes from. Every browser in use sends
``Sec-Fetch-Site`` or ``Origin`` with a cross-site POST, and a POST that one of
them marks as coming from another site is refused with the usual CSRF failure
page. A request with neither header did not come from a page in a browser (a
script or ``curl`` can post from anywhere anyway), so it goes through; what
these forms guard against beyond that is handled by the forms themselves
(double opt-in, moderation, rate limits, one vote per reader).
"""

from functools import wraps

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.exceptions import BadRequest
from django.views.csrf import csrf_failure
from django.views.decorators.csrf import csrf_exempt

ADMIN_CSP_UPDATE = {"style-src": ["'unsafe-inline'"]}
# A JSON answer of the content API loads nothing and is framed by nobody.
JSON_CSP = {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if request.path_info.startswith("/admin/"):
            parts.update = {**(parts.update or {}), **ADMIN_CSP_UPDATE}
        elif response.get("Content-Type", "").startswith("application/json"):
            parts.config = JSON_CSP
        return parts


def request_origin_allowed(request):
    """False when the browser says this request was made by a page on another site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        # "none" is a request the reader made themselves (typed, bookmarked).
        return fetch_site in {"same-origin", "none"}
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    try:
        own = f"{request.scheme}://{request.get_host()}"
    except Exception:  # DisallowedHost: Django answers it with a 400 elsewhere.
        return False
    return origin == own


def same_origin_post(view):
    """Exempt ``view`` from CSRF tokens and refuse POSTs that another site made."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and not request_origin_allowed(request):
            return csrf_failure(request, reason="The form was sent from another site.")
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


class CSPNonceMediaMixin:
    """
    For a ModelAdmin whose widgets bring an inline ``<script type="importmap">``
    (the review body's rich-text editor): the page's media carries this
    request's CSP nonce, so the policy can stay free of inline scripts.
    """

    def render_change_form(self, request, context, *args, **kwargs):
        from js_asset import Media

        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)


class RejectNulMiddleware:
    """
    A NUL byte in the query string is a 400. No reader types one, PostgreSQL
    cannot store or compare text that holds one, and every view would
    otherwise have to check. (Form fields refuse them with a form error.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL byte in the query string")
        return self.get_response(request)


class SecureCookiesMiddleware:
    """
    Every cookie set on an HTTPS response is ``Secure``: the reader cookie, the
    session, CSRF and messages cookies, and any a library adds. (Django's
    SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE cover only their own.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response
