from django.conf import settings
from django.db import models
from django.db.models import Q

from core import external_ids, links
from core.fields import FocusField, HttpsURLField, SafeImageField
from core.models import Timestamped
from core.slugs import unique_slug


class Person(Timestamped):
    """Anyone credited on a film: director, writer, actor, composer..."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=220,
        unique=True,
        blank=True,
        help_text="The person's address on the site. Leave empty to build it from the name.",
    )
    photo = SafeImageField(upload_to="people/", blank=True)
    photo_focus_x = FocusField("focal point, across")
    photo_focus_y = FocusField("focal point, down")
    bio = models.TextField("short bio", blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    tmdb_id = external_ids.tmdb_id_field()
    imdb_id = external_ids.imdb_id_field("person")
    wikidata_id = external_ids.wikidata_id_field()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["name"], name="person_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__range=(1800, 2100)),
                name="person_birth_year_plausible",
                violation_error_message="Birth year must be between 1800 and 2100.",
            ),
            *external_ids.unique_when_set("person"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, *self.slug_candidates())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return links.url("people:person-detail", self.slug)

    def slug_candidates(self):
        """What the slug is made from (core/slugs.py), by the admin and the importer alike."""
        return [self.name, f"{self.name} {self.birth_year or ''}"]

    def external_links(self):
        """[(label, address)] of this person in TMDB, IMDb and Wikidata."""
        return external_ids.links(self, "person")


class AuthorProfileQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's author profile, created from their name when they have none yet."""
        profile, _ = self.get_or_create(
            user=user, defaults={"display_name": user.get_full_name() or user.get_username()}
        )
        return profile


class AuthorProfile(Timestamped):
    """A writer on the site, tied to a login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="author_profile"
    )
    display_name = models.CharField(max_length=150)
    slug = models.SlugField(
        max_length=170,
        unique=True,
        blank=True,
        help_text="The author's page address. Leave empty to build it from the name.",
    )
    bio = models.TextField(blank=True, max_length=2000)
    photo = SafeImageField(upload_to="authors/", blank=True)
    photo_focus_x = FocusField("focal point, across")
    photo_focus_y = FocusField("focal point, down")
    favourite_film = models.CharField(max_length=200, blank=True)
    favourite_director = models.CharField(max_length=200, blank=True)
    guilty_pleasure = models.CharField(
        max_length=200, blank=True, help_text="A film the author loves despite itself."
    )
    desk_emails = models.BooleanField(
        "e-mail me about the desk",
        default=True,
        help_text="Reviews submitted to you, and yours published, scheduled or sent back.",
    )

    objects = AuthorProfileQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        verbose_name = "author profile"

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, *self.slug_candidates())
        old_photo = ""
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("photo", flat=True)
            old_photo = stored.first() or ""
        super().save(*args, **kwargs)
        # Pages show the photo through core.renditions, made when first
        # asked for; the replaced original goes.
        if old_photo and old_photo != self.photo.name and self.photo.storage.exists(old_photo):
            self.photo.storage.delete(old_photo)

    def get_absolute_url(self):
        return links.url("people:author-detail", self.slug)

    def slug_candidates(self):
        return [self.display_name]


class AuthorLink(models.Model):
    """A link on an author's profile: personal site, social account, newsletter."""

    author = models.ForeignKey(AuthorProfile, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=60)
    url = HttpsURLField("address")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["author", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["author", "url"], name="authorlink_unique_url"),
        ]

    def __str__(self):
        return f"{self.label}: {self.url}"
