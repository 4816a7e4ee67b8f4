"""The catalogue: countries, genres, films, their releases and credits."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.utils.text import slugify
from django_countries import countries
from django_countries.fields import CountryField

from core import dates, external_ids, links
from core.fields import FocusField, SafeImageField
from core.models import SearchAndSocial, Timestamped
from core.slugs import unique_slug
from people.models import Person
from reviews.models.choices import CreditRole, ReleaseKind


class CountryQuerySet(models.QuerySet):
    def add_missing(self):
        """
        Create a row for each country of django-countries' ISO 3166 list that
        has none (migrations seed them; the demo brings them back after a
        flush). Existing rows, and the names editors gave them, are left alone.
        """
        existing = set(self.values_list("code", flat=True))
        return self.bulk_create(
            self.model(code=country.code, name=str(country.name), slug=slugify(str(country.name)))
            for country in countries
            if country.code not in existing
        )


class Country(Timestamped):
    """An ISO 3166-1 country; the full list is loaded by a migration."""

    code = CountryField("ISO code", unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=110, unique=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return links.url("reviews:country-detail", self.slug)


class Genre(Timestamped):
    """A genre, or a sub-genre when it has a parent (Drama › Inspirational Drama)."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=110, unique=True, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subgenres",
        limit_choices_to={"parent__isnull": True},
        help_text="Set this to make a sub-genre (for example Drama for Inspirational Drama).",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="genre_unique_top_level_name",
                violation_error_message="A genre with this name already exists.",
            ),
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="genre_unique_name_within_parent",
                violation_error_message="This genre already has a sub-genre with this name.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="genre_not_own_parent",
                violation_error_message="A genre cannot be its own sub-genre.",
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self):
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": "Sub-genres go one level deep: pick a top genre."})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, *self.slug_candidates())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return links.url("reviews:genre-detail", self.slug)

    def slug_candidates(self):
        """What its slug is made from (core/slugs.py): the name, then with its parent's."""
        parent_name = self.parent.name if self.parent_id else ""
        return [self.name, f"{parent_name} {self.name}"]


class Certification(models.TextChoices):
    G = "G", "G – General audiences"
    PG = "PG", "PG – Parental guidance suggested"
    PG_13 = "PG-13", "PG-13 – Parents strongly cautioned"
    R = "R", "R – Restricted"
    NC_17 = "NC-17", "NC-17 – Adults only"
    NR = "NR", "NR – Not rated"


# What facts_prefetches(lean=True) loads of a credit and its person.
LEAN_CREDIT_COLUMNS = (
    "film",
    "person",
    "role",
    "order",
    "character",
    "person__name",
    "person__slug",
)


def facts_prefetches(through="", *, lean=False):
    """
    What the facts box and credits list read, for prefetch_related(): the
    credits with their people, genres with their parents, countries, and
    releases with their countries. ``through`` reaches the film from another
    model ("film__" from a review). ``lean`` loads of each credit and its
    person only what a credits list shows (role, billing, character; the
    person's name and slug), for lists of a hundred films.
    """
    # One film's credits: their own order, without Credit's ordering by film,
    # which would join the films table to sort by title.
    credits = Credit.objects.select_related("person").order_by("role", "order", "pk")
    if lean:
        credits = credits.only(*LEAN_CREDIT_COLUMNS)
    return [
        Prefetch(f"{through}credits", queryset=credits),
        Prefetch(f"{through}genres", queryset=Genre.objects.select_related("parent")),
        f"{through}countries",
        Prefetch(f"{through}releases", queryset=Release.objects.select_related("country")),
    ]


def favourite_slugs(through=""):
    """
    Annotations naming the catalogue pages of an author's favourites, for
    annotate(): ``favourite_film_slug``, the film whose title is the favourite
    film as written (the earliest, for a title made twice), and
    ``favourite_director_slug``, the person of that name (one who directs
    first); None where the catalogue has no match. ``through`` reaches the
    AuthorProfile from another model ("author__" from a review). Two subqueries
    in the page's own query, on the title and name indexes: no query of their own.
    """
    films = Film.objects.filter(title=OuterRef(f"{through}favourite_film")).order_by("year", "pk")
    directs = Exists(
        Credit.objects.filter(person=OuterRef("pk"), role=CreditRole.DIRECTOR).order_by()
    )
    people = Person.objects.filter(name=OuterRef(f"{through}favourite_director")).order_by(
        directs.desc(), "pk"
    )
    return {
        "favourite_film_slug": Subquery(films.values("slug")[:1]),
        "favourite_director_slug": Subquery(people.values("slug")[:1]),
    }


class FilmQuerySet(models.QuerySet):
    def with_facts(self):
        """What the facts box and credits list read: four queries, however many credits."""
        return self.prefetch_related(*facts_prefetches())


class Film(SearchAndSocial, Timestamped):
    """The canonical record of a film, shared by every review of it."""

    title = models.CharField(max_length=200)
    original_title = models.CharField(
        max_length=200, blank=True, help_text='Shown as "aka" when it differs from the title.'
    )
    original_language = models.CharField(
        max_length=12,
        blank=True,
        validators=[
            RegexValidator(
                r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", "A language tag such as fr or pt-BR."
            )
        ],
        help_text="The original title's language, as a tag (fr, de, pt-BR), so that screen "
        "readers pronounce it.",
    )
    slug = models.SlugField(
        max_length=220,
        unique=True,
        blank=True,
        help_text="Leave empty to build it from the title (and the year if the title is taken).",
    )
    year = models.PositiveSmallIntegerField(help_text="Year of first release.")
    runtime = models.PositiveSmallIntegerField(
        "runtime (minutes)", null=True, blank=True, help_text="In minutes."
    )
    countries = models.ManyToManyField(Country, blank=True, related_name="films")
    genres = models.ManyToManyField(
        Genre,
        blank=True,
        related_name="films",
        help_text="Genres and sub-genres. A sub-genre is enough: its parent genre lists it too.",
    )
    certification = models.CharField(
        max_length=5, choices=Certification.choices, default=Certification.NR
    )
    synopsis = models.TextField(blank=True)
    poster = SafeImageField(upload_to="posters/", blank=True)
    poster_focus_x = FocusField("focal point, across")
    poster_focus_y = FocusField("focal point, down")
    tmdb_id = external_ids.tmdb_id_field()
    imdb_id = external_ids.imdb_id_field("film")
    wikidata_id = external_ids.wikidata_id_field()

    objects = FilmQuerySet.as_manager()

    # On PostgreSQL the table also has a search_vector column, not a field here:
    # the search app's triggers fill it from the titles, synopsis and credits.

    class Meta:
        ordering = ["title", "year"]
        get_latest_by = "created_at"
        indexes = [
            models.Index(fields=["year", "title"], name="film_year_title_idx"),
            models.Index(fields=["title"], name="film_title_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__range=(1870, 2100)),
                name="film_year_plausible",
                violation_error_message="Year must be between 1870 and 2100.",
            ),
            models.CheckConstraint(
                condition=Q(runtime__isnull=True) | Q(runtime__range=(1, 1500)),
                name="film_runtime_positive",
                violation_error_message="Runtime is in minutes, between 1 and 1500.",
            ),
            models.CheckConstraint(
                condition=Q(certification__in=Certification.values),
                name="film_certification_valid",
            ),
            *external_ids.unique_when_set("film"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, *self.slug_candidates())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return links.url("reviews:film-detail", self.slug)

    def slug_candidates(self):
        """What its slug is made from (core/slugs.py), by the admin and the importer alike."""
        return [self.title, f"{self.title} {self.year}"]

    def external_links(self):
        """[(label, address)] of this film in TMDB, IMDb and Wikidata."""
        return external_ids.links(self, "film")

    @property
    def aka(self):
        """The original title, when it says something the title does not."""
        if self.original_title and self.original_title.casefold() != self.title.casefold():
            return self.original_title
        return ""

    # The helpers below read what FilmQuerySet.with_facts() or
    # ReviewQuerySet.for_page() prefetched, so a page can ask for directors,
    # crew and cast without another query.

    def _credits(self, role):
        return [credit for credit in self.credits.all() if credit.role == role]

    @property
    def directors(self):
        return [credit.person for credit in self._credits(Credit.Role.DIRECTOR)]

    @property
    def top_cast(self):
        """The top-billed cast, as a facts box shows them."""
        return self._credits(Credit.Role.CAST)[:TOP_BILLED]

    def facts_crew(self):
        """The facts box's crew lines: [("Director", [person]), ("Writers", [...]), ...]."""
        lines = []
        for role in (Credit.Role.DIRECTOR, Credit.Role.WRITER, Credit.Role.CINEMATOGRAPHER):
            people = [credit.person for credit in self._credits(role)]
            if people:
                lines.append((role.label if len(people) == 1 else f"{role.label}s", people))
        return lines

    def credit_groups(self):
        """Full credits as [(heading, [credit, ...])], crew in the usual order, cast last."""
        groups = []
        for role in Credit.Role:
            credits = self._credits(role)
            if credits:
                label = (
                    role.label
                    if len(credits) == 1 or role == Credit.Role.CAST
                    else (f"{role.label}s")
                )
                groups.append((label, credits))
        return groups

    def genre_lines(self):
        """Genres with their sub-genres: ["Drama › Inspirational Drama", "Crime"]."""
        genres = list(self.genres.all())
        chosen = {genre.pk for genre in genres}
        subgenres = {}
        for genre in genres:
            if genre.parent_id:
                subgenres.setdefault(genre.parent_id, []).append(genre)
        lines = []
        for genre in genres:
            if genre.parent_id is None:
                lines.append((genre, subgenres.pop(genre.pk, [])))
        # A sub-genre whose parent the editor did not tick still shows its parent.
        for children in subgenres.values():
            parent = children[0].parent
            if parent.pk not in chosen:
                lines.append((parent, children))
        return lines


TOP_BILLED = 5


class Release(Timestamped):
    """A film's release in one country: 'Nov 23, 2012 (United States – Limited)'."""

    Kind = ReleaseKind

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="releases")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="releases")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.WIDE)
    note = models.CharField(
        max_length=100, blank=True, help_text="For example the festival's name."
    )

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["film", "date"], name="release_film_date_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "country", "kind", "date"],
                name="release_unique_per_film_country_kind_date",
                violation_error_message="This release is already recorded.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReleaseKind.values),
                name="release_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{dates.long_date(self.date)} ({self.country} – {self.get_kind_display()})"


class CreditQuerySet(models.QuerySet):
    def cast(self):
        return self.filter(role=Credit.Role.CAST)

    def crew(self):
        return self.exclude(role=Credit.Role.CAST)

    def in_credit_order(self):
        """Director, writers, the other crew, then the cast by billing."""
        rank = models.Case(
            models.When(role=CreditRole.DIRECTOR, then=0),
            models.When(role=CreditRole.WRITER, then=1),
            models.When(role=CreditRole.CAST, then=3),
            default=2,
        )
        return self.alias(rank=rank).order_by("rank", "order", "role", "pk")


class Credit(Timestamped):
    """One person's part in one film. A person may hold several (director and writer)."""

    Role = CreditRole

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credits")
    role = models.CharField(max_length=20, choices=Role.choices)
    character = models.CharField(
        max_length=200, blank=True, help_text="Cast only: the character's name."
    )
    order = models.PositiveSmallIntegerField(
        "billing order", default=0, help_text="Lower comes first; for cast, the billing order."
    )

    objects = CreditQuerySet.as_manager()

    class Meta:
        ordering = ["film", "role", "order", "pk"]
        indexes = [
            models.Index(fields=["film", "role", "order"], name="credit_film_role_order_idx"),
            models.Index(fields=["person", "role"], name="credit_person_role_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "person", "role", "character"],
                name="credit_unique_person_role_per_film",
                violation_error_message="This person already has this credit on this film.",
            ),
            models.CheckConstraint(
                condition=Q(role=CreditRole.CAST) | Q(character=""),
                name="credit_character_only_for_cast",
                violation_error_message="Only cast credits have a character name.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=CreditRole.values),
                name="credit_role_valid",
            ),
        ]

    def __str__(self):
        if self.role == self.Role.CAST and self.character:
            return f"{self.person} as {self.character} in {self.film}"
        return f"{self.person}, {self.get_role_display().lower()} of {self.film}"
