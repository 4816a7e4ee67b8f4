"""
What the desk (the admin index) shows a user: the work that needs them, each
section a few rows and a link to the filtered list that holds them all.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from reviews import policy
from reviews.models import Comment, PendingCredit, Review

ROWS = 5
UNTOUCHED_AFTER = datetime.timedelta(days=14)


@dataclass
class Section:
    title: str
    link: str
    count: int
    rows: list = field(default_factory=list)
    empty: str = "Nothing here."


def _reviews_link(**params):
    url = reverse("admin:reviews_review_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def sections_for(user):
    """The desk's sections for ``user``: an editor's queues, or an author's own work."""
    now = timezone.now()
    reviews = Review.objects.select_related("film", "author")
    if not policy.can_edit_any(user):
        own = reviews.filter(author__user=user)
        drafts = own.filter(status=Review.Status.DRAFT).order_by("-updated_at")
        notes = drafts.exclude(editor_note="")
        submitted = own.filter(status=Review.Status.SUBMITTED).order_by("-updated_at")
        return [
            _section("Sent back to you with a note", notes, _reviews_link(status__exact="draft")),
            _section("Your drafts", drafts, _reviews_link(status__exact="draft")),
            _section("Waiting for an editor", submitted, _reviews_link(status__exact="submitted")),
        ]
    submitted = reviews.filter(status=Review.Status.SUBMITTED).order_by("updated_at")
    scheduled = reviews.filter(status=Review.Status.SCHEDULED, published_at__gt=now).order_by(
        "published_at"
    )
    untouched = reviews.filter(
        status=Review.Status.DRAFT, updated_at__lt=now - UNTOUCHED_AFTER
    ).order_by("updated_at")
    coming_down = (
        reviews.published(now).filter(unpublish_at__isnull=False).order_by("unpublish_at")
    )
    published = reviews.published(now).order_by("-published_at")
    held = Comment.objects.pending().select_related("review").order_by("created_at")
    comments_link = reverse("admin:reviews_comment_changelist") + "?queue=pending"
    waiting = PendingCredit.objects.select_related("film").annotate(
        candidate_count=Count("candidates")
    )
    return [
        _section("Submitted and waiting", submitted, _reviews_link(status__exact="submitted")),
        _section("Comments held for moderation", held, comments_link),
        _section(
            "Credits waiting for an editor",
            waiting,
            reverse("admin:reviews_pendingcredit_changelist"),
        ),
        _section("Scheduled next", scheduled, _reviews_link(status__exact="scheduled")),
        _section("Coming down", coming_down, _reviews_link(unpublish_at__isempty="0")),
        _section(
            "Drafts untouched for two weeks",
            untouched,
            _reviews_link(status__exact="draft", untouched="14"),
        ),
        _section("Last published", published, _reviews_link(status__exact="published")),
    ]


def _section(title, queryset, link):
    return Section(title=title, link=link, count=queryset.count(), rows=list(queryset[:ROWS]))
