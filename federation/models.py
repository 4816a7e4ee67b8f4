"""
The fediverse's rows: our actors and their keys, who follows them, the servers
we block, the remote actors we have met, what we sent and to which inboxes,
and what came back (replies, likes, boosts).
"""

import uuid

from django.db import models
from django.db.models import Q

from core.models import Timestamped
from people.models import AuthorProfile
from reviews.models import Comment, Review


class LocalActor(Timestamped):
    """The blog or one author as an ActivityPub actor, with its key pair."""

    class Kind(models.TextChoices):
        BLOG = "blog", "Blog"
        AUTHOR = "author", "Author"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    author = models.OneToOneField(
        AuthorProfile,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fediverse_actor",
    )
    private_key_pem = models.TextField(editable=False)
    public_key_pem = models.TextField(editable=False)
    key_created_at = models.DateTimeField("key made", editable=False)

    class Meta:
        verbose_name = "fediverse actor"
        ordering = ["kind", "author__display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="blog"), name="localactor_one_blog"
            ),
            models.CheckConstraint(
                condition=Q(kind="blog", author__isnull=True)
                | Q(kind="author", author__isnull=False),
                name="localactor_blog_or_author",
            ),
        ]

    def __str__(self):
        return self.author.display_name if self.author_id else "the blog"


class BlockedDomain(Timestamped):
    """A server whose requests are refused and whose followers are removed."""

    domain = models.CharField(
        max_length=253, unique=True, help_text="The server's host name, e.g. spam.example."
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why, for the other editors.")

    class Meta:
        ordering = ["domain"]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().rstrip(".")
        super().save(*args, **kwargs)


class RemoteActor(Timestamped):
    """A fediverse account we have fetched: its key, inboxes and names."""

    url = models.URLField("id", max_length=500, unique=True)
    key_id = models.URLField(max_length=500, db_index=True)
    public_key_pem = models.TextField()
    inbox = models.URLField(max_length=500)
    shared_inbox = models.URLField(max_length=500, blank=True)
    username = models.CharField(max_length=100, blank=True)
    name = models.CharField(max_length=200, blank=True)
    profile_url = models.URLField(max_length=500, blank=True)
    domain = models.CharField(max_length=253, db_index=True)
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["domain", "username"]

    def __str__(self):
        return self.handle

    @property
    def handle(self):
        return f"@{self.username}@{self.domain}" if self.username else self.url

    @property
    def delivery_inbox(self):
        return self.shared_inbox or self.inbox


class Follower(Timestamped):
    """A remote account following one of our actors."""

    actor = models.ForeignKey(LocalActor, on_delete=models.CASCADE, related_name="followers")
    remote = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="following")
    follow_id = models.URLField("Follow activity", max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "remote"], name="follower_unique"),
        ]

    def __str__(self):
        return f"{self.remote} follows {self.actor}"


class FederatedReview(models.Model):
    """
    What the followers were last told about one review: live (Create sent)
    or withdrawn (Delete sent), and the fingerprint of the Article they have.
    Keeps the review's id as a plain number so that it outlives the review.
    """

    review_id = models.BigIntegerField(unique=True)
    actor = models.ForeignKey(LocalActor, on_delete=models.SET_NULL, null=True, related_name="+")
    live = models.BooleanField(default=False)
    generation = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "federated review"

    def __str__(self):
        return f"review {self.review_id} ({'live' if self.live else 'withdrawn'})"


class Activity(Timestamped):
    """One activity we sent (Create, Update, Delete, Accept...), kept once per change."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    actor = models.ForeignKey(LocalActor, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20)
    # One row per change: "review:12:3:update:<fingerprint>", "accept:<follow id>".
    change_key = models.CharField(max_length=300, unique=True)
    review_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    payload = models.JSONField()
    # Who receives it: the followers of these LocalActor ids, and/or one inbox.
    audience = models.JSONField(default=list, blank=True)
    inbox = models.URLField(max_length=500, blank=True)

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.kind} {self.change_key}"


class Delivery(Timestamped):
    """One activity on its way to one inbox (a server's shared inbox where it has one)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Given up"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="deliveries")
    inbox = models.URLField(max_length=500)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "inbox"], name="delivery_unique"),
        ]

    def __str__(self):
        return f"{self.activity.kind} to {self.inbox}"


class DeadInbox(models.Model):
    """An inbox that has failed since ``failing_since``; gone when it answers again."""

    inbox = models.URLField(max_length=500, unique=True)
    failing_since = models.DateTimeField()

    def __str__(self):
        return self.inbox


class SeenSignature(models.Model):
    """A signature the inbox accepted, so the same request cannot be played again."""

    fingerprint = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.fingerprint


class RemoteReply(models.Model):
    """A reply from the fediverse, held as a comment in the moderation queue."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="fediverse")
    note_id = models.URLField(max_length=500, unique=True)
    remote = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="replies")

    class Meta:
        verbose_name_plural = "remote replies"

    def __str__(self):
        return self.note_id


class Reaction(Timestamped):
    """A like or a boost of a review from a remote account."""

    class Kind(models.TextChoices):
        LIKE = "like", "Like"
        BOOST = "boost", "Boost"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+")
    remote = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    activity_id = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "remote", "kind"], name="reaction_unique"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of review {self.review_id} by {self.remote}"
