"""Factory functions for subscribers (kept beside their tests to spare tests/factories.py)."""

import itertools

from django.utils import timezone

from subscriptions.mail import CONSENT_VERSION
from subscriptions.models import Subscriber

_seq = itertools.count(1)


def make_subscriber(
    *, email=None, state=Subscriber.State.CONFIRMED, mailed_through=None, **kwargs
):
    now = timezone.now()
    if state == Subscriber.State.CONFIRMED:
        kwargs.setdefault("confirmed_at", now - timezone.timedelta(days=1))
        if mailed_through is None:
            mailed_through = kwargs["confirmed_at"]
    if state == Subscriber.State.UNSUBSCRIBED:
        kwargs.setdefault("unsubscribed_at", now)
    kwargs.setdefault("consent_at", now - timezone.timedelta(days=1))
    kwargs.setdefault("consent_version", CONSENT_VERSION)
    return Subscriber.objects.create(
        email=email or f"reader{next(_seq)}@example.com",
        state=state,
        mailed_through=mailed_through,
        **kwargs,
    )
