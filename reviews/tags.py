"""
How the desk reads and writes a review's tags: commas separate them, so
"French cinema" stays one tag, and the field shows a plain comma list.
Named in settings as TAGGIT_TAGS_FROM_STRING and TAGGIT_STRING_FROM_TAGS.
"""


def parse_tags(text):
    """The tags in ``text``, split on commas only, trimmed, without repeats."""
    seen = {}
    for part in (text or "").split(","):
        name = " ".join(part.replace('"', " ").split())
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return sorted(seen.values(), key=str.lower)


def join_tags(tags):
    """``tags`` as the field shows them: "French cinema, prison film"."""
    return ", ".join(sorted((tag.name for tag in tags), key=str.lower))
