"""
Reader contributions: comments, ratings and likes.

Every write that touches a Rating or Like also moves Review's counters, with
F() expressions in the same transaction, so a page view reads two integers
instead of counting rows, and concurrent votes cannot lose an update.
"""

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.pagecache import tag
from core.purges import expire_pages
from reviews.models import Comment, Like, Rating, Review

READER_COOKIE = "reader"
READER_COOKIE_SALT = "reviews.reader"
READER_COOKIE_MAX_AGE = 60 * 60 * 24 * 365 * 2


@dataclass(frozen=True)
class Reader:
    """Who is contributing: a logged-in user, or a random id kept in a signed cookie."""

    user: object = None
    reader_id: str = ""
    is_new: bool = False

    def lookup(self):
        """The filter that finds this reader's own rows."""
        if self.user is not None:
            return {"user": self.user}
        return {"user": None, "reader_id": self.reader_id}


def reader_for(request):
    """The reader behind a request; a new cookie id when we have not met them."""
    if request.user.is_authenticated:
        return Reader(user=request.user)
    reader_id = request.get_signed_cookie(READER_COOKIE, default="", salt=READER_COOKIE_SALT)
    if reader_id and len(reader_id) == 32 and reader_id.isalnum():
        return Reader(reader_id=reader_id)
    return Reader(reader_id=secrets.token_hex(16), is_new=True)


def remember_reader(response, reader):
    """Set the reader cookie on a response when the reader is new."""
    if reader.is_new:
        response.set_signed_cookie(
            READER_COOKIE,
            reader.reader_id,
            salt=READER_COOKIE_SALT,
            max_age=READER_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
        )
    return response


def _half_stars(value):
    return int(Decimal(value) * 2)


def rate(review, *, reader, value):
    """
    Record ``reader``'s rating of ``review`` (0.5 to 5 in halves), or change it.
    Returns the Rating. Two requests from the same reader racing each other end
    with one row: the loser of the insert retries as an update.
    """
    value = Decimal(value).quantize(Decimal("0.1"))
    for _attempt in range(3):
        try:
            with transaction.atomic():
                rating = (
                    Rating.objects.select_for_update()
                    .filter(review=review, **reader.lookup())
                    .first()
                )
                if rating is None:
                    rating = Rating.objects.create(review=review, value=value, **reader.lookup())
                    Review.objects.filter(pk=review.pk).update(
                        rating_count=F("rating_count") + 1,
                        rating_total=F("rating_total") + _half_stars(value),
                    )
                elif rating.value != value:
                    change = _half_stars(value) - rating.half_stars
                    rating.value = value
                    rating.save(update_fields=["value", "updated_at"])
                    Review.objects.filter(pk=review.pk).update(
                        rating_total=F("rating_total") + change
                    )
                return rating
        except IntegrityError:
            # Another request from this reader inserted first; go round again and update it.
            continue
    raise IntegrityError("Could not record the rating.")


def unrate(review, *, reader):
    """Withdraw ``reader``'s rating of ``review``, if any."""
    with transaction.atomic():
        rating = (
            Rating.objects.select_for_update().filter(review=review, **reader.lookup()).first()
        )
        if rating is None:
            return False
        rating.delete()
        Review.objects.filter(pk=review.pk).update(
            rating_count=F("rating_count") - 1,
            rating_total=F("rating_total") - rating.half_stars,
        )
        return True


def like(review, *, reader):
    """``reader`` likes ``review``; liking twice counts once. True if it is new."""
    try:
        with transaction.atomic():
            Like.objects.create(review=review, **reader.lookup())
            Review.objects.filter(pk=review.pk).update(like_count=F("like_count") + 1)
    except IntegrityError:
        return False
    return True


def unlike(review, *, reader):
    """Undo ``reader``'s like of ``review``. True if there was one."""
    with transaction.atomic():
        deleted, _ = Like.objects.filter(review=review, **reader.lookup()).delete()
        if deleted:
            Review.objects.filter(pk=review.pk).update(like_count=F("like_count") - deleted)
    return bool(deleted)


def post_comment(review, *, form, reader, client="", spam=False):
    """
    Save a reader's comment from a valid CommentForm. It waits for moderation,
    or goes straight to the spam folder when the checks in the view say so.
    """
    comment = form.save(commit=False)
    comment.review = review
    comment.status = Comment.Status.SPAM if spam else Comment.Status.PENDING
    comment.user = reader.user
    comment.reader_id = reader.reader_id
    comment.ip_hash = client
    comment.save()
    return comment


def moderate(comments, *, status, by):
    """Set the moderation ``status`` of a queryset of comments. Returns how many changed."""
    with transaction.atomic():
        changing = comments.exclude(status=status)
        review_ids = set(changing.values_list("review_id", flat=True))
        changed = Comment.objects.filter(
            pk__in=list(changing.values_list("pk", flat=True))
        ).update(status=status, moderated_at=timezone.now(), moderated_by=by)
        recount_comments(review_ids)
    return changed


def delete_comments(comments):
    """Delete comments (and their replies) and keep the reviews' counts right."""
    with transaction.atomic():
        review_ids = set(comments.values_list("review_id", flat=True))
        comments.delete()
        recount_comments(review_ids)


def recount_comments(review_ids):
    """
    Set each review's approved-comment counts (all of them, and the threads,
    those that are not replies) from its rows. Only moderation calls this,
    never a page view; it counts inside the database in one UPDATE.
    """

    def counted(comments):
        return Subquery(
            comments.filter(review=OuterRef("pk"))
            .order_by()
            .values("review")
            .annotate(n=Count("pk"))
            .values("n")
        )

    approved = Comment.objects.approved()
    reviews = Review.objects.filter(pk__in=review_ids)
    reviews.update(
        comment_count=Coalesce(counted(approved), 0),
        comment_thread_count=Coalesce(counted(approved.filter(parent__isnull=True)), 0),
    )
    # Moderation updates rows without saving them: their pages must be told.
    expire_pages(*(tag("review", pk, "readers") for pk in review_ids))
