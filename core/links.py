"""
Site addresses: ``url()``, the same as ``reverse()`` but cheaper, and ``absolute()``.

A review page links to some forty people, films, genres and reviews, and
``reverse()`` walks the URL resolver on every call (about 25 µs each, a
measurable share of the page). Most of these routes take one slug and nothing
else: each is reversed once per URLconf and script prefix, with a placeholder
for the slug, and then filled in by string concatenation. Routes without
arguments (the header's, the footer's, the feeds') are reversed once per
URLconf and script prefix. Anything else goes to ``reverse()``. ``url()``
serves the models' ``get_absolute_url()`` and the templates' ``url()``.

Reading the URLconf and the script prefix is itself a lookup in two asgiref
Locals, some 3 µs a call: code that builds hundreds of addresses at once (a
list of a hundred reviews in the API) reads them once, in ``same_routing()``.
"""

import contextlib
import contextvars
import functools
import re

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

PLACEHOLDER = "slug-placeholder"
# (URLconf, script prefix) while same_routing() holds them, else None.
_routing = contextvars.ContextVar("links_routing", default=None)
# What a slug converter accepts, and what reverse() would leave unquoted.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@functools.cache
def _fixed(name, urlconf, prefix):
    return reverse(name, urlconf=urlconf)


def _current_routing():
    return _routing.get() or (get_urlconf(), get_script_prefix())


@contextlib.contextmanager
def same_routing():
    """Within it, url() reads this request's URLconf and script prefix once, not on every call."""
    token = _routing.set((get_urlconf(), get_script_prefix()))
    try:
        yield
    finally:
        _routing.reset(token)


def fixed_url(name):
    """The same as ``reverse(name)`` for a route without arguments, reversed once."""
    return _fixed(name, *_current_routing())


@functools.cache
def _positional_route(name, urlconf, prefix):
    """(before, after) the one argument of route ``name``, or None if it takes no slug."""
    try:
        address = reverse(name, urlconf=urlconf, args=[PLACEHOLDER])
    except NoReverseMatch:
        return None
    before, found, after = address.partition(PLACEHOLDER)
    return (before, after) if found else None


def url(name, *args, **kwargs):
    """``reverse(name, args=args, kwargs=kwargs)``, without the resolver walk where it can."""
    if not args and not kwargs:
        return fixed_url(name)
    # Anything but one plain slug goes to reverse(), which quotes it or refuses it.
    if len(args) == 1 and not kwargs and isinstance(args[0], str) and SLUG.fullmatch(args[0]):
        route = _positional_route(name, *_current_routing())
        if route is not None:
            return f"{route[0]}{args[0]}{route[1]}"
    return reverse(name, args=args or None, kwargs=kwargs or None)


def absolute(address):
    """A site path as a full address on the public site (SITE_URL), for feeds, mail and tags."""
    address = str(address or "")
    if not address or address.startswith(("http://", "https://")):
        return address
    return f"{settings.SITE_URL}{address}"


def _urlconf_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _fixed.cache_clear()
        _positional_route.cache_clear()


setting_changed.connect(_urlconf_changed, dispatch_uid="links-urlconf")
