"""
A sign-up and a password reset answer in the same time whether or not the
address is known: nothing is mailed inside the request (production runs the
database task backend and a worker), and the known and unknown paths do the
same work (each enqueues one task, which decides what to send).

Timed over a few dozen requests each way, interleaved so that the machine's
load falls on both alike, against a relay that takes 50 ms per message: a
mail sent inside the request would add those 50 ms to one side's median. The
medians may differ by less than half of that; a ratio would fail on a busy
machine, where a 1 ms answer now and then takes 4.
"""

import statistics
import time

import pytest
from django.test import Client
from django.urls import reverse

from subscriptions.models import Subscriber
from tests.factories import make_user
from tests.filmblog.factories import make_subscriber
from tests.services import run_worker

ROUNDS = 30
RELAY_DELAY = 0.05
# The medians may differ by this many seconds at most: half what a mail sent
# inside the request would add.
TOLERANCE = RELAY_DELAY / 2
SIGN_UP = reverse("subscriptions:sign-up")
RESET = reverse("account:password-reset")


@pytest.fixture
def slow_relay(smtp_server, task_queue, settings):
    smtp_server.delay = RELAY_DELAY
    settings.SUBSCRIBE_RATE_LIMIT = 10 * ROUNDS
    return smtp_server


def timed(client, url, data):
    start = time.perf_counter()
    response = client.post(url, data)
    elapsed = time.perf_counter() - start
    assert response.status_code == 302, response.content[:500]
    return elapsed


def medians(url, known, unknown):
    """Median seconds of answering for known and for unknown addresses, interleaved."""
    client = Client()
    timed(client, url, known(0))  # warm up both paths once
    timed(client, url, unknown(-1))
    known_times, unknown_times = [], []
    for n in range(ROUNDS):
        pairs = [(known_times, known(n)), (unknown_times, unknown(n))]
        for times, data in pairs if n % 2 else reversed(pairs):
            times.append(timed(client, url, data))
    return statistics.median(known_times), statistics.median(unknown_times)


def assert_close(known, unknown):
    assert abs(known - unknown) < TOLERANCE, (
        f"known {known * 1000:.1f} ms against unknown {unknown * 1000:.1f} ms"
    )


def test_a_sign_up_takes_as_long_for_a_known_address_as_for_a_new_one(slow_relay):
    make_subscriber(email="known@example.com")  # confirmed
    make_subscriber(email="pending@example.com", state=Subscriber.State.PENDING)
    known_addresses = ["known@example.com", "pending@example.com"]

    known, unknown = medians(
        SIGN_UP,
        known=lambda n: {"email": known_addresses[n % 2]},
        unknown=lambda n: {"email": f"new{n}@example.com"},
    )
    assert_close(known, unknown)
    assert slow_relay.recipients() == []  # nothing left with a request

    run_worker()
    mailed = slow_relay.recipients()
    # One mail per address in the window, however often it was asked for.
    assert sorted(set(mailed)) == sorted(mailed)
    assert set(known_addresses) <= set(mailed)
    assert "new0@example.com" in mailed


def test_a_password_reset_takes_as_long_for_an_account_as_for_nobody(slow_relay, monkeypatch):
    # Every request for the account gets its mail, so that each one would cost
    # the relay's time if it were sent inside the request.
    monkeypatch.setattr("people.tasks.RESETS_PER_HOUR", 10 * ROUNDS)
    make_user(email="ada@example.com")
    known, unknown = medians(
        RESET,
        known=lambda n: {"email": "ada@example.com"},
        unknown=lambda n: {"email": f"nobody{n}@example.com"},
    )
    assert_close(known, unknown)
    assert slow_relay.recipients() == []

    run_worker()
    assert slow_relay.recipients() == ["ada@example.com"] * (ROUNDS + 1)
