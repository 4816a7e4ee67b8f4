"""
Mail against a real SMTP server the test starts (aiosmtpd): sign-ups answer
the same whatever the relay says, and the digest carries on past a refused
recipient and a 451, and the task worker tries a 451 again later, once.
"""

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from subscriptions.digest import send_digest
from subscriptions.models import Subscriber
from tests.factories import make_review
from tests.filmblog.factories import make_subscriber
from tests.services import run_worker
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


def test_a_451_in_the_digest_is_retried_by_the_worker_with_backoff(smtp_server, task_queue):
    now = timezone.now()
    emails = [f"reader{n}@example.com" for n in range(4)]
    for email in emails:
        make_subscriber(email=email)
    make_review(headline="New this week", published_at=now - timezone.timedelta(hours=1))
    smtp_server.deferred[emails[2]] = 2  # the relay answers 451 twice, then takes it
    result = send_digest()
    assert result.failed and len(result.failed) == 1
    assert emails[2] not in smtp_server.recipients()

    with time_machine.travel(now + timezone.timedelta(seconds=30), tick=False):
        run_worker()  # the retry is not due yet
    assert emails[2] not in smtp_server.recipients()
    with time_machine.travel(now + timezone.timedelta(minutes=2), tick=False):
        run_worker()  # second attempt: 451 again, so a third one waits longer
    assert emails[2] not in smtp_server.recipients()
    with time_machine.travel(now + timezone.timedelta(minutes=3), tick=False):
        run_worker()
    assert emails[2] not in smtp_server.recipients()
    with time_machine.travel(now + timezone.timedelta(minutes=5), tick=False):
        run_worker()
    assert smtp_server.recipients().count(emails[2]) == 1
    # Everyone once; a later run and any stray retry find nothing due.
    assert sorted(smtp_server.recipients()) == sorted(emails)
    assert send_digest().mailed == 0
    with time_machine.travel(now + timezone.timedelta(days=2), tick=False):
        run_worker()
    assert sorted(smtp_server.recipients()) == sorted(emails)


def test_a_digest_retry_after_the_next_run_sends_nothing_twice(smtp_server, task_queue):
    now = timezone.now()
    make_subscriber(email="ada@example.com")
    make_review(headline="New this week", published_at=now - timezone.timedelta(hours=1))
    smtp_server.deferred["ada@example.com"] = 1
    send_digest()
    assert smtp_server.recipients() == []
    send_digest()  # the next run gets there before the retry
    assert smtp_server.recipients() == ["ada@example.com"]
    with time_machine.travel(now + timezone.timedelta(hours=1), tick=False):
        run_worker()
    assert smtp_server.recipients() == ["ada@example.com"]


def test_a_refused_address_is_not_retried_by_the_worker(smtp_server, task_queue):
    make_subscriber(email="gone@example.com")
    make_review(headline="New", published_at=timezone.now() - timezone.timedelta(hours=1))
    smtp_server.refused.add("gone@example.com")
    assert send_digest().failed
    with time_machine.travel(timezone.now() + timezone.timedelta(days=1), tick=False):
        run_worker()
    assert smtp_server.recipients() == []


def test_a_sign_up_mail_is_retried_until_the_relay_takes_it_and_sent_once(smtp_server, task_queue):
    now = timezone.now()
    smtp_server.deferred["ada@example.com"] = 1
    assert sign_up("ada@example.com").status_code == 302
    run_worker()  # first attempt: 451
    assert smtp_server.recipients() == []
    with time_machine.travel(now + timezone.timedelta(minutes=2), tick=False):
        run_worker()
    with time_machine.travel(now + timezone.timedelta(days=1), tick=False):
        run_worker()
    assert smtp_server.recipients() == ["ada@example.com"]
