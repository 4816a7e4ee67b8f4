"""
Password-reset mail against a real SMTP server the test starts (aiosmtpd): it
leaves the request, and a relay that says "try again later" gets it again
later, once, like every other mail the site sends.
"""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user
from tests.services import run_worker

RESET = reverse("account:password-reset")


def ask_for_reset(email):
    response = Client().post(RESET, {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account:password-reset-done")


def reset_link(message):
    body = message.content.decode()
    start = body.index("/account/password/reset/")
    return body[start : body.index("\n", start)].strip()


def test_a_reset_mail_the_relay_defers_is_sent_later_once(smtp_server, task_queue):
    user = make_user(email="ada@example.com")
    now = timezone.now()
    smtp_server.deferred["ada@example.com"] = 2  # 451 twice, then accepted
    ask_for_reset("ada@example.com")
    assert smtp_server.recipients() == []  # nothing is sent inside the request
    run_worker()  # first attempt: 451
    assert smtp_server.recipients() == []
    with time_machine.travel(now + timezone.timedelta(seconds=30), tick=False):
        run_worker()  # the retry is not due yet
    assert smtp_server.recipients() == []
    with time_machine.travel(now + timezone.timedelta(minutes=2), tick=False):
        run_worker()  # second attempt: 451 again
    assert smtp_server.recipients() == []
    with time_machine.travel(now + timezone.timedelta(minutes=5), tick=False):
        run_worker()
    assert smtp_server.recipients() == ["ada@example.com"]
    with time_machine.travel(now + timezone.timedelta(days=2), tick=False):
        run_worker()
    assert smtp_server.recipients() == ["ada@example.com"]

    # The link that finally went out works.
    link = reset_link(smtp_server.messages[0])
    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a new long passphrase", "new_password2": "a new long passphrase"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a new long passphrase")


def test_a_reset_mail_to_a_refused_address_is_not_retried(smtp_server, task_queue):
    make_user(email="gone@example.com")
    smtp_server.refused.add("gone@example.com")
    ask_for_reset("gone@example.com")
    run_worker()
    with time_machine.travel(timezone.now() + timezone.timedelta(days=1), tick=False):
        run_worker()
    assert smtp_server.recipients() == []


def test_a_retry_is_not_sent_to_an_account_that_changed_its_address(smtp_server, task_queue):
    user = make_user(email="ada@example.com")
    smtp_server.deferred["ada@example.com"] = 1
    ask_for_reset("ada@example.com")
    run_worker()
    user.email = "ada@elsewhere.example"
    user.save()
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=1), tick=False):
        run_worker()
    assert smtp_server.recipients() == []


def test_each_account_with_the_address_gets_its_own_link(smtp_server, task_queue):
    make_user(email="shared@example.com")
    make_user(email="Shared@example.com")
    ask_for_reset("shared@example.com")
    run_worker()
    assert len(smtp_server.messages) == 2
    assert reset_link(smtp_server.messages[0]) != reset_link(smtp_server.messages[1])


@pytest.mark.django_db
def test_no_account_no_mail(smtp_server):
    ask_for_reset("nobody@example.com")
    assert smtp_server.recipients() == []
