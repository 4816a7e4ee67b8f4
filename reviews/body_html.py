"""A review body as the review page shows it: the ``demote_headings`` filter."""

import re

from django.utils.safestring import mark_safe

# An opening or closing heading tag. The body is sanitised on save, so a "<"
# in its text is already "&lt;" and only real tags match.
_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])", re.IGNORECASE)


def demote_headings(html, levels=1):
    """
    The sanitised body ``html`` with every heading ``levels`` lower (h2 -> h3,
    h3 -> h4, never past h6). An editor's own <h2> is a section of the review,
    and on the page the review itself sits under the "Our View" <h2>.
    """

    def lower(match):
        return f"<{match[1]}h{min(int(match[2]) + levels, 6)}"

    return mark_safe(_HEADING_TAG.sub(lower, str(html or "")))
