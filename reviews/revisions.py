"""Comparing two saved versions of a review (django-reversion keeps the versions)."""

import difflib
import html
import re

from django.utils.html import escape, format_html_join, strip_tags
from django.utils.safestring import mark_safe

from reviews.models import Review

COMPARED_FIELDS = [
    "headline",
    "standfirst",
    "body",
    "rating",
    "film",
    "author",
    "status",
    "published_at",
    "featured",
    "hero_image",
    "hero_image_alt",
    "editor_note",
]


def compare_versions(old, new):
    """One row per field: its label, whether it changed, and a marked-up word diff."""
    old_values, new_values = old.field_dict, new.field_dict
    rows = []
    for name in COMPARED_FIELDS:
        field = Review._meta.get_field(name)
        before = _as_text(field, old_values.get(field.attname))
        after = _as_text(field, new_values.get(field.attname))
        rows.append(
            {
                "label": field.verbose_name,
                "changed": before != after,
                "diff": word_diff(before, after) if before != after else escape(after),
            }
        )
    return rows


def word_diff(before, after):
    """HTML showing ``after`` with removed words in <del> and added words in <ins>."""
    # Tags count as words, so a changed paragraph break shows up too.
    split = re.compile(r"<[^>]+>|\s+|[^\s<]+")
    a, b = split.findall(before), split.findall(after)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            parts.append(("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(("ins", "".join(b[j1:j2])))
        if op == "equal":
            parts.append(("", "".join(a[i1:i2])))
    return mark_safe(
        "".join(
            format_html_join("", "<{0}>{1}</{0}>", [(tag, text)]) if tag else escape(text)
            for tag, text in parts
        )
    )


# Where the body's blocks end: each becomes a line break in the compared text.
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|pre|figure)>|<br\s*/?>", re.IGNORECASE)


def rendered_text(body):
    """The body as a reader reads it: its words, a line per paragraph, no markup."""
    text = html.unescape(strip_tags(BLOCK_END.sub("\n", body)))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _as_text(field, value):
    if value is None:
        return ""
    if field.name == "body":
        return rendered_text(value)
    if field.is_relation:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj is not None else f"(deleted, #{value})"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)
