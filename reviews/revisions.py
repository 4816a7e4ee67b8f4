"""
Comparing two saved versions of a review, and restoring one
(django-reversion keeps the versions).
"""

import difflib
import html
import re

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.html import escape, format_html_join, strip_tags
from django.utils.safestring import mark_safe
from taggit.models import Tag, TaggedItem

from core import dates
from reviews.models import CriticQuote, Review

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


# --- Restoring a version: its words, not its state ----------------------------

# What a restore brings back: the review's words, its rating and its picture
# (its tags and critic quotes too, below). Status and publish time, and the
# address, come back only when the editor asks for them.
CONTENT_FIELDS = [
    "headline",
    "standfirst",
    "body",
    "rating",
    "hero_image",
    "hero_image_alt",
    "hero_image_credit",
]
STATE_FIELDS = ["status", "published_at"]


def register():
    """
    Keep the review's critic quotes and tags in each of its versions: taggit's
    manager is not serialised, so the versions follow the rows it keeps.
    """
    follows = [
        (Tag, []),
        (TaggedItem, ["tag"]),
        (CriticQuote, []),
        (Review, ["critic_quotes", "tag_links"]),
    ]
    for model, follow in follows:
        # The admin's VersionAdmin may have registered it first, without the tags.
        if reversion.is_registered(model):
            reversion.unregister(model)
        reversion.register(model, follow=follow)


def _current_values(review):
    return {f.attname: getattr(review, f.attname) for f in Review._meta.concrete_fields}


def when(moment):
    """A time as the restore page and its messages say it, in the site's time zone."""
    return dates.date_and_time(moment)


def _rows(before, after, names):
    rows = []
    for name in names:
        field = Review._meta.get_field(name)
        old = _as_text(field, before.get(field.attname))
        new = _as_text(field, after.get(field.attname))
        if old != new:
            rows.append({"label": field.verbose_name, "diff": word_diff(old, new)})
    return rows


def _in_revision(version, model):
    content_type = ContentType.objects.get_for_model(model)
    return [v for v in version.revision.version_set.all() if v.content_type_id == content_type.pk]


def version_tags(version, review):
    """The tag names the version recorded, in name order; None if it recorded none."""
    names = {int(v.object_id): v.field_dict["name"] for v in _in_revision(version, Tag)}
    content_type = ContentType.objects.get_for_model(Review)
    ids = [
        v.field_dict["tag_id"]
        for v in _in_revision(version, TaggedItem)
        if v.field_dict["content_type_id"] == content_type.pk
        and str(v.field_dict["object_id"]) == str(review.pk)
    ]
    if not ids:
        return None
    missing = [i for i in ids if i not in names]
    names.update(Tag.objects.filter(pk__in=missing).values_list("pk", "name"))
    return sorted({names[i] for i in ids if i in names})


def version_quotes(version, review):
    """The critic quotes of the review in the version, as field dicts, in their order."""
    quotes = [
        v.field_dict
        for v in _in_revision(version, CriticQuote)
        if v.field_dict.get("review_id") == review.pk
    ]
    return sorted(quotes, key=lambda q: (q["order"], q["id"]))


def restore_plan(review, version):
    """What restoring ``version`` would change on ``review``, for the confirmation page."""
    then = version.field_dict
    now = _current_values(review)
    hero = then.get("hero_image")
    hero_gone = bool(hero) and not review.hero_image.storage.exists(str(hero))
    content = [
        row
        for row in _rows(now, then, CONTENT_FIELDS)
        if not (hero_gone and row["label"] == Review._meta.get_field("hero_image").verbose_name)
    ]
    tags_then = version_tags(version, review)
    tags_now = sorted(review.tags.names())
    quotes_now = [q.quote for q in review.critic_quotes.all()]
    quotes_then = [q["quote"] for q in version_quotes(version, review)]
    old_review = Review(**{k: v for k, v in then.items() if k in {"status", "published_at"}})
    slug_then = then.get("slug") or review.slug
    address_free = not Review.objects.filter(slug=slug_then).exclude(pk=review.pk).exists()
    return {
        "content": content,
        "tags": {"now": tags_now, "then": tags_then},
        "tags_change": tags_then is not None and tags_then != tags_now,
        "quotes": {"now": quotes_now, "then": quotes_then},
        "quotes_change": quotes_now != quotes_then,
        "hero_gone": hero_gone,
        "state": {
            "now": _state_text(review),
            "then": _state_text(old_review),
            "differs": [now["status"], now["published_at"]]
            != [then.get("status"), then.get("published_at")],
            "public_now": review.is_public,
            "public_then": old_review.is_public,
        },
        "address": {
            "now": review.get_absolute_url(),
            "then": Review(slug=slug_then).get_absolute_url(),
            "differs": slug_then != review.slug,
            "free": address_free,
        },
    }


def _state_text(review):
    if review.published_at is None:
        return f"{review.get_status_display()}, no publish time"
    return f"{review.get_status_display()}, publish time {when(review.published_at)}"


def restore(review, version, *, by, state=False, address=False):
    """
    Bring back the words of ``version`` (headline, standfirst, body, rating,
    hero image with its description and credit, tags and critic quotes), and
    its status and publish time only if ``state``, its address only if
    ``address``. A hero image whose file is gone, or tags the version did not
    record, stay as they are. One new version, saying what was restored.
    """
    plan = restore_plan(review, version)
    then = version.field_dict
    names = list(CONTENT_FIELDS)
    if plan["hero_gone"]:
        names.remove("hero_image")
    if state:
        names += STATE_FIELDS
    if address and plan["address"]["free"]:
        names.append("slug")
    saved_at = when(version.revision.date_created)
    with transaction.atomic(), reversion.create_revision():
        for name in names:
            attname = Review._meta.get_field(name).attname
            value = then.get(attname)
            setattr(review, attname, value.name if hasattr(value, "name") else value)
        review.save()
        if plan["tags_change"]:
            review.tags.set(plan["tags"]["then"])
        _restore_quotes(review, version_quotes(version, review))
        what = (
            "its words"
            + (", status and publish time" if state else "")
            + (" and address" if "slug" in names else "")
        )
        reversion.set_user(by)
        reversion.set_comment(f"Restored {what} from the version saved {saved_at}")
    return plan


def _restore_quotes(review, quotes):
    fields = ["quote", "critic", "publication", "url", "order"]
    keep = []
    for data in quotes:
        quote = CriticQuote.objects.filter(pk=data["id"], review=review).first() or CriticQuote(
            review=review
        )
        for name in fields:
            setattr(quote, name, data[name])
        quote.save()
        keep.append(quote.pk)
    review.critic_quotes.exclude(pk__in=keep).delete()
