"""
Subscriptions: signed links, the mails they travel in, and the writes behind
each step (sign up, confirm, unsubscribe, erase).

Views and the admin call these functions; none of them trusts its caller to
have checked the subscriber's state first.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from core.links import absolute
from core.tasks import retry_later
from subscriptions.models import (
    CONFIRM_SALT,
    UNSUBSCRIBE_SALT,
    Subscriber,
    confirmation_token,
    normalise_email,
    unsubscribe_token,
)

# The wording a reader agrees to on the sign-up form. Change the version
# whenever the wording changes: each subscriber keeps the version they saw.
CONSENT_VERSION = "2026-11"
CONSENT_TEXT = (
    "By subscribing you agree that we e-mail you our new reviews. "
    "We keep your address only for that, and every e-mail has a link to stop them."
)


class BadLink(Exception):
    """A link that was altered, belongs to nobody, or is too old to use."""

    def __init__(self, *, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


# --- Signed links -----------------------------------------------------------


def _subscriber_for(key_hex):
    try:
        return Subscriber.objects.get(key=key_hex)
    except (Subscriber.DoesNotExist, ValueError):
        return None


def subscriber_from_confirmation_token(token):
    """The subscriber a confirmation link names; BadLink if it was altered or is stale."""
    try:
        key_hex = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
            token, max_age=settings.SUBSCRIBE_CONFIRM_MAX_AGE
        )
    except signing.SignatureExpired as exc:
        raise BadLink(expired=True) from exc
    except signing.BadSignature as exc:
        raise BadLink() from exc
    subscriber = _subscriber_for(key_hex)
    if subscriber is None:
        raise BadLink()
    return subscriber


def subscriber_from_unsubscribe_token(token):
    """
    The subscriber an unsubscribe link names, or None when the signature is good
    but the subscriber has since been erased. BadLink if the link was altered.
    """
    try:
        key_hex = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature as exc:
        raise BadLink() from exc
    return _subscriber_for(key_hex)


def unsubscribe_url(subscriber):
    return absolute(
        reverse("subscriptions:unsubscribe", kwargs={"token": unsubscribe_token(subscriber)})
    )


def confirmation_url(subscriber):
    return absolute(
        reverse("subscriptions:confirm", kwargs={"token": confirmation_token(subscriber)})
    )


# --- Mail -------------------------------------------------------------------


def build_mail(*, subscriber, template, subject, context=None, connection=None):
    """
    One mail to one subscriber, with a plain-text and an HTML part rendered from
    subscriptions/emails/<template>.txt and .html, and the one-click unsubscribe
    headers of RFC 8058 so mail clients can offer their own button.
    """
    link = unsubscribe_url(subscriber)
    context = {
        "subscriber": subscriber,
        "unsubscribe_url": link,
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        **(context or {}),
    }
    mail = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"subscriptions/emails/{template}.txt", context),
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )
    mail.attach_alternative(
        render_to_string(f"subscriptions/emails/{template}.html", context), "text/html"
    )
    return mail


def send_confirmation(subscriber):
    """Mail the confirmation link; the only mail an unconfirmed address ever gets."""
    build_mail(
        subscriber=subscriber,
        template="subscription_confirm",
        subject=f"Confirm your subscription to {settings.SITE_NAME}",
        context={
            "confirm_url": confirmation_url(subscriber),
            "valid_days": max(1, settings.SUBSCRIBE_CONFIRM_MAX_AGE // 86400),
        },
    ).send()
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=timezone.now())


def send_already_subscribed(subscriber):
    build_mail(
        subscriber=subscriber,
        template="subscription_already",
        subject=f"You already get {settings.SITE_NAME} by e-mail",
    ).send()


# The task runner sends them (core/tasks.py), so a relay outage costs no page.


@task()
def send_signup_mail(*, subscriber_id, attempt=1):
    """
    The mail a sign-up asked for: the confirmation link, or a note that the
    address is already subscribed. Every sign-up enqueues it, so the reader's
    answer takes the same time whatever the address; this task decides whether
    to mail (one mail per address per window), and is retried later while the
    relay fails.
    """
    if attempt == 1 and not _claim_signup_mail(subscriber_id):
        return
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return
    try:
        if subscriber.state == Subscriber.State.CONFIRMED:
            send_already_subscribed(subscriber)
        elif subscriber.state == Subscriber.State.PENDING:
            send_confirmation(subscriber)
    except Exception as error:
        if not retry_later(
            send_signup_mail, attempt=attempt, error=error, subscriber_id=subscriber_id
        ):
            raise


def _claim_signup_mail(subscriber_id):
    """
    At most one sign-up mail per address per window, whoever asks for it. The
    database keeps the time (one conditional UPDATE, so two workers cannot both
    claim it), so the limit holds while the shared cache is down.
    """
    now = timezone.now()
    since = now - timedelta(seconds=settings.SUBSCRIBE_ADDRESS_WINDOW)
    return bool(
        Subscriber.objects.filter(pk=subscriber_id)
        .filter(Q(signup_mail_at__isnull=True) | Q(signup_mail_at__lte=since))
        .update(signup_mail_at=now)
    )


# --- Writes -----------------------------------------------------------------


def request_subscription(*, email, name="", consent_version=CONSENT_VERSION):
    """
    A reader asked to subscribe `email`. New, pending and unsubscribed addresses
    get a (fresh) confirmation link; a confirmed one gets a short note saying it
    is already subscribed. The caller answers the reader the same way in every
    case, so the page never tells whether an address is known.
    """
    email = normalise_email(email)
    now = timezone.now()
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=email,
            defaults={"name": name, "consent_at": now, "consent_version": consent_version},
        )
        if not created and subscriber.state != Subscriber.State.CONFIRMED:
            # Coming back after unsubscribing, or asking again: this is fresh consent.
            subscriber.state = Subscriber.State.PENDING
            subscriber.name = name or subscriber.name
            subscriber.consent_at = now
            subscriber.consent_version = consent_version
            subscriber.save(update_fields=["state", "name", "consent_at", "consent_version"])
    # Always a task, whatever the address: the reader's answer takes the same
    # time whether the address is new, known or mailed a minute ago, and
    # whether the relay is up; the task decides what to send, and a failed mail
    # is tried again later (send_signup_mail above).
    send_signup_mail.enqueue(subscriber_id=subscriber.pk)
    return subscriber


def confirm(*, subscriber):
    """Confirm a pending subscriber. The digest then sends reviews published from now on."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.state == Subscriber.State.CONFIRMED:
            return subscriber
        if subscriber.state == Subscriber.State.UNSUBSCRIBED:
            # An old confirmation link must not undo a later unsubscribe.
            return subscriber
        now = timezone.now()
        subscriber.state = Subscriber.State.CONFIRMED
        subscriber.confirmed_at = now
        subscriber.mailed_through = now
        subscriber.unsubscribed_at = None
        subscriber.save(
            update_fields=["state", "confirmed_at", "mailed_through", "unsubscribed_at"]
        )
    return subscriber


def unsubscribe(*, subscriber):
    """Stop every mail to this subscriber. Doing it twice changes nothing."""
    updated = Subscriber.objects.filter(pk=subscriber.pk).exclude(
        state=Subscriber.State.UNSUBSCRIBED
    )
    updated.update(state=Subscriber.State.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    subscriber.refresh_from_db()
    return subscriber


def erase(*, subscriber, by=None):
    """
    GDPR erasure: delete the subscriber and everything kept about them, which
    includes the admin history entries that name their address. What remains
    is a history line saying that subscriber #id was erased, and by whom.
    """
    content_type = ContentType.objects.get_for_model(Subscriber)
    pk = subscriber.pk
    with transaction.atomic():
        LogEntry.objects.filter(content_type=content_type, object_id=str(pk)).delete()
        Subscriber.objects.filter(pk=pk).delete()
        if by is not None:
            LogEntry.objects.create(
                user_id=by.pk,
                content_type=content_type,
                object_id=str(pk),
                object_repr=f"Subscriber #{pk} (erased)",
                action_flag=DELETION,
                change_message="Erased on request: address and history removed.",
            )
