"""Moderating reader contributions: comments and ratings."""

from django.contrib import admin
from django.utils.text import Truncator

from reviews import reader_actions
from reviews.models import (
    Comment,
    Rating,
)


class ModerationQueueFilter(admin.SimpleListFilter):
    """The moderation queue first: an editor lands on what is waiting for them."""

    title = "moderation"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("pending", "Awaiting moderation"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("spam", "Spam"),
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


def _moderate_action(status, description):
    def action(modeladmin, request, queryset):
        changed = reader_actions.moderate(queryset, status=status, by=request.user)
        modeladmin.message_user(
            request, f"{changed} comment{'s' if changed != 1 else ''} marked {description}."
        )

    action.__name__ = f"mark_{status}"
    return admin.action(description=f"Mark selected comments {description}")(action)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "name", "email", "review", "reply", "status", "created_at"]
    list_display_links = ["excerpt"]
    list_filter = [ModerationQueueFilter, "created_at"]
    list_select_related = ["review"]
    search_fields = ["name", "email", "author_handle", "text", "review__headline"]
    date_hierarchy = "created_at"
    actions = [
        _moderate_action(Comment.Status.APPROVED, "approved"),
        _moderate_action(Comment.Status.REJECTED, "rejected"),
        _moderate_action(Comment.Status.SPAM, "as spam"),
    ]
    fields = [
        "review", "parent", "name", "email", "author_handle", "author_url", "text", "status",
        "created_at",
    ]  # fmt: skip
    readonly_fields = [
        "review", "parent", "name", "email", "author_handle", "author_url", "text", "created_at"
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False  # comments come from readers

    def changelist_view(self, request, extra_context=None):
        pending = Comment.objects.pending().count()
        extra_context = {**(extra_context or {}), "subtitle": f"{pending} awaiting moderation"}
        return super().changelist_view(request, extra_context=extra_context)

    @admin.display(description="comment")
    def excerpt(self, obj):
        return Truncator(obj.text).chars(80)

    @admin.display(description="reply", boolean=True)
    def reply(self, obj):
        return obj.parent_id is not None

    def save_model(self, request, obj, form, change):
        """A status changed on the form is moderation too: record who and keep counts right."""
        if change and "status" in form.changed_data:
            status = obj.status
            reader_actions.moderate(
                Comment.objects.filter(pk=obj.pk), status=status, by=request.user
            )
            self.message_user(request, f"Comment marked {obj.get_status_display().lower()}.")
            return
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        reader_actions.delete_comments(Comment.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        reader_actions.delete_comments(queryset)


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Read-only: ratings change through the public control, which keeps the averages right."""

    list_display = ["review", "value", "user", "created_at", "updated_at"]
    list_select_related = ["review", "user"]
    list_filter = ["value"]
    search_fields = ["review__headline"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
