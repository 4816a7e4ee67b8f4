"""The media library: pictures an editor places in review bodies, each used as often as wanted."""

from django.db import models
from django.db.models import ProtectedError, Q

from core.fields import FocusField, SafeImageField, focus_check
from core.models import Timestamped
from reviews.models.review import Review


class PictureQuerySet(models.QuerySet):
    def search(self, query):
        """Pictures whose words (description, caption, credit, file name) hold all of ``query``."""
        pictures = self
        for word in (query or "").split()[:8]:
            pictures = pictures.filter(
                Q(alt__icontains=word)
                | Q(caption__icontains=word)
                | Q(credit__icontains=word)
                | Q(image__icontains=word)
            )
        return pictures


class Picture(Timestamped):
    """One picture of the media library, with what a page needs to show it."""

    image = SafeImageField(upload_to="pictures/")
    image_focus_x = FocusField("focal point, across")
    image_focus_y = FocusField("focal point, down")
    alt = models.CharField(
        "description",
        max_length=300,
        help_text="What the picture shows, for readers who cannot see it (the alt text).",
    )
    caption = models.CharField(
        max_length=500, blank=True, help_text="Shown under the picture wherever it is used."
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who took or owns the picture (Photo: Why Not Productions).",
    )

    objects = PictureQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "library picture"
        constraints = [
            focus_check("image", "picture_focus_inside"),
            models.CheckConstraint(condition=~Q(alt=""), name="picture_has_alt"),
        ]

    def __str__(self):
        return self.alt if len(self.alt) <= 80 else f"{self.alt[:79]}…"

    def delete(self, *args, **kwargs):
        # A review body names its pictures by id, not by a foreign key: the
        # database cannot refuse this, so the model does.
        using = list(self.reviews_using())
        if using:
            titles = ", ".join(f"“{review.headline}”" for review in using)
            raise ProtectedError(f"{self} is used by {titles}.", set(using))
        return super().delete(*args, **kwargs)

    def body_marker(self):
        """The attribute by which a review body names this picture."""
        return f'data-image="{self.pk}"'

    def reviews_using(self):
        """The reviews whose body shows this picture, newest first."""
        return Review.objects.filter(body__contains=self.body_marker()).order_by("-updated_at")
