"""The desk's catalogue pages: countries, genres, films, credits and releases."""

from adminsortable2.admin import SortableAdminBase, SortableInlineAdminMixin
from django.contrib import admin
from django.db import transaction
from django.db.models import Count, Prefetch

from core.autocomplete import SafeAutocompleteMixin
from core.fields import FocusPickerAdminMixin
from people.admin import thumbnail
from reviews.admin.importing import FilmImportMixin
from reviews.admin.new_entries import (
    AutocompleteManyOrNew,
    AutocompleteOrNew,
    GenresOrNewField,
    PersonOrNewField,
)
from reviews.admin.social import SocialCardMixin, search_and_social_fieldset
from reviews.models import (
    Country,
    Credit,
    CriticQuote,
    Film,
    Genre,
    Release,
)


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
class GenreAdmin(SafeAutocompleteMixin, FilmCountMixin, admin.ModelAdmin):
    list_display = ["name", "parent", "film_count"]
    list_filter = [GenreLevelFilter, ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "parent__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    date_hierarchy = "created_at"


class CreditInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Credit
    fields = ["person", "role", "character", "order"]
    autocomplete_fields = ["person"]
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Someone not in the catalogue yet is added from the row (new_entries.py),
        # by those who may add people.
        if db_field.name == "person" and request.user.has_perm("people.add_person"):
            kwargs["widget"] = AutocompleteOrNew(
                db_field, self.admin_site, using=kwargs.get("using")
            )
            return db_field.formfield(form_class=PersonOrNewField, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person").in_credit_order()


class ReleaseInline(SafeAutocompleteMixin, admin.TabularInline):
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
        if self.value() and self.value().isascii() and self.value().isdigit():
            start = int(self.value())
            return queryset.filter(year__gte=start, year__lt=start + 10)
        return queryset


@admin.register(Film)
class FilmAdmin(
    SafeAutocompleteMixin,
    FocusPickerAdminMixin,
    SocialCardMixin,
    FilmImportMixin,
    SortableAdminBase,
    admin.ModelAdmin,
):
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
    search_fields = ["title", "original_title", "slug", "=year", "=imdb_id", "=wikidata_id"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["countries", "genres"]
    date_hierarchy = "created_at"
    inlines = [CreditInline, ReleaseInline, FilmCriticQuoteInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "original_title",
                    "original_language",
                    "slug",
                    "year",
                    "runtime",
                ]
            },
        ),
        ("Classification", {"fields": ["genres", "countries", "certification"]}),
        (None, {"fields": ["synopsis", "poster", ("poster_focus_x", "poster_focus_y")]}),
        ("External ids", {"fields": ["tmdb_id", "imdb_id", "wikidata_id"]}),
        search_and_social_fieldset(title_field="title", description_field="synopsis"),
    ]
    social_fallbacks = ("title", "synopsis", "poster", "poster")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # A genre the site does not have yet is added from the film form
        # (new_entries.py), by those who may add genres.
        if db_field.name == "genres" and request.user.has_perm("reviews.add_genre"):
            kwargs["widget"] = AutocompleteManyOrNew(
                db_field, self.admin_site, using=kwargs.get("using")
            )
            return db_field.formfield(form_class=GenresOrNewField, **kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # People and genres added from the form are written while it is checked
        # (new_entries.py): a form that comes back with errors keeps none of them.
        with transaction.atomic():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if request.method == "POST" and response.status_code == 200:
                transaction.set_rollback(True)
        return response

    class Media:
        js = ["js/desk-social-card.js"]

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
class CreditAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["person", "role", "film", "character", "order"]
    list_filter = ["role", "created_at"]
    list_select_related = ["person", "film"]
    search_fields = ["person__name", "film__title", "character"]
    autocomplete_fields = ["person", "film"]
    date_hierarchy = "created_at"


@admin.register(Release)
class ReleaseAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["film", "country", "date", "kind", "note"]
    list_filter = ["kind", ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["film", "country"]
    search_fields = ["film__title", "country__name", "note"]
    autocomplete_fields = ["film", "country"]
    date_hierarchy = "date"
