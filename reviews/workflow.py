"""
The editorial workflow of a review: draft → submitted → scheduled/published → unpublished.

Each transition is a function taking the review and the acting user as keyword
arguments. It checks that the move is allowed from the current status and that
the user may make it, saves, and records a revision with a comment saying
what happened. Visibility is decided when a page is read
(``Review.objects.published()``), so a scheduled review needs no timer.
"""

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core import dates
from reviews import notifications, policy
from reviews.models import Review

Status = Review.Status

# Who may make which move, from which status, is reviews/policy.py's to say.


class TransitionError(Exception):
    """The review's current status does not allow this move."""


def submit(review, *, by):
    """The author (or an editor for them) hands a draft to the editors."""
    _require(review, "submit", by)
    review.status = Status.SUBMITTED
    review.editor_note = ""
    _save(review, by, "Submitted for editing")
    notifications.review_moved(review, "submit", by=by)


def publish(review, *, by):
    """Make the review public now."""
    _require(review, "publish", by)
    review.status = Status.PUBLISHED
    review.published_at = timezone.now()
    _save(review, by, "Published")
    notifications.review_moved(review, "publish", by=by)


def schedule(review, *, at, by):
    """Make the review public by itself at ``at`` (a future, aware datetime)."""
    _require(review, "schedule", by)
    if at is None or at <= timezone.now():
        raise TransitionError("A review can only be scheduled for a time in the future.")
    review.status = Status.SCHEDULED
    review.published_at = at
    _save(review, by, f"Scheduled for {dates.date_and_time(at)}")
    notifications.review_moved(review, "schedule", by=by)


def send_back(review, *, note, by):
    """Return a submitted (or scheduled) review to its author with a note."""
    _require(review, "send_back", by)
    if not note or not note.strip():
        raise TransitionError("Say what the author should change: the note is required.")
    if review.status == Status.SCHEDULED:
        review.published_at = None
    review.status = Status.DRAFT
    review.editor_note = note.strip()
    _save(review, by, "Sent back to the author")
    notifications.review_moved(review, "send_back", by=by)


def unpublish(review, *, by):
    """Take a published or scheduled review off the site."""
    _require(review, "unpublish", by)
    review.status = Status.UNPUBLISHED
    _save(review, by, "Unpublished")


def _require(review, move, user):
    """Refuse a move the user's role does not allow, then one the status does not."""
    if not policy.role_allows(review, user, move):
        if move == "submit":
            raise PermissionDenied("Only the review's author or an editor can submit it.")
        raise PermissionDenied("Only editors can publish, schedule, send back or unpublish.")
    if not policy.status_allows(review, move):
        status = review.get_status_display().lower()
        raise TransitionError(f"“{review}” is {status}: it cannot be {_past(move)}.")


def _past(move):
    return {
        "submit": "submitted",
        "publish": "published",
        "schedule": "scheduled",
        "send_back": "sent back",
        "unpublish": "unpublished",
    }[move]


def _save(review, user, comment):
    with transaction.atomic(), reversion.create_revision():
        review.save()
        reversion.set_user(user)
        reversion.set_comment(comment)
