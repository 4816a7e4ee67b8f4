"""The abstract models the apps' models build on."""

from django.core.exceptions import ValidationError
from django.db import models

from core.fields import FocusField, SafeImageField


class Timestamped(models.Model):
    """When a row was added and last changed; the desk lists and filters by both."""

    created_at = models.DateTimeField("added", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("last changed", auto_now=True)

    class Meta:
        abstract = True


class SearchAndSocial(models.Model):
    """
    What search engines and social sites show of a page, when an editor wants
    a say: each field is optional, and an empty one keeps the value the page
    derives (its headline, standfirst, header image...). The page's
    ``<title>``, description, Open Graph and Twitter tags and JSON-LD follow.
    """

    seo_title = models.CharField(
        "search title",
        max_length=70,
        blank=True,
        help_text="The title search results and social cards show. Empty: the page's own.",
    )
    meta_description = models.CharField(
        "search description",
        max_length=160,
        blank=True,
        help_text="The snippet under the title in search results and on social cards.",
    )
    social_image = SafeImageField(
        "social card image",
        upload_to="social/",
        blank=True,
        help_text="Shown when the page is shared, cropped to 1200×630. Empty: the page's picture.",
    )
    # The crop to 1200×630 keeps this point in frame (core.renditions).
    social_image_focus_x = FocusField("focal point, across")
    social_image_focus_y = FocusField("focal point, down")
    social_image_alt = models.CharField(
        "social card image description",
        max_length=200,
        blank=True,
        help_text="What the social card image shows, for readers who cannot see it.",
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.social_image and not self.social_image_alt.strip():
            message = "Describe the social card image for readers who cannot see it."
            raise ValidationError({"social_image_alt": message})
