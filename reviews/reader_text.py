"""What readers write, as HTML: the ``reader_text`` filter of the templates."""

import re

from django.utils.html import urlize
from django.utils.safestring import mark_safe

_NEWLINES = re.compile(r"\r\n|\r")
_PARAGRAPHS = re.compile(r"\n{2,}")


def reader_text(text):
    """
    A reader's text as HTML: everything escaped, web addresses turned into
    links marked ``rel="nofollow ugc"``, blank lines into paragraphs and line
    breaks into ``<br>``. No markup the reader typed survives.
    """
    text = _NEWLINES.sub("\n", str(text or "")).strip()
    paragraphs = []
    for paragraph in _PARAGRAPHS.split(text):
        # urlize escapes the text around and inside the links it makes, and only
        # links http(s), www. and e-mail addresses, never javascript: or data:.
        html = urlize(paragraph, trim_url_limit=60, nofollow=True, autoescape=True)
        # Escaping turned every quote the reader typed into &quot;, so this literal
        # can only be an attribute urlize wrote.
        html = html.replace(' rel="nofollow"', ' rel="nofollow ugc"')
        paragraphs.append("<p>" + html.replace("\n", "<br>") + "</p>")
    return mark_safe("".join(paragraphs))
