"""
The review form as an editor left it, kept while they write (see
reviews/admin/autosave.py): one per user and review, and one per user for a
review not saved yet. Private to its writer; not a revision, never public.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from reviews.models.review import Review


class ReviewAutosave(models.Model):
    """An editor's unsaved review form, as the browser last sent it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_autosaves"
    )
    # Empty for the review the user is writing in the "Add review" form.
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="autosaves"
    )
    # The form's fields as [name, value] pairs, in the form's order (a name can repeat).
    fields = models.JSONField(default=list)
    # The review's version the form was opened at: restoring an autosave over a
    # review someone has saved since is then caught as an edit conflict.
    base_version = models.PositiveIntegerField(null=True, blank=True)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-saved_at"]
        verbose_name = "unsaved review form"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "review"],
                condition=Q(review__isnull=False),
                name="reviewautosave_one_per_user_review",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(review__isnull=True),
                name="reviewautosave_one_new_per_user",
            ),
        ]

    def __str__(self):
        what = f"“{self.review}”" if self.review_id else "a new review"
        return f"Unsaved changes to {what} by {self.user}"
