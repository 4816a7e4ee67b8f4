"""Readers subscribed to new-post e-mails, and the signed keys their links carry."""

import uuid

from django.core import signing
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

# The salts keep their first names: changing one would break every link already mailed.
CONFIRM_SALT = "filmblog.subscriptions.confirm"
UNSUBSCRIBE_SALT = "filmblog.subscriptions.unsubscribe"


class SubscriberState(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        """Addresses that proved they are reachable and still want the e-mails."""
        return self.filter(state=Subscriber.State.CONFIRMED)


class Subscriber(models.Model):
    """An e-mail address subscribed to the new-post e-mails (double opt-in)."""

    State = SubscriberState

    email = models.EmailField(
        "e-mail address",
        max_length=254,
        help_text="Stored in lower case, so one mailbox is one subscriber.",
    )
    name = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    # A random key, never shown as such: links carry it signed, so a link names
    # one subscriber without revealing the address or the database id.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consent_at = models.DateTimeField(
        "consent given", help_text="When the reader submitted the sign-up form."
    )
    consent_version = models.CharField(
        "consent wording version",
        max_length=20,
        help_text="Which version of the sign-up wording the reader agreed to.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    signup_mail_at = models.DateTimeField(
        "last sign-up mail",
        null=True,
        blank=True,
        help_text="When a sign-up last mailed this address (a confirmation link or a note "
        "that it is already subscribed). One such mail per address in each "
        "SUBSCRIBE_ADDRESS_WINDOW, however often it is asked for.",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    mailed_through = models.DateTimeField(
        "mailed up to",
        null=True,
        blank=True,
        help_text=(
            "Publish time of the newest review this subscriber has been sent (or the moment "
            "they confirmed). The digest sends only reviews published after it."
        ),
    )
    last_mailed_at = models.DateTimeField("last digest sent", null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="subscriber_email_ci_unique",
                violation_error_code="email_taken",
                violation_error_message="This address is already on the list.",
            ),
            models.CheckConstraint(
                condition=Q(state__in=SubscriberState.values),
                name="subscriber_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state=SubscriberState.CONFIRMED)
                | Q(confirmed_at__isnull=False, mailed_through__isnull=False),
                name="subscriber_confirmed_has_times",
            ),
        ]
        indexes = [
            # The digest walks confirmed subscribers in id order.
            models.Index(fields=["state", "id"], name="subscriber_state_id_idx"),
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # A subscriber's only public page is the one that lets them leave.
        return reverse("subscriptions:unsubscribe", kwargs={"token": unsubscribe_token(self)})


def normalise_email(value):
    """One spelling per mailbox: surrounding space dropped, lower case throughout."""
    return (value or "").strip().lower()


def confirmation_token(subscriber):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscriber.key.hex)


def unsubscribe_token(subscriber):
    # No timestamp: an unsubscribe link must keep working from a mail years old.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(subscriber.key.hex)
