"""
The "Search and social" part of the review and film forms: the optional
overrides (core.models.SearchAndSocial) and a preview of the card a social
site draws from them, which follows the form as the editor types
(static/js/desk-social-card.js).
"""

from django.conf import settings
from django.contrib import admin
from django.template.loader import render_to_string

from core.renditions import rendition

SEARCH_AND_SOCIAL_FIELDS = [
    "social_card",
    "seo_title",
    "meta_description",
    "social_image",
    ("social_image_focus_x", "social_image_focus_y"),
    "social_image_alt",
]


def search_and_social_fieldset(*, title_field, description_field):
    """
    The fieldset, folded away; ``title_field`` and ``description_field`` name
    the form fields whose values the card falls back to (a review's headline
    and standfirst, a film's title and synopsis).
    """
    return (
        "Search and social",
        {
            "classes": ["collapse"],
            "fields": SEARCH_AND_SOCIAL_FIELDS,
            "description": (
                "Optional. Empty fields keep what the page shows anyway: "
                f"its {title_field}, its {description_field} and its picture."
            ),
        },
    )


class SocialCardMixin:
    """
    Adds the read-only card preview to a ModelAdmin whose model is
    SearchAndSocial; its Media lists js/desk-social-card.js.
    """

    # The saved fields the card falls back to: (title, description, picture, size).
    social_fallbacks = ("", "", "", "")

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "social_card"]

    @admin.display(description="as social sites show it")
    def social_card(self, obj):
        title_field, description_field, image_field, size = self.social_fallbacks
        picture = None
        if obj is not None and obj.pk:
            picture = rendition(obj.social_image, "social") or rendition(
                getattr(obj, image_field), size
            )
        return render_to_string(
            "admin/reviews/_social_card.html",
            {
                "title": (obj and (obj.seo_title or getattr(obj, title_field))) or "",
                "description": (obj and (obj.meta_description or getattr(obj, description_field)))
                or "",
                "picture": picture,
                "site": settings.SITE_URL.split("://", 1)[-1].rstrip("/"),
                "title_field": title_field,
                "description_field": description_field,
            },
        )
