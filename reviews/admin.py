from adminsortable2.admin import SortableAdminBase, SortableInlineAdminMixin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import Truncator
from reversion.admin import VersionAdmin
from reversion.models import Version

from filmblog.security import CSPNonceMediaMixin
from people.admin import thumbnail
from people.models import AuthorProfile
from reviews import contributions, workflow
from reviews.models import (
    Comment,
    Country,
    Credit,
    CriticQuote,
    Film,
    Genre,
    Rating,
    Release,
    Review,
)
from reviews.revisions import compare_versions


class UsedByFilmsFilter(admin.SimpleListFilter):
    title = "use"
    parameter_name = "used"

    def lookups(self, request, model_admin):
        return [("yes", "Used by films"), ("no", "Not used yet")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(films__isnull=False).distinct()
        if self.value() == "no":
            return queryset.filter(films__isnull=True)
        return queryset


class FilmCountMixin:
    """A "films" column, counted in the changelist query rather than per row."""

    # Set explicitly: the annotated count would otherwise drop Meta.ordering.
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(film_count=Count("films"))

    @admin.display(description="films", ordering="film_count")
    def film_count(self, obj):
        return obj.film_count


@admin.register(Country)
class CountryAdmin(FilmCountMixin, admin.ModelAdmin):
    list_display = ["name", "code", "film_count"]
    list_filter = [UsedByFilmsFilter]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "created_at"


class GenreLevelFilter(admin.SimpleListFilter):
    title = "level"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("top", "Genres"), ("sub", "Sub-genres")]

    def queryset(self, request, queryset):
        if self.value() == "top":
            return queryset.filter(parent__isnull=True)
        if self.value() == "sub":
            return queryset.filter(parent__isnull=False)
        return queryset


@admin.register(Genre)
class GenreAdmin(FilmCountMixin, admin.ModelAdmin):
    list_display = ["name", "parent", "film_count"]
    list_filter = [GenreLevelFilter, ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "parent__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    date_hierarchy = "created_at"


class CreditInline(admin.TabularInline):
    model = Credit
    fields = ["person", "role", "character", "order"]
    autocomplete_fields = ["person"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class ReleaseInline(admin.TabularInline):
    model = Release
    fields = ["country", "date", "kind", "note"]
    autocomplete_fields = ["country"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


class FilmCriticQuoteInline(SortableInlineAdminMixin, admin.StackedInline):
    model = CriticQuote
    fk_name = "film"
    fields = ["quote", "critic", "publication", "url"]
    extra = 0
    verbose_name = "critic quote about the film"
    verbose_name_plural = "The Critics Say (about the film, shown when a review has none)"


class DecadeFilter(admin.SimpleListFilter):
    title = "decade"
    parameter_name = "decade"

    def lookups(self, request, model_admin):
        decades = sorted(
            {year // 10 * 10 for year in model_admin.model.objects.values_list("year", flat=True)},
            reverse=True,
        )
        return [(str(d), f"{d}s") for d in decades]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            start = int(self.value())
            return queryset.filter(year__gte=start, year__lt=start + 10)
        return queryset


@admin.register(Film)
class FilmAdmin(SortableAdminBase, admin.ModelAdmin):
    # Set explicitly: the annotated count would otherwise drop Meta.ordering.
    ordering = ["title", "year"]
    list_display = [
        "title",
        "poster_thumbnail",
        "year",
        "directors",
        "runtime",
        "certification",
        "review_count",
    ]
    list_display_links = ["title", "poster_thumbnail"]
    list_filter = [
        DecadeFilter,
        "certification",
        ("genres", admin.RelatedOnlyFieldListFilter),
        ("countries", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "original_title", "slug", "=year"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["countries", "genres"]
    date_hierarchy = "created_at"
    inlines = [CreditInline, ReleaseInline, FilmCriticQuoteInline]
    fieldsets = [
        (None, {"fields": ["title", "original_title", "slug", "year", "runtime"]}),
        ("Classification", {"fields": ["genres", "countries", "certification"]}),
        (None, {"fields": ["synopsis", "poster"]}),
    ]

    def get_queryset(self, request):
        directors = Credit.objects.filter(role=Credit.Role.DIRECTOR).select_related("person")
        return (
            super()
            .get_queryset(request)
            .annotate(review_count=Count("reviews", distinct=True))
            .prefetch_related(Prefetch("credits", queryset=directors, to_attr="director_credits"))
        )

    def get_search_results(self, request, queryset, search_term):
        # A search for a person's name finds their films too ("Audiard").
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            by_person = self.model.objects.filter(
                credits__person__name__icontains=search_term
            ).values("pk")
            queryset |= self.get_queryset(request).filter(pk__in=by_person)
        return queryset, may_have_duplicates

    @admin.display(description="poster")
    def poster_thumbnail(self, obj):
        return thumbnail(obj.poster, f"Poster of {obj.title}", size=40)

    @admin.display(description="director(s)")
    def directors(self, obj):
        return ", ".join(credit.person.name for credit in obj.director_credits) or "—"

    @admin.display(description="reviews", ordering="review_count")
    def review_count(self, obj):
        return obj.review_count


@admin.register(Credit)
class CreditAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "film", "character", "order"]
    list_filter = ["role", "created_at"]
    list_select_related = ["person", "film"]
    search_fields = ["person__name", "film__title", "character"]
    autocomplete_fields = ["person", "film"]
    date_hierarchy = "created_at"


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["film", "country", "date", "kind", "note"]
    list_filter = ["kind", ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["film", "country"]
    search_fields = ["film__title", "country__name", "note"]
    autocomplete_fields = ["film", "country"]
    date_hierarchy = "date"


class ReviewCriticQuoteInline(SortableInlineAdminMixin, admin.StackedInline):
    model = CriticQuote
    fk_name = "review"
    fields = ["quote", "critic", "publication", "url"]
    extra = 0
    verbose_name_plural = "The Critics Say (drag to reorder)"

    # Quotes on a review go with the review: whoever may change the review may
    # change its quotes, without holding permissions on every critic quote.
    def _review_admin(self):
        return self.admin_site._registry[Review]

    def has_view_permission(self, request, obj=None):
        return self._review_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._review_admin().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._review_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._review_admin().has_change_permission(request, obj)


class ReviewAdminForm(forms.ModelForm):
    """The review form, with a hidden version number to catch conflicting edits."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Review
        # The admin narrows this to the fields of its fieldsets.
        fields = [
            "film",
            "headline",
            "slug",
            "author",
            "standfirst",
            "body",
            "rating",
            "tags",
            "hero_image",
            "hero_image_alt",
            "status",
            "published_at",
            "featured",
            "editor_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["edit_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        stored = Review.objects.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            # The admin saves inside a transaction: lock the row so that two
            # saves arriving together are checked one after the other.
            stored = stored.select_for_update()
        current = stored.values_list("version", flat=True).first()
        if current is not None and cleaned_data.get("edit_version") != current:
            # The page now carries the newest version number: saving again is a
            # deliberate choice to replace the other person's changes.
            self.data = self.data.copy()
            self.data[self.add_prefix("edit_version")] = current
            raise forms.ValidationError(
                "Someone else saved this review while you were editing it. Your changes "
                "are kept below but were not saved. Open the history in another tab to "
                "see what they changed, then save again to replace their version with "
                "yours.",
                code="edit_conflict",
            )
        return cleaned_data


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label="Publish at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text="In the site's time zone. The review appears by itself at this time.",
    )

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at <= timezone.now():
            raise forms.ValidationError("Pick a time in the future.")
        return at


class SendBackForm(forms.Form):
    note = forms.CharField(
        label="Note to the author",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        help_text="What should change before the review can be published.",
    )


# Fields only an editor sets; an author sees them read-only, and save_model
# keeps the stored values whatever a crafted POST contains.
EDITOR_ONLY_FIELDS = [
    "author",
    "status",
    "published_at",
    "featured",
    "comments_open",
    "editor_note",
]
# An author may change their own review until it is scheduled or published.
AUTHOR_EDITABLE_STATUSES = [
    Review.Status.DRAFT,
    Review.Status.SUBMITTED,
    Review.Status.UNPUBLISHED,
]


@admin.register(Review)
class ReviewAdmin(CSPNonceMediaMixin, SortableAdminBase, VersionAdmin):
    form = ReviewAdminForm
    list_display = ["headline", "film", "author", "status", "stars", "published_at", "featured"]
    list_filter = ["status", "featured", "rating", "author", "tags"]
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
        ("Image", {"fields": ["hero_image", "hero_image_alt"], "classes": ["collapse"]}),
        (
            "Publishing",
            {"fields": ["status", "published_at", "featured", "comments_open", "editor_note"]},
        ),
    ]
    actions = [
        "submit_reviews",
        "publish_reviews",
        "schedule_reviews",
        "send_back_reviews",
        "unpublish_reviews",
    ]
    object_history_template = "admin/reviews/review/review_history.html"

    # --- Who sees and changes what ---------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if workflow.can_edit_any(request.user):
            return queryset
        return queryset.filter(author__user=request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or self._may_edit(request, obj)

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def _may_edit(self, request, obj):
        if workflow.can_edit_any(request.user):
            return True
        return workflow.is_own(obj, request.user) and obj.status in AUTHOR_EDITABLE_STATUSES

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not workflow.can_publish(request.user):
            readonly += EDITOR_ONLY_FIELDS
        return readonly

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Bulk delete skips the per-review check; authors delete one at a time.
        if not workflow.can_edit_any(request.user):
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
        if obj is None and "author" in form.base_fields:
            field = form.base_fields["author"]
            field.required = False
            field.help_text = "Leave empty to sign the review yourself."
        return form

    def save_model(self, request, obj, form, change):
        if not workflow.can_publish(request.user):
            if change:
                stored = Review.objects.get(pk=obj.pk)
                for name in EDITOR_ONLY_FIELDS:
                    setattr(obj, name, getattr(stored, name))
            else:
                obj.author = AuthorProfile.objects.for_user(request.user)
                obj.status = Review.Status.DRAFT
                obj.published_at = None
                obj.featured = False
                obj.editor_note = ""
        elif not obj.author_id:
            obj.author = AuthorProfile.objects.for_user(request.user)
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        """The public page once it is live; until then the private preview."""
        if obj.is_public:
            return obj.get_absolute_url()
        return reverse("reviews:review-preview", kwargs={"slug": obj.slug})

    @admin.display(description="rating", ordering="rating")
    def stars(self, obj):
        return obj.get_rating_display() if obj.rating is not None else "—"

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
        return [compare, *super().get_urls()]

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
        if not workflow.can_edit_any(request.user):
            raise PermissionDenied
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not workflow.can_edit_any(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not workflow.can_edit_any(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def compare_view(self, request, object_id):
        """Two versions of one review side by side, field by field."""
        review = self.get_object(request, unquote(object_id))
        if review is None:
            raise Http404("No such review.")
        versions = Version.objects.get_for_object(review).select_related("revision__user")
        chosen = [request.GET.get("old"), request.GET.get("new")]
        if not all(v and v.isdigit() for v in chosen):
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
            "can_restore": workflow.can_edit_any(request.user),
        }
        return TemplateResponse(request, "admin/reviews/review/review_compare.html", context)


@admin.register(CriticQuote)
class CriticQuoteAdmin(admin.ModelAdmin):
    list_display = ["short_quote", "critic", "publication", "review", "film"]
    list_filter = [("review__film", admin.RelatedOnlyFieldListFilter), "created_at"]
    list_select_related = ["review", "film"]
    search_fields = ["quote", "critic", "publication", "review__headline", "film__title"]
    autocomplete_fields = ["review", "film"]
    date_hierarchy = "created_at"

    @admin.display(description="quote")
    def short_quote(self, obj):
        return obj.quote if len(obj.quote) <= 80 else f"{obj.quote[:79]}…"


# --- Reader contributions ---------------------------------------------------------


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
        changed = contributions.moderate(queryset, status=status, by=request.user)
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
    search_fields = ["name", "email", "text", "review__headline"]
    date_hierarchy = "created_at"
    actions = [
        _moderate_action(Comment.Status.APPROVED, "approved"),
        _moderate_action(Comment.Status.REJECTED, "rejected"),
        _moderate_action(Comment.Status.SPAM, "as spam"),
    ]
    fields = ["review", "parent", "name", "email", "text", "status", "created_at"]
    readonly_fields = ["review", "parent", "name", "email", "text", "created_at"]

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
            contributions.moderate(
                Comment.objects.filter(pk=obj.pk), status=status, by=request.user
            )
            self.message_user(request, f"Comment marked {obj.get_status_display().lower()}.")
            return
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        contributions.delete_comments(Comment.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        contributions.delete_comments(queryset)


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
