"""The desk's review pages: the review form, its workflow actions, revisions, critic quotes."""

import datetime

from adminsortable2.admin import SortableAdminBase, SortableInlineAdminMixin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.models import Tag

from core import dates
from core.autocomplete import SafeAutocompleteMixin
from core.fields import FocusPickerAdminMixin
from core.renditions import rendition
from core.security import CSPNonceMediaMixin
from people.models import AuthorProfile
from reviews import policy, workflow
from reviews.admin.autosave import AutosaveAdminMixin
from reviews.admin.preview import LivePreviewMixin
from reviews.admin.restore import RestoreMixin
from reviews.admin.review_forms import (
    MOVE_BUTTONS,
    MOVE_DONE,
    ReviewAdminForm,
    ScheduleForm,
    SendBackForm,
    workflow_help,
)
from reviews.admin.social import SocialCardMixin, search_and_social_fieldset
from reviews.models import (
    CriticQuote,
    Review,
)
from reviews.revisions import compare_versions


class ReviewCriticQuoteInline(SortableInlineAdminMixin, admin.StackedInline):
    model = CriticQuote
    fk_name = "review"
    fields = ["quote", "critic", "publication", "url"]
    extra = 0
    verbose_name_plural = "The Critics Say (drag to reorder)"

    # Quotes on a review go with the review: whoever may change the review may
    # change its quotes, without holding permissions on every critic quote.
    def _review_admin(self):
        return self.admin_site.get_model_admin(Review)

    def has_view_permission(self, request, obj=None):
        return self._review_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._review_admin().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._review_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._review_admin().has_change_permission(request, obj)


class UntouchedFilter(admin.SimpleListFilter):
    """Reviews nobody has changed for a while: the desk's forgotten drafts."""

    title = "last changed"
    parameter_name = "untouched"

    def lookups(self, request, model_admin):
        return [("14", "Untouched for two weeks"), ("60", "Untouched for two months")]

    def queryset(self, request, queryset):
        if self.value() in {"14", "60"}:
            since = timezone.now() - datetime.timedelta(days=int(self.value()))
            return queryset.filter(updated_at__lt=since)
        return queryset


@admin.register(Review)
class ReviewAdmin(
    SafeAutocompleteMixin,
    AutosaveAdminMixin,
    FocusPickerAdminMixin,
    LivePreviewMixin,
    SocialCardMixin,
    CSPNonceMediaMixin,
    SortableAdminBase,
    RestoreMixin,
    VersionAdmin,
):
    form = ReviewAdminForm
    list_display = [
        "thumbnail",
        "headline",
        "film",
        "author",
        "status_now",
        "stars",
        "publish_time",
        "featured",
    ]
    list_display_links = ["headline"]
    list_filter = [
        "status",
        UntouchedFilter,
        ("unpublish_at", admin.EmptyFieldListFilter),
        "featured",
        "rating",
        "author",
        "tags",
    ]
    list_select_related = ["film", "author"]
    search_fields = [
        "headline",
        "standfirst",
        "film__title",
        "film__original_title",
        "author__display_name",
    ]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["film", "author"]
    date_hierarchy = "published_at"
    inlines = [ReviewCriticQuoteInline]
    fieldsets = [
        (None, {"fields": ["film", "headline", "slug", "author", "edit_version"]}),
        ("Writing", {"fields": ["standfirst", "body", "rating", "tags"]}),
        (
            "Image",
            {
                "fields": [
                    "hero_image",
                    ("hero_image_focus_x", "hero_image_focus_y"),
                    "hero_image_alt",
                    "hero_image_credit",
                    "hero_image_kept",
                ]
            },
        ),
        (
            "Publishing",
            {
                "fields": [
                    "status_now",
                    "published_at",
                    "unpublish_at",
                    "featured",
                    "comments_open",
                    "editor_note",
                ]
            },
        ),
        search_and_social_fieldset(title_field="headline", description_field="standfirst"),
    ]
    social_fallbacks = ("headline", "standfirst", "hero_image", "hero")
    actions = [
        "submit_reviews",
        "publish_reviews",
        "schedule_reviews",
        "send_back_reviews",
        "unpublish_reviews",
    ]
    object_history_template = "admin/reviews/review/review_history.html"
    # Newest first, so the first row is the newer of the two compared by default.
    history_latest_first = True

    class Media:
        js = ["js/desk-tags.js", "js/desk-social-card.js", "js/review-autosave.js"]

    # --- Who sees and changes what ---------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if policy.can_edit_any(request.user):
            return queryset
        return queryset.filter(author__user=request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or policy.may_edit(obj, request.user)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or policy.may_edit(obj, request.user)

    def has_publish_permission(self, request):
        return policy.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "status_now"]
        # Default-deny: whatever reviews/policy.py does not let the user set is read-only.
        names = flatten_fieldsets(self.get_fieldsets(request, obj))
        return readonly + [
            name for name in policy.readonly_fields(request.user, names) if name not in readonly
        ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Bulk delete skips the per-review check; authors delete one at a time.
        if not policy.can_edit_any(request.user):
            actions.pop("delete_selected", None)
        return actions

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        profile = AuthorProfile.objects.filter(user=request.user).first()
        if profile is not None:
            initial.setdefault("author", profile.pk)
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A class made for this request: the form checks the workflow button for this user.
        form.desk_user = request.user
        if obj is None and "author" in form.base_fields:
            field = form.base_fields["author"]
            field.required = False
            field.help_text = "Leave empty to sign the review yourself."
        return form

    def save_model(self, request, obj, form, change):
        # Whatever a crafted POST contains, a field the user may not set keeps
        # its stored value (or, on a new review, the model's default).
        protected = policy.protected_fields(request.user, Review)
        if protected:
            source = Review.objects.get(pk=obj.pk) if change else Review()
            for name in protected:
                attname = Review._meta.get_field(name).attname
                setattr(obj, attname, getattr(source, attname))
        if not obj.author_id:
            obj.author = AuthorProfile.objects.for_user(request.user)
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        """The public page once it is live; until then the private preview."""
        if obj.is_public:
            return obj.get_absolute_url()
        return reverse("reviews:review-preview", kwargs={"slug": obj.slug})

    @admin.display(description="status", ordering="status")
    def status_now(self, obj):
        return obj.get_status_now_display()

    @admin.display(description="image")
    def thumbnail(self, obj):
        image = rendition(obj.hero_image, "thumb") or rendition(obj.film.poster, "thumb")
        if image is None:
            return ""
        return render_to_string("admin/reviews/review/_thumbnail.html", {"image": image})

    @admin.display(description="publish time", ordering="published_at")
    def publish_time(self, obj):
        if obj.published_at is None:
            return "—"
        # The day held together by no-break spaces: a narrow column wraps before the hour.
        return dates.date_and_time(obj.published_at).replace(" ", "\u00a0", 2)

    @admin.display(description="rating", ordering="rating")
    def stars(self, obj):
        return obj.get_rating_display() if obj.rating is not None else "—"

    # --- Workflow buttons on the form ------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        review = obj if obj is not None else Review()
        moves = policy.allowed_moves(review, request.user)
        context["workflow_buttons"] = [(move, MOVE_BUTTONS[move]) for move in moves]
        context["workflow_help"] = workflow_help(moves)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.move:
            self._make_move(request, form.instance, form.move, form.cleaned_data)

    def _make_move(self, request, review, move, cleaned_data):
        """The button's workflow move, after the form's edits are saved."""
        extra = {}
        if move == "schedule":
            extra["at"] = cleaned_data.get("published_at")
        if move == "send_back":
            extra["note"] = cleaned_data.get("editor_note", "")
        transition = getattr(workflow, move)
        try:
            transition(review, by=request.user, **extra)
        except workflow.TransitionError as exc:
            self.message_user(request, f"Your changes were saved, but: {exc}", messages.WARNING)
        else:
            self.message_user(request, f"“{review}” was {MOVE_DONE[move]}.", messages.SUCCESS)

    # --- Workflow actions ------------------------------------------------

    @admin.action(description="Submit selected reviews for editing")
    def submit_reviews(self, request, queryset):
        return self._transition(request, queryset, workflow.submit, "submitted for editing")

    @admin.action(description="Publish selected reviews now", permissions=["publish"])
    def publish_reviews(self, request, queryset):
        return self._transition(request, queryset, workflow.publish, "published")

    @admin.action(description="Schedule selected reviews…", permissions=["publish"])
    def schedule_reviews(self, request, queryset):
        return self._transition(request, queryset, workflow.schedule, "scheduled", ScheduleForm)

    @admin.action(
        description="Send selected reviews back to their authors…", permissions=["publish"]
    )
    def send_back_reviews(self, request, queryset):
        return self._transition(request, queryset, workflow.send_back, "sent back", SendBackForm)

    @admin.action(description="Unpublish selected reviews", permissions=["publish"])
    def unpublish_reviews(self, request, queryset):
        return self._transition(request, queryset, workflow.unpublish, "unpublished")

    def _transition(self, request, queryset, transition, done_words, form_class=None):
        """Ask for confirmation (and a time or note), then apply ``transition`` to each."""
        confirmed = request.POST.get("confirm") == "yes"
        form = None
        if form_class is not None:
            form = form_class(request.POST if confirmed else None)
        if confirmed and (form is None or form.is_valid()):
            extra = form.cleaned_data if form is not None else {}
            done = 0
            for review in queryset.select_related("author"):
                try:
                    transition(review, by=request.user, **extra)
                except (workflow.TransitionError, PermissionDenied) as exc:
                    self.message_user(request, str(exc), messages.WARNING)
                else:
                    done += 1
            if done:
                noun = "review was" if done == 1 else "reviews were"
                self.message_user(request, f"{done} {noun} {done_words}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Confirm: {self._action_title(request)}",
            "reviews": queryset.select_related("film", "author"),
            "action": request.POST.get("action", ""),
            "action_form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "done_words": done_words,
            "media": self.media + (form.media if form is not None else forms.Media()),
        }
        return TemplateResponse(request, "admin/reviews/review/workflow_confirm.html", context)

    def _action_title(self, request):
        name = request.POST.get("action", "")
        action = self.get_actions(request).get(name)
        return str(action[2]).rstrip("…") if action else "change status"

    # --- Revisions ---------------------------------------------------------

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="{}_{}_compare".format(*info),
        )
        suggestions = path(
            "tags/suggestions/",
            self.admin_site.admin_view(self.tag_suggestions_view),
            name="{}_{}_tag_suggestions".format(*info),
        )
        return [compare, suggestions, *self.live_preview_urls(), *super().get_urls()]

    @method_decorator(require_GET)
    def tag_suggestions_view(self, request):
        """Existing tags starting with what the editor has typed, for the tags field."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        typed = " ".join(request.GET.get("q", "").split())[:100]
        names = []
        if len(typed) >= 2:
            names = list(
                Tag.objects.filter(name__istartswith=typed)
                .order_by("name")
                .values_list("name", flat=True)[:10]
            )
        return JsonResponse({"tags": names})

    def history_view(self, request, object_id, extra_context=None):
        # Authors see the history of their own reviews only.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("No such review.")
        response = super().history_view(request, object_id, extra_context)
        # django-reversion links each entry to its version; the comparison form
        # needs the version's id on its own, which ends that link.
        for entry in response.context_data.get("action_list", []):
            entry["version_id"] = int(entry["url"].rstrip("/").rsplit("/", 1)[1])
        return response

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if not policy.can_edit_any(request.user):
            raise PermissionDenied
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not policy.can_edit_any(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not policy.can_edit_any(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def compare_view(self, request, object_id):
        """Two versions of one review side by side, field by field."""
        review = self.get_object(request, unquote(object_id))
        if review is None:
            raise Http404("No such review.")
        versions = Version.objects.get_for_object(review).select_related("revision__user")
        chosen = [request.GET.get("old"), request.GET.get("new")]
        if not all(v and v.isascii() and v.isdigit() and len(v) < 19 for v in chosen):
            raise Http404("Pick two versions to compare.")
        old = get_object_or_404(versions, pk=chosen[0])
        new = get_object_or_404(versions, pk=chosen[1])
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": review,
            "title": f"Compare versions of “{review}”",
            "old": old,
            "new": new,
            "changes": [row for row in compare_versions(old, new) if row["changed"]],
            "can_restore": policy.can_edit_any(request.user),
        }
        return TemplateResponse(request, "admin/reviews/review/review_compare.html", context)


@admin.register(CriticQuote)
class CriticQuoteAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["short_quote", "critic", "publication", "review", "film"]
    list_filter = [("review__film", admin.RelatedOnlyFieldListFilter), "created_at"]
    list_select_related = ["review", "film"]
    search_fields = ["quote", "critic", "publication", "review__headline", "film__title"]
    autocomplete_fields = ["review", "film"]
    date_hierarchy = "created_at"

    @admin.display(description="quote")
    def short_quote(self, obj):
        return obj.quote if len(obj.quote) <= 80 else f"{obj.quote[:79]}…"
