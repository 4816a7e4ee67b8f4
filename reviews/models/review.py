"""Reviews and the critic quotes on them."""

import functools
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import models
from django.db.models import DEFERRED, OuterRef, Q
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from filmblog import links
from filmblog.expressions import JSONList, JSONTextObject
from people.fields import HttpsURLField
from people.images import SafeImageField
from people.models import AuthorProfile, Person, Timestamped
from people.slugs import unique_slug
from reviews.models.catalogue import Country, Credit, Film, Genre, Release

# What an editor may use in a review body; the same list decides what the
# sanitiser keeps, so pasted HTML cannot smuggle in anything else.
REVIEW_BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False},
    "History": True,
}

# 0.0, 0.5, ... 5.0 as Decimals with one place, so "4.0" from a form matches.
RATING_VALUES = [(Decimal(half) / 2).quantize(Decimal("0.1")) for half in range(11)]
RATING_CHOICES = [
    (value, "★" * int(value) + ("½" if value % 1 else "") or "No stars") for value in RATING_VALUES
]

# Review columns only reviews/contributions.py writes.
READER_COUNTERS = {"rating_count", "rating_total", "like_count", "comment_count"}


class ReviewQuerySet(models.QuerySet):
    def published(self, at=None):
        """What a reader may see: published or scheduled, and its time (or ``at``) has come."""
        return self.filter(
            status__in=PUBLIC_STATUSES,
            published_at__lte=at or timezone.now(),
        )

    def for_cards(self):
        """What a review card shows: the film (title, year, poster) and the author."""
        return self.select_related("film", "author").defer("body")

    def for_page(self):
        """
        Everything a review page shows but the comments, in one query: the film
        and the author joined, and as JSON columns the film's genres, countries,
        releases and credits, the critic quotes, the tags and the reviews for
        "More by". unpack_page() turns the columns into objects. Against a query
        for each list, this saves most of the page's database time and the ORM
        work of building and compiling eight querysets.
        """
        film = OuterRef("film")
        film_directors = Credit.objects.filter(film=OuterRef(film), role=Credit.Role.DIRECTOR)
        return self.select_related("film", "author").annotate(
            page_genres=JSONList.of(
                Genre.objects.filter(films=film),
                id="id",
                name="name",
                slug="slug",
                parent_id="parent_id",
                parent=JSONTextObject(id="parent__id", name="parent__name", slug="parent__slug"),
            ),
            page_countries=JSONList.of(
                Country.objects.filter(films=film), id="id", code="code", name="name", slug="slug"
            ),
            page_releases=JSONList.of(
                Release.objects.filter(film=film),
                id="id",
                film_id="film_id",
                country_id="country_id",
                date="date",
                kind="kind",
                note="note",
                country=JSONTextObject(
                    id="country__id",
                    code="country__code",
                    name="country__name",
                    slug="country__slug",
                ),
            ),
            page_credits=JSONList.of(
                Credit.objects.filter(film=film),
                id="id",
                film_id="film_id",
                person_id="person_id",
                role="role",
                character="character",
                order="order",
                person=JSONTextObject(id="person__id", name="person__name", slug="person__slug"),
            ),
            page_quotes=JSONList.of(
                CriticQuote.objects.filter(review=OuterRef("pk")),
                id="id",
                review_id="review_id",
                quote="quote",
                critic="critic",
                publication="publication",
                url="url",
                order="order",
            ),
            page_tags=JSONList.of(
                TaggedItem.objects.filter(
                    content_type__app_label=self.model._meta.app_label,
                    content_type__model=self.model._meta.model_name,
                    object_id=OuterRef("pk"),
                ),
                id="tag__id",
                name="tag__name",
                slug="tag__slug",
            ),
            # "More by": every review of another film by one of this film's
            # directors, whatever its status; unpack_page() keeps the public ones
            # (the time that decides it cannot be part of SQL compiled once).
            page_more_by=JSONList.of(
                Credit.objects.filter(
                    role=Credit.Role.DIRECTOR,
                    person__in=film_directors.values("person"),
                    film__reviews__isnull=False,
                ).exclude(film=film),
                director_id="person_id",
                review=JSONTextObject(
                    id="film__reviews__id",
                    film_id="film_id",
                    author_id="film__reviews__author_id",
                    headline="film__reviews__headline",
                    slug="film__reviews__slug",
                    standfirst="film__reviews__standfirst",
                    status="film__reviews__status",
                    published_at="film__reviews__published_at",
                ),
                film=JSONTextObject(
                    id="film__id",
                    title="film__title",
                    slug="film__slug",
                    year="film__year",
                    poster="film__poster",
                ),
            ),
        )


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


# The statuses a reader may see once their publish time has come.
PUBLIC_STATUSES = [ReviewStatus.PUBLISHED, ReviewStatus.SCHEDULED]


class Review(Timestamped):
    """One piece of writing about one film."""

    Status = ReviewStatus

    film = models.ForeignKey(Film, on_delete=models.PROTECT, related_name="reviews")
    author = models.ForeignKey(AuthorProfile, on_delete=models.PROTECT, related_name="reviews")
    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=220,
        unique=True,
        blank=True,
        help_text="The review's address. Leave empty to build it from the headline.",
    )
    standfirst = models.TextField(
        blank=True, max_length=1000, help_text="The short summary shown under the headline."
    )
    body = ProseEditorField(extensions=REVIEW_BODY_EXTENSIONS, sanitize=True, blank=True)
    rating = models.DecimalField(
        "editorial rating",
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        choices=RATING_CHOICES,
        help_text="0 to 5 stars in halves. Leave empty for an unrated piece.",
    )
    tags = TaggableManager(blank=True)
    hero_image = SafeImageField(upload_to="reviews/", blank=True)
    hero_image_alt = models.CharField(
        "hero image description",
        max_length=200,
        blank=True,
        help_text="What the image shows, for readers who cannot see it.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text="When the review goes (or went) public. A future time schedules it.",
    )
    featured = models.BooleanField(default=False, help_text="Feature on the home page.")
    editor_note = models.TextField(
        "note from the editor",
        blank=True,
        help_text="Why the review was sent back to its author; cleared when it is resubmitted.",
    )
    # Bumped on every save; the admin form carries it to catch two people
    # editing the same review at once (see reviews.admin.ReviewAdminForm).
    version = models.PositiveIntegerField(default=1, editable=False)
    comments_open = models.BooleanField(
        default=True, help_text="Untick to stop new reader comments; approved ones stay visible."
    )
    # Reader contributions, kept up to date by reviews/contributions.py so a page
    # view never counts rows. The rating total is in half stars (4.5 stars = 9).
    rating_count = models.PositiveIntegerField("reader ratings", default=0, editable=False)
    rating_total = models.PositiveIntegerField(
        "reader ratings total (half stars)", default=0, editable=False
    )
    like_count = models.PositiveIntegerField("likes", default=0, editable=False)
    comment_count = models.PositiveIntegerField("approved comments", default=0, editable=False)

    objects = ReviewQuerySet.as_manager()

    # On PostgreSQL the table also has a search_vector column, not a field here:
    # triggers fill it from the review's words and its film (filmblog/search.py).

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        # Checked with user.has_perm(); the Editors group holds both.
        permissions = [
            ("publish_review", "Can publish, schedule and unpublish reviews"),
            ("edit_any_review", "Can edit reviews by any author"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="review_status_pub_idx"),
            # What readers see, newest first: the home page and feeds read it in
            # order and stop after a page, however many reviews there are.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status__in=PUBLIC_STATUSES),
                name="review_public_newest_idx",
            ),
            models.Index(fields=["film", "status"], name="review_film_status_idx"),
            models.Index(fields=["author", "status"], name="review_author_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__in=RATING_VALUES),
                name="review_rating_half_stars",
                violation_error_message="The rating is 0 to 5 stars in halves.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATUSES) | Q(published_at__isnull=False),
                name="review_published_has_time",
                violation_error_message="A published or scheduled review needs a publish time.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values),
                name="review_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(rating_count__gte=0, rating_total__gte=0, like_count__gte=0)
                & Q(rating_total__lte=models.F("rating_count") * 10)
                & Q(rating_total__gte=models.F("rating_count")),
                name="review_reader_counts_consistent",
                violation_error_message="Reader rating and like counts cannot be negative.",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.headline, f"{self.headline} {self.film.year}")
        # Sanitise on every save, not only through forms: a body written by a
        # script or an import gets the same treatment as one from the editor.
        self.body = self._meta.get_field("body").sanitize(self.body or "")
        if self.pk is not None:
            self.version = (self.version or 0) + 1
        if not self._state.adding and not args and kwargs.get("update_fields") is None:
            # The reader counters move under F() while an editor has the form open;
            # saving the review must not write back the numbers it loaded.
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in READER_COUNTERS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return links.url("reviews:review-detail", self.slug)

    @property
    def reader_rating_average(self):
        """The readers' average in stars, to one decimal place; None before the first vote."""
        if not self.rating_count:
            return None
        return (Decimal(self.rating_total) / 2 / self.rating_count).quantize(Decimal("0.1"))

    @property
    def is_public(self):
        return (
            self.status in PUBLIC_STATUSES
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class CriticQuote(Timestamped):
    """'The Critics Say': a line from another critic, on a review or on a film."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="critic_quotes"
    )
    film = models.ForeignKey(
        Film, on_delete=models.CASCADE, null=True, blank=True, related_name="critic_quotes"
    )
    quote = models.TextField(max_length=1000)
    critic = models.CharField(max_length=150)
    publication = models.CharField(max_length=150, blank=True)
    url = HttpsURLField("link", blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "critic quote"
        constraints = [
            models.CheckConstraint(
                condition=Q(review__isnull=False, film__isnull=True)
                | Q(review__isnull=True, film__isnull=False),
                name="criticquote_on_review_or_film",
                violation_error_message="A critic quote belongs to a review or to a film.",
            ),
        ]
        indexes = [
            models.Index(fields=["review", "order"], name="criticquote_review_order_idx"),
            models.Index(fields=["film", "order"], name="criticquote_film_order_idx"),
        ]

    def __str__(self):
        source = f"{self.critic}, {self.publication}" if self.publication else self.critic
        return f"“{self.quote[:60]}” — {source}"


# --- The review page's query, unpacked ------------------------------------------


@functools.cache
def _attnames(model):
    return [field.attname for field in model._meta.concrete_fields]


def _from_item(model, db, item):
    """
    An instance of ``model`` from a JSON item keyed by field names; other
    fields deferred. It is what from_db() builds; when nothing listens to the
    model's pre_init and post_init signals, it is built without __init__,
    which took half of unpack_page()'s time for the page's sixty objects.
    """
    names = _attnames(model)
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model.from_db(db, names, [item.get(name, DEFERRED) for name in names])
    instance = model.__new__(model)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = db
    instance.__dict__.update((name, item[name]) for name in names if name in item)
    return instance


def _keep_prefetched(instance, name, model, objects):
    """Keep ``objects`` as ``instance.<name>.all()``, where prefetch_related() keeps them."""
    queryset = models.QuerySet(model=model)
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def unpack_page(review):
    """
    Turn the JSON columns of a ReviewQuerySet.for_page() review into related
    objects, kept where prefetch_related() keeps them, so that
    ``review.film.credits.all()``, ``review.tags.all()`` and Film's helpers read
    them without a query. Each list is sorted as its model's ordering sorts it.
    ``review.other_reviews_by_directors`` lists the public reviews for "More
    by", newest film first, each with its ``director_id``. Returns the review.
    """
    db = review._state.db
    film = review.film

    genres = []
    for item in review.page_genres:
        genre = _from_item(Genre, db, item)
        if genre.parent_id is not None:
            genre.parent = _from_item(Genre, db, item["parent"])
        genres.append(genre)
    genres.sort(key=lambda genre: genre.name)
    _keep_prefetched(film, "genres", Genre, genres)

    countries = [_from_item(Country, db, item) for item in review.page_countries]
    countries.sort(key=lambda country: country.name)
    _keep_prefetched(film, "countries", Country, countries)

    releases = []
    for item in review.page_releases:
        release = _from_item(Release, db, {**item, "date": date.fromisoformat(item["date"])})
        release.country = _from_item(Country, db, item["country"])
        releases.append(release)
    releases.sort(key=lambda release: (release.date, release.pk))
    _keep_prefetched(film, "releases", Release, releases)

    credits = []
    for item in review.page_credits:
        credit = _from_item(Credit, db, item)
        credit.person = _from_item(Person, db, item["person"])
        credits.append(credit)
    credits.sort(key=lambda credit: (credit.role, credit.order, credit.pk))
    _keep_prefetched(film, "credits", Credit, credits)

    quotes = [_from_item(CriticQuote, db, item) for item in review.page_quotes]
    quotes.sort(key=lambda quote: (quote.order, quote.pk))
    _keep_prefetched(review, "critic_quotes", CriticQuote, quotes)

    tags = [_from_item(Tag, db, item) for item in review.page_tags]
    tags.sort(key=lambda tag: tag.name)
    _keep_prefetched(review, "tags", Tag, tags)

    others = []
    for item in review.page_more_by:
        fields = {**item["review"], "published_at": _datetime(item["review"]["published_at"])}
        other = _from_item(Review, db, fields)
        if other.is_public:
            other.film = _from_item(Film, db, item["film"])
            other.director_id = item["director_id"]
            others.append(other)
    others.sort(key=lambda other: (other.film.year, other.published_at, other.pk), reverse=True)
    review.other_reviews_by_directors = others
    return review


def _datetime(value):
    """A date and time from JSON: ISO 8601, in UTC when it names no zone (SQLite)."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)
