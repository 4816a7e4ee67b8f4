"""Template tags shared by every public page: images, stars, absolute links, JSON-LD."""

import json
from decimal import Decimal

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from filmblog import renditions
from filmblog.structured_data import film_data, review_data

register = template.Library()

# The characters json_script escapes, so a title cannot close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def rendition(field_file, size):
    """``{% rendition film.poster "thumb" as poster %}``: a resized copy, or None."""
    return renditions.rendition(field_file, size)


@register.filter
def absolute(url):
    """Turn a site path into a full address on the public site (feeds, canonical, OG)."""
    url = str(url or "")
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}{url}"


@register.inclusion_tag("includes/_stars.html")
def stars(rating, size="md"):
    """Five stars, filled to ``rating`` in halves, with a text label for screen readers."""
    if rating is None:
        return {"parts": None}
    halves = int(Decimal(rating) * 2)
    parts = ["full"] * (halves // 2) + ["half"] * (halves % 2)
    parts += ["empty"] * (5 - len(parts))
    value = Decimal(rating).normalize()
    return {"parts": parts, "label": f"{value:f} out of 5 stars", "size": size}


def _json_ld(data):
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag
def review_json_ld(review):
    return _json_ld(review_data(review))


@register.simple_tag
def film_json_ld(film):
    return _json_ld(film_data(film))
