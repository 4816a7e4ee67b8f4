"""
Mail against a real SMTP server the test starts (aiosmtpd): sign-ups answer
the same whatever the relay says, and the digest carries on past a refused
recipient and a 451.
"""

import pytest
from django.test import Client
from django.utils import timezone

from subscriptions.digest import send_digest
from subscriptions.models import Subscriber
from tests.factories import make_review
from tests.filmblog.factories import make_subscriber
from tests.subscriptions.test_views import SIGN_UP

pytestmark = pytest.mark.django_db


def sign_up(email):
    return Client().post(SIGN_UP, {"email": email})


def test_a_sign_up_is_mailed_through_smtp(smtp_server):
    response = sign_up("ada@example.com")
    assert response.status_code == 302
    assert smtp_server.recipients() == ["ada@example.com"]


def test_a_sign_up_answers_the_same_when_the_relay_refuses_or_is_down(smtp_server, settings):
    good = sign_up("ada@example.com")
    smtp_server.refused.add("bad@example.com")
    refused = sign_up("bad@example.com")
    smtp_server.deferred["later@example.com"] = 5
    deferred = sign_up("later@example.com")
    settings.EMAIL_PORT = 1  # nothing listens there
    down = sign_up("down@example.com")
    answers = {(r.status_code, r["Location"]) for r in (good, refused, deferred, down)}
    assert len(answers) == 1
    assert Subscriber.objects.count() == 4


def test_the_digest_carries_on_past_a_refusal_and_a_451(smtp_server):
    now = timezone.now()
    emails = [f"reader{n}@example.com" for n in range(6)]
    for email in emails:
        make_subscriber(email=email)
    make_review(headline="New this week", published_at=now - timezone.timedelta(hours=1))
    smtp_server.refused.add(emails[1])
    smtp_server.deferred[emails[3]] = 1
    result = send_digest()
    assert sorted(smtp_server.recipients()) == sorted(set(emails) - {emails[1], emails[3]})
    assert len(result.failed) == 2
    # The next run tries those two again; the 451 one goes through now.
    send_digest()
    assert emails[3] in smtp_server.recipients()
    assert smtp_server.recipients().count(emails[0]) == 1
