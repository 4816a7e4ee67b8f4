from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html

from core.autocomplete import SafeAutocompleteMixin
from core.fields import FocusPickerAdminMixin
from people.models import AuthorLink, AuthorProfile, Person


def thumbnail(image, alt, size=48):
    if not image:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" style="object-fit:cover">',
        image.url,
        alt,
        size,
        size,
    )


class HasPhotoFilter(admin.SimpleListFilter):
    title = "photo"
    parameter_name = "has_photo"

    def lookups(self, request, model_admin):
        return [("yes", "With a photo"), ("no", "Without a photo")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(photo="")
        if self.value() == "no":
            return queryset.filter(photo="")
        return queryset


@admin.register(Person)
class PersonAdmin(FocusPickerAdminMixin, admin.ModelAdmin):
    # Set explicitly: the annotated count would otherwise drop Meta.ordering.
    ordering = ["name"]
    list_display = ["name", "photo_thumbnail", "birth_year", "credit_count", "updated_at"]
    list_filter = [HasPhotoFilter, "created_at"]
    search_fields = ["name", "slug", "=imdb_id", "=wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "created_at"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "birth_year",
                    "photo",
                    ("photo_focus_x", "photo_focus_y"),
                    "bio",
                ]
            },
        ),
        ("External ids", {"fields": ["tmdb_id", "imdb_id", "wikidata_id"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(credit_count=Count("credits"))

    @admin.display(description="photo")
    def photo_thumbnail(self, obj):
        return thumbnail(obj.photo, obj.name)

    @admin.display(description="credits", ordering="credit_count")
    def credit_count(self, obj):
        return obj.credit_count


class AuthorLinkInline(admin.TabularInline):
    model = AuthorLink
    extra = 1


@admin.register(AuthorProfile)
class AuthorProfileAdmin(SafeAutocompleteMixin, FocusPickerAdminMixin, admin.ModelAdmin):
    # Set explicitly: the annotated count would otherwise drop Meta.ordering.
    ordering = ["display_name"]
    list_display = ["display_name", "photo_thumbnail", "user", "review_count", "updated_at"]
    list_filter = [HasPhotoFilter, "user__is_active"]
    search_fields = ["display_name", "slug", "user__username", "user__email"]
    prepopulated_fields = {"slug": ["display_name"]}
    autocomplete_fields = ["user"]
    date_hierarchy = "created_at"
    inlines = [AuthorLinkInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "user",
                    "display_name",
                    "slug",
                    "photo",
                    ("photo_focus_x", "photo_focus_y"),
                    "bio",
                ]
            },
        ),
        ("Favourites", {"fields": ["favourite_film", "favourite_director", "guilty_pleasure"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .annotate(review_count=Count("reviews"))
        )

    @admin.display(description="photo")
    def photo_thumbnail(self, obj):
        return thumbnail(obj.photo, obj.display_name)

    @admin.display(description="reviews", ordering="review_count")
    def review_count(self, obj):
        return obj.review_count
