import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from subscriptions import digest
from subscriptions.models import Subscriber
from tests.factories import make_film, make_review
from tests.filmblog import mailbackends
from tests.filmblog.factories import make_subscriber

BACKENDS = "tests.filmblog.mailbackends"


def ago(**kwargs):
    return timezone.now() - timezone.timedelta(**kwargs)


def run_digest(**options):
    out = StringIO()
    call_command("send_digest", stdout=out, **options)
    return out.getvalue()


def received(outbox=None):
    """(address, review headline) pairs across every digest mail sent."""
    pairs = Counter()
    for message in outbox if outbox is not None else mail.outbox:
        for line in message.body.splitlines():
            if line.startswith("Review "):
                pairs[(message.to[0], line)] += 1
    return pairs


def subscribers(count, *, watermark):
    return [make_subscriber(mailed_through=watermark) for _ in range(count)]


@pytest.mark.django_db
def test_a_subscriber_gets_the_reviews_published_since_they_were_last_mailed():
    subscriber = make_subscriber(mailed_through=ago(days=2))
    make_review(headline="Review old", published_at=ago(days=3))
    film = make_film(title="A Prophet", year=2009)
    make_review(
        headline="Review new",
        film=film,
        published_at=ago(hours=2),
        standfirst="A prison drama that earns its length.",
    )
    make_review(headline="Review draft", status="draft")
    make_review(headline="Review scheduled", status="scheduled", published_at=ago(hours=-5))

    output = run_digest()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [subscriber.email]
    assert message.subject == "New on filmblog: Review new"
    assert "A Prophet (2009)" in message.body
    assert "A prison drama that earns its length." in message.body
    for hidden in ("Review old", "Review draft", "Review scheduled"):
        assert hidden not in message.body
    html = message.alternatives[0][0]
    assert "A Prophet (2009)" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Digest done: 1 mail(s) sent covering 1 review(s)" in output

    # Nothing new: no mail at all the next time.
    run_digest()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_several_new_reviews_come_in_one_mail_newest_first():
    make_subscriber(mailed_through=ago(days=1))
    make_review(headline="Review first", published_at=ago(hours=3))
    make_review(headline="Review second", published_at=ago(hours=2))
    run_digest()
    [message] = mail.outbox
    assert message.subject == "2 new reviews on filmblog"
    assert message.body.index("Review second") < message.body.index("Review first")


@pytest.mark.django_db
def test_a_scheduled_review_is_sent_once_its_time_comes():
    import time_machine

    make_subscriber(mailed_through=ago(days=1))
    make_review(headline="Review later", status="scheduled", published_at=ago(hours=-2))
    run_digest()
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=3)):
        run_digest()
    assert len(mail.outbox) == 1
    assert "Review later" in mail.outbox[0].body


@pytest.mark.django_db
def test_only_confirmed_subscribers_are_mailed():
    confirmed = make_subscriber(mailed_through=ago(days=1))
    make_subscriber(state=Subscriber.State.PENDING)
    make_subscriber(state=Subscriber.State.UNSUBSCRIBED, confirmed_at=ago(days=3))
    make_review(published_at=ago(hours=1))
    run_digest()
    assert [message.to for message in mail.outbox] == [[confirmed.email]]


@pytest.mark.django_db
def test_no_reviews_means_no_mail_and_a_clear_summary():
    make_subscriber()
    output = run_digest()
    assert mail.outbox == []
    assert "0 subscriber(s) have reviews waiting" in output
    assert "Digest done: 0 mail(s) sent" in output


@pytest.mark.django_db
def test_progress_is_shown_batch_by_batch_with_one_connection_each(settings):
    settings.EMAIL_BACKEND = f"{BACKENDS}.CountingBackend"
    mailbackends.CountingBackend.opened = 0
    subscribers(5, watermark=ago(days=1))
    make_review(published_at=ago(hours=1))
    output = run_digest(batch_size=2)
    assert len(mail.outbox) == 5
    assert "5 subscriber(s) have reviews waiting." in output
    assert "batch 1: 2/5 checked, 2 mailed" in output
    assert "batch 3: 5/5 checked, 5 mailed" in output
    assert mailbackends.CountingBackend.opened == 3


@pytest.mark.django_db
def test_a_digest_killed_after_n_mails_and_run_again_mails_everyone_exactly_once(settings):
    people = subscribers(7, watermark=ago(days=2))
    make_review(headline="Review one", published_at=ago(days=1))

    settings.EMAIL_BACKEND = f"{BACKENDS}.CrashBeforeSendBackend"
    mailbackends.CrashBeforeSendBackend.allowed = 3
    with pytest.raises(mailbackends.Killed):
        run_digest(batch_size=2)
    assert len(mail.outbox) == 3

    # A second review appears before the rerun: those already mailed get only it.
    make_review(headline="Review two", published_at=ago(minutes=5))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_digest(batch_size=2)
    run_digest(batch_size=2)  # and a third run finds nothing left to do

    pairs = received()
    for person in people:
        assert pairs[(person.email, "Review one")] == 1
        assert pairs[(person.email, "Review two")] == 1
    assert len(mail.outbox) == 3 + 7


@pytest.mark.django_db
def test_a_crash_between_sending_and_saving_repeats_at_most_that_one_mail(settings):
    """The documented at-least-once window: one duplicate, for one subscriber, no one missed."""
    people = subscribers(4, watermark=ago(days=2))
    make_review(headline="Review one", published_at=ago(days=1))
    settings.EMAIL_BACKEND = f"{BACKENDS}.CrashAfterSendBackend"
    mailbackends.CrashAfterSendBackend.allowed = 2
    with pytest.raises(mailbackends.Killed):
        run_digest()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_digest()

    counts = [received()[(person.email, "Review one")] for person in people]
    assert counts == [1, 2, 1, 1]


@pytest.mark.django_db
def test_a_refused_address_does_not_hold_up_the_others(settings):
    settings.EMAIL_BACKEND = f"{BACKENDS}.RefusingBackend"
    first, bad, last = subscribers(3, watermark=ago(days=1))
    mailbackends.RefusingBackend.refused = {bad.email}
    make_review(published_at=ago(hours=1))
    with pytest.raises(CommandError, match="refused 1 address"):
        run_digest()
    assert sorted(message.to[0] for message in mail.outbox) == sorted([first.email, last.email])

    # Once the server accepts it again, the next run catches up with that one only.
    mailbackends.RefusingBackend.refused = set()
    run_digest()
    assert mail.outbox[-1].to == [bad.email]
    assert len(mail.outbox) == 3


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL runs skip locked rows instead"
)
def test_on_sqlite_a_second_run_waits_its_turn():
    make_subscriber(mailed_through=ago(days=1))
    make_review(published_at=ago(hours=1))
    with digest._RunLock(), pytest.raises(CommandError, match="Another send_digest is running"):
        run_digest()
    assert mail.outbox == []
    run_digest()
    assert len(mail.outbox) == 1


def _needs_postgresql():
    return pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent digests rely on SELECT ... FOR UPDATE SKIP LOCKED (PostgreSQL); "
        "run with DATABASE_URL=postgres://...",
    )


@_needs_postgresql()
@pytest.mark.django_db(transaction=True)
def test_two_digests_at_once_never_mail_anyone_twice(settings):
    settings.EMAIL_BACKEND = f"{BACKENDS}.SlowBackend"
    people = subscribers(40, watermark=ago(days=2))
    make_review(headline="Review one", published_at=ago(days=1))
    make_review(headline="Review two", published_at=ago(hours=1))

    results, errors = [], []
    start = threading.Barrier(2)

    def run():
        try:
            start.wait()
            results.append(digest.send_digest(batch_size=5))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    pairs = received()
    for person in people:
        assert pairs[(person.email, "Review one")] == 1
        assert pairs[(person.email, "Review two")] == 1
    assert len(mail.outbox) == 40
    assert sum(result.mailed for result in results) == 40
    # Both runs did part of the work: they shared the list rather than queueing.
    assert all(result.mailed > 0 for result in results)


SETUP_SCRIPT = """
from django.utils import timezone
from tests.factories import make_review
from tests.filmblog.factories import make_subscriber
day = timezone.now() - timezone.timedelta(days=1)
for n in range(30):
    make_subscriber(email=f"r{n:02}@example.com", mailed_through=day)
make_review(headline="Review one", published_at=timezone.now() - timezone.timedelta(hours=2))
make_review(headline="Review two", published_at=timezone.now() - timezone.timedelta(hours=1))
"""


def test_killing_the_command_mid_run_and_running_it_again(tmp_path):
    """
    A real SIGKILL part-way through, then a rerun: everybody gets both reviews,
    and while the first run works a second one on the same SQLite file is refused.
    """
    mails = tmp_path / "mails"
    mails.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_BACKEND": f"{BACKENDS}.SlowFileBackend",
        "DIGEST_TEST_MAIL_DIR": str(mails),
        "DIGEST_TEST_HOLD": str(tmp_path / "hold"),
        "DJANGO_SETTINGS_MODULE": "filmblog.settings",
    }
    manage = [sys.executable, str(django_settings.BASE_DIR / "manage.py")]
    cwd = django_settings.BASE_DIR

    def manage_py(*args):
        subprocess.run([*manage, *args], env=env, cwd=cwd, check=True, capture_output=True)

    manage_py("migrate", "--no-input")
    manage_py("shell", "-c", SETUP_SCRIPT)
    # The run stops after three mails until the kill: part-way on any machine.
    (tmp_path / "hold").touch()

    run = subprocess.Popen(
        [*manage, "send_digest", "--batch-size", "4"],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(list(mails.glob("*.txt"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    # Meanwhile a second run on the same SQLite file is turned away, not doubled up.
    second = subprocess.run(
        [*manage, "send_digest"], env=env, cwd=cwd, capture_output=True, text=True
    )
    assert second.returncode == 1
    assert "Another send_digest is running" in second.stderr
    run.send_signal(signal.SIGKILL)
    run.wait()
    sent_before_kill = len(list(mails.glob("*.txt")))
    assert 3 <= sent_before_kill < 30, "the run should be killed part-way"
    (tmp_path / "hold").unlink()

    manage_py("send_digest")
    manage_py("send_digest")

    pairs = Counter()
    for path in mails.glob("*.txt"):
        address, body = path.read_text().split("\n", 1)
        for headline in ("Review one", "Review two"):
            pairs[(address, headline)] += headline in body
    everyone = {f"r{n:02}@example.com" for n in range(30)}
    assert {address for address, _ in pairs} == everyone
    assert all(pairs[(address, "Review one")] >= 1 for address in everyone)
    assert all(pairs[(address, "Review two")] >= 1 for address in everyone)
    # Only the kill's one window (mail accepted, commit not yet made) may repeat a mail.
    repeated = {address for (address, _), count in pairs.items() if count > 1}
    assert len(repeated) <= 1


@pytest.mark.django_db
def test_a_headline_cannot_smuggle_headers_into_the_subject():
    make_subscriber(mailed_through=ago(days=1))
    make_review(headline="Review odd\nBcc: x@y.z", published_at=ago(hours=1))
    run_digest()
    [message] = mail.outbox
    assert message.subject == "New on filmblog: Review odd Bcc: x@y.z"
    assert "Bcc" not in message.message().as_string().split("\n\n", 1)[0].replace(
        message.subject, ""
    )
