"""
A review body as readers get it.

The stored body is sanitised HTML whose own blocks (``reviews/body_blocks.py``)
name what they show: ``<figure data-image="42">`` a library picture,
``<figure data-embed="youtube:…">`` a trailer. They become real markup only
here, when a page, a feed or a mail is made, through templates:

- ``render_body()``, for the review page: pictures through the one rendition
  pipeline (the ``picture`` macro), trailers as our own poster and play button
  that load nothing from the video site until the reader clicks, headings one
  level lower (``demote_headings``);
- ``syndicated_body()``, for feeds and mails: pictures as a plain ``<img>``
  with absolute addresses, a link to the video instead of the player, and each
  spoiler replaced by a note that it is there (mail readers and feed readers
  may show ``<details>`` open, or not at all).
"""

import re
from html import unescape

import nh3
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from reviews.body_blocks import DEFAULT_LAYOUT, FIGURE, LAYOUTS, figure_attributes

# An opening or closing heading tag. The body is sanitised on save, so a "<"
# in its text is already "&lt;" and only real tags match.
_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])", re.IGNORECASE)
# The innermost spoiler (one with no other spoiler inside it) and its summary.
_INNERMOST_SPOILER = re.compile(
    r"<details>\s*(?:<summary>(?P<summary>(?:(?!</summary>).)*)</summary>)?"
    r"(?:(?!<details>).)*?</details>",
    re.S,
)
_TAG = re.compile(r"<[^>]+>")

VIDEO_SITES = {
    "youtube": {
        "name": "YouTube",
        "player": "https://www.youtube-nocookie.com/embed/{id}?autoplay=1&rel=0",
        "watch": "https://www.youtube.com/watch?v={id}",
    },
    "vimeo": {
        "name": "Vimeo",
        "player": "https://player.vimeo.com/video/{id}?dnt=1&autoplay=1",
        "watch": "https://vimeo.com/{id}",
    },
}


def demote_headings(html, levels=1):
    """
    The sanitised body ``html`` with every heading ``levels`` lower (h2 -> h3,
    h3 -> h4, never past h6). An editor's own <h2> is a section of the review,
    and on the page the review itself sits under the "Our View" <h2>.
    """

    def lower(match):
        return f"<{match[1]}h{min(int(match[2]) + levels, 6)}"

    return mark_safe(_HEADING_TAG.sub(lower, str(html or "")))


def picture_ids(html):
    """The ids of the library pictures a body shows, in order, each once."""
    ids = {}
    for match in FIGURE.finditer(html or ""):
        value = figure_attributes(match[1]).get("data-image")
        if value and value.isdigit():
            ids[int(value)] = None
    return list(ids)


def video(value, title=""):
    """What a page needs of the embed ``value`` ("youtube:ID"), or None for an unknown one."""
    provider, _, video_id = (value or "").partition(":")
    site = VIDEO_SITES.get(provider)
    if site is None or not video_id:
        return None
    return {
        "provider": provider,
        "id": video_id,
        "site": site["name"],
        "player": site["player"].format(id=video_id),
        "watch": site["watch"].format(id=video_id),
        "title": unescape(title or ""),
    }


def _blocks(html, template, context):
    """``html`` with each of its figures drawn by the macros of ``template``."""
    from reviews.models import Picture

    html = str(html or "")
    ids = picture_ids(html)
    pictures = Picture.objects.in_bulk(ids) if ids else {}

    def draw(match):
        attributes = figure_attributes(match[1])
        image_id = attributes.get("data-image", "")
        block = {"picture": None, "video": None}
        if image_id.isdigit():
            block["picture"] = pictures.get(int(image_id))
            layout = attributes.get("data-layout")
            block["layout"] = layout if layout in LAYOUTS else DEFAULT_LAYOUT
        else:
            block["video"] = video(attributes.get("data-embed"), attributes.get("data-title"))
        if block["picture"] is None and block["video"] is None:
            return ""
        return render_to_string(template, {**context, **block}).strip()

    return FIGURE.sub(draw, html)


def render_body(html):
    """The body for the review page: its pictures and trailers drawn, its headings demoted."""
    return demote_headings(_blocks(html, "reviews/_body_block.html", {}))


def syndicated_body(html, link):
    """
    The body for a feed or a mail: plain pictures, links to the videos, and
    spoilers marked, not shown; ``link`` is the review's absolute address.
    """
    html = _blocks(html, "reviews/_body_block_syndicated.html", {})

    def hide(match):
        summary = unescape(_TAG.sub("", match["summary"] or "")).strip()
        return render_to_string(
            "reviews/_body_spoiler_syndicated.html", {"summary": summary, "link": link}
        ).strip()

    while True:
        html, found = _INNERMOST_SPOILER.subn(hide, html)
        if not found:
            break
    return mark_safe(html)


# nh3's own list and the body's blocks: what mending a cut body must keep.
_KEEP_THE_BODY = {
    "tags": nh3.ALLOWED_TAGS | {"figure", "details", "summary"},
    "attributes": {
        **nh3.ALLOWED_ATTRIBUTES,
        "figure": {"data-image", "data-layout", "data-embed", "data-title"},
        "blockquote": {"data-pull-quote"},
    },
    "link_rel": None,
}
_SPOILER_OR_PARAGRAPH_END = re.compile(r"<(/?)details>|</p>")


def body_opening(html, link):
    """
    The start of the syndicated body, for the digest: every block up to and
    including the first paragraph outside a spoiler (a picture, a trailer or a
    spoiler above it comes too, as ``syndicated_body()`` shows them).
    """
    html = str(html or "")
    depth = 0
    for match in _SPOILER_OR_PARAGRAPH_END.finditer(html):
        if match[0] == "</p>":
            if depth == 0:
                # Cut inside a list, the rest of the list goes: nh3 closes what was open.
                html = nh3.clean(
                    html[: match.end()],
                    tags=nh3.ALLOWED_TAGS | {"figure", "details", "summary"},
                    attributes={
                        **nh3.ALLOWED_ATTRIBUTES,
                        "figure": {"data-image", "data-layout", "data-embed", "data-title"},
                    },
                    link_rel=None,
                )
                break
        else:
            depth += -1 if match[1] else 1
    return syndicated_body(html, link)
