"""Reader contributions: comments, ratings and likes.

Writes go through reviews/reader_actions.py, which keeps Review's counters in step.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from core.models import Timestamped
from reviews.models.choices import CommentStatus
from reviews.models.review import Review

READER_RATING_VALUES = [(Decimal(half) / 2).quantize(Decimal("0.1")) for half in range(1, 11)]


def _one_reader(prefix):
    """A reader is either a user account or, when logged out, a random id from a cookie."""
    return [
        models.CheckConstraint(
            condition=Q(user__isnull=False, reader_id="")
            | Q(user__isnull=True) & ~Q(reader_id=""),
            name=f"{prefix}_user_or_reader_id",
            violation_error_message="A reader is a user or a cookie id, not both.",
        ),
        models.UniqueConstraint(
            fields=["review", "user"],
            condition=Q(user__isnull=False),
            name=f"{prefix}_one_per_user",
        ),
        models.UniqueConstraint(
            fields=["review", "reader_id"],
            condition=Q(user__isnull=True),
            name=f"{prefix}_one_per_reader",
        ),
    ]


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)


class Comment(Timestamped):
    """A reader's comment on a review, shown once an editor approves it."""

    Status = CommentStatus

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The comment this one answers. Replies go one level deep.",
    )
    name = models.CharField(max_length=80)
    email = models.EmailField("e-mail", help_text="Never shown on the site.")
    text = models.TextField(max_length=5000, help_text="Stored as the reader typed it.")
    # A reply from the fediverse (federation/inbox.py) names its author's account.
    author_handle = models.CharField(
        "fediverse handle", max_length=255, blank=True, help_text="@name@server, for replies."
    )
    author_url = models.URLField(
        "profile", max_length=500, blank=True, help_text="The commenter's page on their server."
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reader_id = models.CharField(max_length=32, blank=True, editable=False)
    ip_hash = models.CharField("client", max_length=16, blank=True, editable=False)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        get_latest_by = "created_at"
        indexes = [
            models.Index(
                fields=["review", "status", "parent", "created_at"],
                name="comment_review_status_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommentStatus.values),
                name="comment_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="comment_not_own_parent",
            ),
        ]

    def __str__(self):
        return f"{self.name} on {self.review}: {self.text[:40]}"

    def get_absolute_url(self):
        return f"{self.review.get_absolute_url()}#comment-{self.pk}"

    def clean(self):
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": "Replies go one level deep."})
        if self.parent_id and self.parent.review_id != self.review_id:
            raise ValidationError({"parent": "A reply belongs to the same review."})


class Rating(Timestamped):
    """One reader's stars for one review (0.5 to 5 in halves); they may change it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reader_ratings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reader_id = models.CharField(max_length=32, blank=True)
    value = models.DecimalField(max_digits=2, decimal_places=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "reader rating"
        constraints = [
            models.CheckConstraint(
                condition=Q(value__in=READER_RATING_VALUES),
                name="rating_value_half_stars",
                violation_error_message="A rating is 0.5 to 5 stars in halves.",
            ),
            *_one_reader("rating"),
        ]

    def __str__(self):
        return f"{self.value} stars for {self.review}"

    @property
    def half_stars(self):
        return int(self.value * 2)


class Like(Timestamped):
    """One reader liking one review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reader_id = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = _one_reader("like")

    def __str__(self):
        return f"Like of {self.review}"
