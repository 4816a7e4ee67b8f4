"""Reviews and the critic quotes on them."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse_lazy
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField, create_sanitizer
from taggit.managers import TaggableManager

from core import dates, links
from core.fields import FocusField, HttpsURLField, SafeImageField
from core.models import SearchAndSocial, Timestamped
from core.slugs import unique_slug
from people.models import AuthorProfile
from reviews.body_blocks import drop_foreign_figures
from reviews.models.catalogue import Credit, Film, facts_prefetches, favourite_slugs
from reviews.models.choices import ReviewStatus

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
    # The body's own blocks (reviews/body_blocks.py, static/js/review-blocks.js).
    "Picture": {
        "libraryUrl": reverse_lazy("admin:reviews_picture_library"),
        "uploadUrl": reverse_lazy("admin:reviews_picture_upload"),
    },
    "Trailer": True,
    "PullQuote": True,
    "Spoiler": True,
    "SpoilerSummary": True,
}
# nh3 with the list above, then figures that name nothing go, then nh3 once
# more to mend what that left (the prose editor applies the list last first).
BODY_SANITIZER = [create_sanitizer, drop_foreign_figures, create_sanitizer]

# 0.0, 0.5, ... 5.0 as Decimals with one place, so "4.0" from a form matches.
RATING_VALUES = [(Decimal(half) / 2).quantize(Decimal("0.1")) for half in range(11)]
RATING_CHOICES = [
    (value, "★" * int(value) + ("½" if value % 1 else "") or "No stars") for value in RATING_VALUES
]

# Review columns only reviews/reader_actions.py writes.
READER_COUNTERS = {
    "rating_count",
    "rating_total",
    "like_count",
    "comment_count",
    "comment_thread_count",
}


class ReviewQuerySet(models.QuerySet):
    def published(self, at=None):
        """
        What a reader may see: published or scheduled, its time (or ``at``) has
        come, and its take-down time, if it has one, has not.
        """
        at = at or timezone.now()
        return self.filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=at),
            status__in=PUBLIC_STATUSES,
            published_at__lte=at,
        )

    def for_cards(self):
        """What a review card shows: the film (title, year, poster) and the author."""
        return self.select_related("film", "author").defer("body")

    def for_page(self):
        """
        Everything a review page shows but "More by" and the comments themselves:
        the film and the author joined, and the catalogue pages of the author's
        favourites (``favourite_film_slug``, ``favourite_director_slug``: see
        favourite_slugs()), then one query each for the film's credits with
        their people, genres with their parents, countries, releases with their
        countries, and the review's critic quotes and tags (in name order), as
        prefetch_related() keeps them. Seven queries, however long the lists;
        the comment pages are counted by ``comment_thread_count``.
        """
        return (
            self.select_related("film", "author")
            .annotate(**favourite_slugs(through="author__"))
            .prefetch_related(*facts_prefetches(through="film__"), "critic_quotes", "tags")
        )

    def by_directors(self, directors):
        """
        Reviews of the films that any of ``directors`` directed, each with the
        ``director_id`` it was found by: a review of a film two of them
        directed comes once for each.
        """
        return self.filter(
            film__credits__person__in=directors, film__credits__role=Credit.Role.DIRECTOR
        ).annotate(director_id=F("film__credits__person"))


# The statuses a reader may see once their publish time has come.
PUBLIC_STATUSES = [ReviewStatus.PUBLISHED, ReviewStatus.SCHEDULED]


class Review(SearchAndSocial, Timestamped):
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
    body = ProseEditorField(extensions=REVIEW_BODY_EXTENSIONS, sanitize=BODY_SANITIZER, blank=True)
    rating = models.DecimalField(
        "editorial rating",
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        choices=RATING_CHOICES,
        help_text="0 to 5 stars in halves. Leave empty for an unrated piece.",
    )
    # In name order wherever they are read, prefetched or not.
    tags = TaggableManager(blank=True, ordering=["name"])
    hero_image = SafeImageField(upload_to="reviews/", blank=True)
    hero_image_focus_x = FocusField("focal point, across")
    hero_image_focus_y = FocusField("focal point, down")
    hero_image_alt = models.CharField(
        "hero image description",
        max_length=200,
        blank=True,
        help_text="What the image shows, for readers who cannot see it.",
    )
    hero_image_credit = models.CharField(
        "hero image credit",
        max_length=200,
        blank=True,
        help_text="Who took or owns the image, shown under it (Photo: Why Not Productions).",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text="When the review goes (or went) public. A future time schedules it.",
    )
    unpublish_at = models.DateTimeField(
        "take down at",
        null=True,
        blank=True,
        help_text=(
            "Optional: when the review leaves the site (an embargo's end, a piece that must "
            "come down). Readers stop seeing it at that time; it stays on the desk."
        ),
    )
    featured = models.BooleanField(default=False, help_text="Feature on the home page.")
    editor_note = models.TextField(
        "note from the editor",
        blank=True,
        help_text="Why the review was sent back to its author; cleared when it is resubmitted.",
    )
    # Bumped on every save; the admin form carries it to catch two people
    # editing the same review at once (see reviews.admin.review_forms.ReviewAdminForm).
    version = models.PositiveIntegerField(default=1, editable=False)
    comments_open = models.BooleanField(
        default=True, help_text="Untick to stop new reader comments; approved ones stay visible."
    )
    # Reader contributions, kept up to date by reviews/reader_actions.py so a page
    # view never counts rows. The rating total is in half stars (4.5 stars = 9).
    rating_count = models.PositiveIntegerField("reader ratings", default=0, editable=False)
    rating_total = models.PositiveIntegerField(
        "reader ratings total (half stars)", default=0, editable=False
    )
    like_count = models.PositiveIntegerField("likes", default=0, editable=False)
    comment_count = models.PositiveIntegerField("approved comments", default=0, editable=False)
    # The approved comments that are not replies: what the comment pages count.
    comment_thread_count = models.PositiveIntegerField(
        "approved comment threads", default=0, editable=False
    )

    objects = ReviewQuerySet.as_manager()

    # On PostgreSQL the table also has a search_vector column, not a field here:
    # the search app's triggers fill it from the review's words and its film.

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        # Checked with user.has_perm(); the Editors group holds both.
        permissions = [
            ("publish_review", "Can publish, schedule and unpublish reviews"),
            ("edit_any_review", "Can edit reviews by any author"),
        ]
        indexes = [
            # unpublish_at too: counting what readers see (the API's totals, the
            # archives' pages) reads this index alone, not the wide rows.
            models.Index(
                fields=["status", "-published_at", "unpublish_at"],
                name="review_status_pub_until_idx",
            ),
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
                condition=Q(unpublish_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(unpublish_at__gt=F("published_at")),
                name="review_taken_down_after_publishing",
                violation_error_message="The take-down time must come after the publish time.",
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
            self.slug = unique_slug(self, *self.slug_candidates())
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

    def slug_candidates(self):
        """What the slug is made from (core/slugs.py): the headline, then with the film's year."""
        return [self.headline, f"{self.headline} {self.film.year}"]

    @property
    def tag_links(self):
        """
        The rows tying this review to its tags. Each saved version follows them
        (reviews/revisions.py), as taggit's manager itself is not serialised.
        """
        return self.tags.through.objects.filter(
            content_type=ContentType.objects.get_for_model(self), object_id=self.pk
        )

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
            and (self.unpublish_at is None or self.unpublish_at > timezone.now())
        )

    def get_status_now_display(self):
        """
        The status as a reader would put it: a scheduled review whose time has
        come is live ("Live since 21:00"), one still waiting says for when; a
        take-down time says when the review comes (or came) down.
        """
        status = self.get_status_display()
        if self.status == ReviewStatus.SCHEDULED and self.published_at is not None:
            when = _desk_time(self.published_at)
            status = f"Live since {when}" if self.is_public else f"Scheduled for {when}"
        if self.status in PUBLIC_STATUSES and self.unpublish_at is not None:
            when = _desk_time(self.unpublish_at)
            if self.unpublish_at <= timezone.now():
                return f"Taken down at {when}"
            return f"{status}; comes down {when}"
        return status


def _desk_time(moment):
    """A time as the desk shows it, with the zone: the hour today, the date too on other days."""
    today = timezone.localtime(moment).date() == timezone.localdate()
    return (dates.time_of_day if today else dates.date_and_time)(moment)


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
