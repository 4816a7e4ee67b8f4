"""
A reply from another server, as the plain text of a comment.

A Note's content is HTML written by a server we do not control. Nothing of
it is kept as markup: paragraphs and line breaks become blank lines and line
breaks, a link becomes its address (mentions and hashtags stay as their
text), everything else becomes its text. The comment is then shown like any
reader's: escaped, with its addresses linked (reviews/reader_text.py).
"""

import unicodedata
from html.parser import HTMLParser

MAX_TEXT = 5000
_SKIP = {"script", "style", "template", "iframe", "object", "svg", "math"}
_BLOCKS = {"p", "div", "blockquote", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = 0
        self.link = None  # [href, classes, [text]] while inside <a>

    def write(self, text):
        if self.skipping:
            return
        (self.link[2] if self.link is not None else self.parts).append(text)

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "br":
            self.write("\n")
        elif tag == "a" and self.link is None:
            attrs = dict(attrs)
            self.link = [attrs.get("href") or "", attrs.get("class") or "", []]

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.write("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.write("\n\n")
        elif tag == "a" and self.link is not None:
            href, classes, text = self.link
            self.link = None
            text = "".join(text)
            mention = text.strip().startswith(("@", "#")) or "mention" in classes
            if href.startswith(("http://", "https://")) and not mention:
                self.write(f" {href} ")
            else:
                self.write(text)

    def handle_data(self, data):
        self.write(data)


def note_text(html, *, drop_mentions=()):
    """
    The plain text of a Note's HTML ``content``, at most MAX_TEXT characters.
    ``drop_mentions``: handles (``@reviews@host``, ``@reviews``) removed from
    the start, where a reply names who it answers.
    """
    parser = _Text()
    parser.feed(str(html or "")[: MAX_TEXT * 20])
    parser.close()
    if parser.link is not None:
        parser.parts.append("".join(parser.link[2]))
    text = "".join(parser.parts)
    text = "".join(
        ch
        for ch in text
        if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cf", "Co", "Cs"}
    )
    lines = [" ".join(line.split()) for line in text.split("\n")]
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    text = "\n\n".join(paragraphs)
    words = text.split(" ")
    drop = {handle.lower() for handle in drop_mentions}
    while words and words[0].lower() in drop:
        words.pop(0)
    text = " ".join(words).strip()
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1].rstrip() + "…"
    return text
