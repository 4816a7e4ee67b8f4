"""
The digest: mail each confirmed subscriber the reviews published since the
last review they were sent.

How "nobody twice, nobody missed" holds
---------------------------------------
Each subscriber carries a watermark, `mailed_through`: the publish time of the
newest review they have been sent (their confirmation time to begin with). A
run takes the reviews a reader can see now, and for each subscriber behind the
newest of them it does, in one database transaction:

1. lock the subscriber's row (``SELECT ... FOR UPDATE SKIP LOCKED`` on
   PostgreSQL: a row another run holds is skipped, not waited for), and re-read
   its watermark;
2. send one mail listing the reviews published after the watermark;
3. move the watermark to the newest review sent, and commit.

So a second run started at the same time never takes a subscriber the first
one holds, and one that comes after sees the watermark already moved. A run
killed at any point leaves every subscriber either fully done (committed) or
untouched (rolled back, row lock released by the database), and the next run
picks up exactly where it stopped.

The one window left is between the mail server accepting a mail (step 2) and
the commit (step 3): a crash there rolls the watermark back although the mail
went out, and the next run sends that one subscriber the same reviews again.
This is a deliberate at-least-once choice: the alternative, committing first
and sending after, turns the same crash into a subscriber silently missing
reviews. The window is a single database round trip, and it can cost at most
one duplicate mail to the one subscriber being handled when the crash came.

Databases without ``SKIP LOCKED`` (SQLite, the development default) do not
lock rows; there a lock file next to the database lets only one run work at a
time, and a second run exits saying so. The lock file is released by the
operating system when its holder dies, so a killed run never blocks the next.

A subscriber whose mail the relay turns away for a while (a 4xx answer) is
left behind by the run, which carries on with the others, and is tried again
by a task (``send_subscriber_digest``) after a growing delay: the same locked,
watermarked step, so a retry that comes after the next run finds nothing due
and sends nothing. With the immediate task backend (development) nothing
waits, and the next run tries them.

A review whose publish time is set earlier than a subscriber's watermark after
that subscriber was mailed (back-dating) is not sent to them; a review
scheduled for later is sent once its time comes.
"""

import fcntl
import hashlib
import logging
import smtplib
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django_tasks import task

from core.links import absolute
from core.tasks import is_temporary, retry_later
from reviews.body_html import body_opening
from reviews.models import Review
from subscriptions.mail import build_mail
from subscriptions.models import Subscriber

logger = logging.getLogger(__name__)


# What the relay may answer for one subscriber without the run having to stop.
MAIL_REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException)


class DigestAlreadyRunning(Exception):
    """Another run holds the database-wide lock (databases without SKIP LOCKED)."""


@dataclass
class DigestResult:
    mailed: int = 0
    checked: int = 0
    skipped: int = 0  # up to date when locked, or held by another run
    batches: int = 0
    reviews: int = 0
    seconds: float = 0.0
    failed: list = field(default_factory=list)  # ids whose address the server refused


@dataclass(frozen=True)
class DigestReview:
    """What a digest mail shows of a review, read once per run."""

    headline: str
    film: str
    author: str
    standfirst: str
    url: str
    published_at: object
    # The body's start as mail shows it (reviews.body_html.body_opening): safe HTML.
    opening: str = ""


def _candidate_reviews():
    """Reviews a reader may see now, newest first, with only what a digest shows."""
    return (
        Review.objects.published()
        .select_related("film", "author")
        .only(
            "headline",
            "slug",
            "standfirst",
            "body",
            "published_at",
            "film__title",
            "film__year",
            "author__display_name",
        )
        .order_by("-published_at", "-pk")
    )


def _digest_review(review):
    url = absolute(review.get_absolute_url())
    return DigestReview(
        headline=review.headline,
        film=f"{review.film.title} ({review.film.year})",
        author=review.author.display_name,
        standfirst=review.standfirst,
        url=url,
        published_at=review.published_at,
        opening=body_opening(review.body, url) if review.body else "",
    )


_memory_locks = {}
_memory_locks_guard = threading.Lock()


class _RunLock:
    """
    One run at a time, for databases that cannot skip locked rows: a lock file
    beside an SQLite database file (the operating system drops it when its
    holder dies), or a process-wide lock for an in-memory database, which no
    other process can see anyway.
    """

    def __init__(self):
        self.handle = None
        self.memory_lock = None

    def __enter__(self):
        if connection.features.has_select_for_update_skip_locked:
            return self
        name = str(connection.settings_dict["NAME"])
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            with _memory_locks_guard:
                self.memory_lock = _memory_locks.setdefault(name, threading.Lock())
            if not self.memory_lock.acquire(blocking=False):
                self.memory_lock = None
                raise DigestAlreadyRunning()
            return self
        if connection.vendor == "sqlite":
            path = Path(f"{name}.digest-lock")
        else:
            digest = hashlib.sha256(name.encode()).hexdigest()[:16]
            path = Path(tempfile.gettempdir()) / f"filmblog-digest-{digest}.lock"
        self.handle = path.open("w")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            self.handle.close()
            self.handle = None
            raise DigestAlreadyRunning() from exc
        return self

    def __exit__(self, *exc):
        if self.memory_lock is not None:
            self.memory_lock.release()
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


def _lock_subscriber(pk):
    """The subscriber, locked for this transaction; None if another run holds it."""
    queryset = Subscriber.objects.confirmed().filter(pk=pk)
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    return queryset.first()


def send_digest(*, batch_size=None, on_batch=None):
    """
    Mail every confirmed subscriber the reviews published since their watermark.

    Subscribers are read in id order, `batch_size` ids at a time (memory stays
    bounded whatever the list's size), and each batch shares one connection to
    the mail server. `on_batch(result)` is called after every batch, for
    progress displays. Returns a DigestResult.
    """
    batch_size = batch_size or settings.DIGEST_BATCH_SIZE
    started = time.monotonic()
    result = DigestResult()
    with _RunLock():
        due = _due_subscribers()
        oldest = due.aggregate(oldest=Min("mailed_through"))["oldest"]
        if oldest is None:
            result.seconds = time.monotonic() - started
            return result
        # Read once per run: only the reviews somebody still needs, newest first.
        reviews = [
            _digest_review(review)
            for review in _candidate_reviews().filter(published_at__gt=oldest)
        ]
        sent_reviews = set()

        cursor = 0
        while True:
            ids = list(
                due.filter(pk__gt=cursor).order_by("pk").values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            cursor = ids[-1]
            result.batches += 1
            with get_connection() as mail_connection:
                for pk in ids:
                    result.checked += 1
                    try:
                        included = _mail_one(pk, reviews, mail_connection)
                    except MAIL_REFUSALS as error:
                        # One refused address or a temporary 4xx from the relay must
                        # not hold up everyone after it. Its watermark did not move:
                        # a task tries a 4xx again later, and the next run tries
                        # every refused subscriber again.
                        result.failed.append(pk)
                        logger.warning("Digest to subscriber %s not sent: %r", pk, error)
                        if is_temporary(error):
                            retry_later(
                                send_subscriber_digest, attempt=1, error=error, subscriber_id=pk
                            )
                        continue
                    if included is None:
                        result.skipped += 1
                    else:
                        result.mailed += 1
                        sent_reviews.update(review.url for review in included)
            if on_batch is not None:
                on_batch(result)
        result.reviews = len(sent_reviews)
    result.seconds = time.monotonic() - started
    return result


@task()
def send_subscriber_digest(*, subscriber_id, attempt=1):
    """
    One subscriber's digest, for a mail the relay turned away for a while:
    tried again with a growing delay while the relay keeps answering 4xx.
    """
    try:
        with _RunLock():
            subscriber = (
                Subscriber.objects.confirmed()
                .filter(pk=subscriber_id)
                .only("mailed_through")
                .first()
            )
            if subscriber is None:
                return
            reviews = [
                _digest_review(review)
                for review in _candidate_reviews().filter(
                    published_at__gt=subscriber.mailed_through
                )
            ]
            if not reviews:
                return
            with get_connection() as mail_connection:
                _mail_one(subscriber_id, reviews, mail_connection)
    except DigestAlreadyRunning:
        # A run holds the SQLite lock file; it may already have passed this
        # subscriber, so come back once it is likely done, as the same attempt.
        if send_subscriber_digest.get_backend().supports_defer:
            when = timezone.now() + timedelta(minutes=5)
            send_subscriber_digest.using(run_after=when).enqueue(
                subscriber_id=subscriber_id, attempt=attempt
            )
    except MAIL_REFUSALS as error:
        if not retry_later(
            send_subscriber_digest, attempt=attempt, error=error, subscriber_id=subscriber_id
        ):
            raise


def _mail_one(pk, reviews, mail_connection):
    """Send one subscriber their digest; the reviews sent, or None when nothing was due."""
    with transaction.atomic():
        subscriber = _lock_subscriber(pk)
        if subscriber is None:
            return None
        included = [
            review for review in reviews if review.published_at > subscriber.mailed_through
        ]
        if not included:
            return None
        count = len(included)
        mail = build_mail(
            subscriber=subscriber,
            template="digest",
            subject=(
                f"New on {settings.SITE_NAME}: {' '.join(included[0].headline.split())}"
                if count == 1
                else f"{count} new reviews on {settings.SITE_NAME}"
            ),
            context={"reviews": included},
            connection=mail_connection,
        )
        mail.send()
        # The window described in the module docstring: sent, not yet committed.
        now = timezone.now()
        Subscriber.objects.filter(pk=pk).update(
            mailed_through=included[0].published_at, last_mailed_at=now
        )
    return included


def _due_subscribers():
    """Confirmed subscribers behind the newest review a reader can see."""
    newest = Review.objects.published().aggregate(newest=Max("published_at"))["newest"]
    if newest is None:
        return Subscriber.objects.none()
    return Subscriber.objects.confirmed().filter(mailed_through__lt=newest)


def pending_count():
    """How many confirmed subscribers have reviews waiting."""
    return _due_subscribers().count()
