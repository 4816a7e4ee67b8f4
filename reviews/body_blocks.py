"""
The review body's own blocks: what the editor's toolbar makes beyond
django-prose-editor's built-in extensions, and what the sanitiser keeps of them.

The toolbar (``static/js/review-blocks.js``, loaded by the editor through
``DJANGO_PROSE_EDITOR_EXTENSIONS`` in the settings) stores each block as a
small, stable piece of HTML that names what it shows instead of copying it:

- a picture from the media library: ``<figure data-image="42" data-layout="wide"></figure>``
  (layout: ``column``, ``wide`` or ``beside``); its alt text, caption, credit
  and renditions are read from the library when the page is drawn;
- a trailer or clip: ``<figure data-embed="youtube:dQw4w9WgXcQ" data-title="Trailer"></figure>``
  (or ``vimeo:76979871``); the page draws our own poster and play button;
- a pull quote: ``<blockquote data-pull-quote="">…</blockquote>``;
- a spoiler: ``<details><summary>Spoilers: the ending</summary>…</details>``.

The sanitiser (nh3, configured from the same extension list) keeps exactly
these: the tags, these attributes, and only the values the toolbar can make
(``attribute_filter``). ``drop_foreign_figures`` then removes any figure
that names nothing, with whatever a paste put inside it.

This module is read by the settings, so it imports no model.
"""

import re

from django_prose_editor.config import add_tags_and_attributes

LAYOUTS = ("column", "wide", "beside")
DEFAULT_LAYOUT = "column"
EMBED_PROVIDERS = ("youtube", "vimeo")
# The embed's value, "provider:id": YouTube ids are 11 characters, Vimeo's are digits.
EMBED_VALUE = re.compile(r"\A(?:youtube:[A-Za-z0-9_-]{11}|vimeo:[0-9]{1,12})\Z")
IMAGE_ID = re.compile(r"\A[1-9][0-9]{0,9}\Z")
TITLE_MAX = 200

# tag -> attribute -> the check of its value (None drops the attribute).
_ALLOWED_VALUES = {
    "figure": {
        "data-image": lambda value: value if IMAGE_ID.match(value) else None,
        "data-layout": lambda value: value if value in LAYOUTS else None,
        "data-embed": lambda value: value if EMBED_VALUE.match(value) else None,
        "data-title": lambda value: value[:TITLE_MAX],
    },
    "blockquote": {"data-pull-quote": lambda value: ""},
}


def attribute_filter(tag, attribute, value):
    """nh3's hook: the value to keep for ``attribute`` on ``tag``, or None to drop it."""
    check = _ALLOWED_VALUES.get(tag, {}).get(attribute)
    return check(value) if check else value


def _with_filter(shared_config):
    shared_config["attribute_filter"] = attribute_filter


def process_picture(config, shared_config):
    add_tags_and_attributes(shared_config, ["figure"], {"figure": ["data-image", "data-layout"]})
    _with_filter(shared_config)


def process_trailer(config, shared_config):
    add_tags_and_attributes(shared_config, ["figure"], {"figure": ["data-embed", "data-title"]})
    _with_filter(shared_config)


def process_pull_quote(config, shared_config):
    add_tags_and_attributes(shared_config, ["blockquote"], {"blockquote": ["data-pull-quote"]})
    _with_filter(shared_config)


def process_spoiler(config, shared_config):
    add_tags_and_attributes(shared_config, ["details", "summary"], {})


# For DJANGO_PROSE_EDITOR_EXTENSIONS: the names the body's extension list uses,
# the JavaScript module that defines them for the editor.
PROCESSORS = {
    "Picture": process_picture,
    "Trailer": process_trailer,
    "PullQuote": process_pull_quote,
    "Spoiler": process_spoiler,
    "SpoilerSummary": lambda config, shared_config: None,
}

# A figure and what is inside it, up to its end (figures do not nest in a
# sanitised body: the toolbar's are empty, and a nested one is caught by the
# second pass of the sanitiser).
FIGURE = re.compile(r"<figure\b([^>]*)>(.*?)</figure>", re.S | re.I)
ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')


def figure_attributes(opening):
    """The attributes of a sanitised ``<figure …>`` opening tag, as a dict."""
    return dict(ATTRIBUTE.findall(opening))


def drop_foreign_figures(html):
    """
    Keep only the figures the toolbar makes, each empty: one that names a
    library picture or an embed; any other figure goes with its content.
    """

    def keep(match):
        attributes = figure_attributes(match[1])
        if "data-image" in attributes or "data-embed" in attributes:
            return f"<figure{match[1]}></figure>"
        return ""

    return FIGURE.sub(keep, html)


def prose_editor_extensions():
    """
    DJANGO_PROSE_EDITOR_EXTENSIONS: the editor loads the blocks' JavaScript
    module, and the sanitiser keeps what they make.
    """
    from django.templatetags.static import static
    from django.utils.functional import lazy

    return [{"js": [lazy(static, str)("js/review-blocks.js")], "extensions": PROCESSORS}]
