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

from reviews import notifications
from reviews.models import Review
from reviews.roles import PUBLISH_PERMISSION

Status = Review.Status

EDIT_ANY_PERMISSION = "reviews.edit_any_review"


# The statuses each move starts from.
SUBMITTABLE = [Status.DRAFT, Status.UNPUBLISHED]
PUBLISHABLE = [Status.DRAFT, Status.SUBMITTED, Status.SCHEDULED, Status.UNPUBLISHED]
RETURNABLE = [Status.SUBMITTED, Status.SCHEDULED]
UNPUBLISHABLE = [Status.PUBLISHED, Status.SCHEDULED]


class TransitionError(Exception):
    """The review's current status does not allow this move."""


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def can_edit_any(user):
    return user.has_perm(EDIT_ANY_PERMISSION)


def is_own(review, user):
    return review.author.user_id == user.pk


def allowed_moves(review, user):
    """
    The moves ``user`` may make on ``review`` now, in the order the desk offers
    them: the same rules as the functions below, asked before rather than after.
    A review not yet saved counts as the user's own draft.
    """
    moves = []
    own = review.pk is None or is_own(review, user) or can_edit_any(user)
    if own and review.status in SUBMITTABLE:
        moves.append("submit")
    if can_publish(user):
        for move, statuses in [
            ("publish", PUBLISHABLE),
            ("schedule", PUBLISHABLE),
            ("send_back", RETURNABLE),
            ("unpublish", UNPUBLISHABLE),
        ]:
            if review.status in statuses:
                moves.append(move)
    return moves


def submit(review, *, by):
    """The author (or an editor for them) hands a draft to the editors."""
    if not (is_own(review, by) or can_edit_any(by)):
        raise PermissionDenied("Only the review's author or an editor can submit it.")
    _require(review, "submit", SUBMITTABLE)
    review.status = Status.SUBMITTED
    review.editor_note = ""
    _save(review, by, "Submitted for editing")
    notifications.review_moved(review, "submit", by=by)


def publish(review, *, by):
    """Make the review public now."""
    _require_editor(by)
    _require(review, "publish", PUBLISHABLE)
    review.status = Status.PUBLISHED
    review.published_at = timezone.now()
    _save(review, by, "Published")
    notifications.review_moved(review, "publish", by=by)


def schedule(review, *, at, by):
    """Make the review public by itself at ``at`` (a future, aware datetime)."""
    _require_editor(by)
    _require(review, "schedule", PUBLISHABLE)
    if at is None or at <= timezone.now():
        raise TransitionError("A review can only be scheduled for a time in the future.")
    review.status = Status.SCHEDULED
    review.published_at = at
    _save(review, by, f"Scheduled for {timezone.localtime(at):%Y-%m-%d %H:%M %Z}")
    notifications.review_moved(review, "schedule", by=by)


def send_back(review, *, note, by):
    """Return a submitted (or scheduled) review to its author with a note."""
    _require_editor(by)
    _require(review, "send back", RETURNABLE)
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
    _require_editor(by)
    _require(review, "unpublish", UNPUBLISHABLE)
    review.status = Status.UNPUBLISHED
    _save(review, by, "Unpublished")


def _require_editor(user):
    if not can_publish(user):
        raise PermissionDenied("Only editors can publish, schedule, send back or unpublish.")


def _require(review, verb, allowed):
    if review.status not in allowed:
        status = review.get_status_display().lower()
        raise TransitionError(f"“{review}” is {status}: it cannot be {_past(verb)}.")


def _past(verb):
    return {
        "submit": "submitted",
        "publish": "published",
        "schedule": "scheduled",
        "send back": "sent back",
        "unpublish": "unpublished",
    }[verb]


def _save(review, user, comment):
    with transaction.atomic(), reversion.create_revision():
        review.save()
        reversion.set_user(user)
        reversion.set_comment(comment)
