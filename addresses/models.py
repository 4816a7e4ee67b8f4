"""Old public addresses and where they lead now."""

from django.db import models
from django.db.models import Q

from core.models import Timestamped


class Redirect(Timestamped):
    """
    An address that once answered: a page that moved (301 to ``new_path``) or
    one that is gone (410, no ``new_path``). Asked only when a path answers 404
    (addresses.middleware), so pages that are found never read this table.
    """

    old_path = models.CharField(
        "old address",
        max_length=300,
        unique=True,
        help_text="A path on this site, starting and ending with a slash: /reviews/old-name/.",
    )
    new_path = models.CharField(
        "new address",
        max_length=300,
        blank=True,
        help_text="Where the old address leads. Leave empty for a page that is gone (410).",
    )
    reason = models.CharField(
        max_length=200, blank=True, help_text="Why it moved: filled in for automatic ones."
    )

    class Meta:
        ordering = ["-updated_at", "old_path"]
        verbose_name = "old address"
        verbose_name_plural = "old addresses"
        constraints = [
            models.CheckConstraint(
                condition=Q(old_path__startswith="/") & ~Q(old_path=models.F("new_path")),
                name="redirect_old_path_is_a_path_elsewhere",
                violation_error_message="The old address is a path (/…) and leads elsewhere.",
            ),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.new_path or 'gone'}"

    def get_absolute_url(self):
        return self.new_path or self.old_path

    @property
    def is_gone(self):
        return not self.new_path
