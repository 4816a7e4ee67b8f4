"""
Slow and fallible work leaves the request: mail above all.

Tasks run on django-tasks (the Tasks API that Django 6 adopted). In
development the immediate backend runs each task at once, inside the request,
so ``make demo`` needs no worker; a failure is logged and the page answers as
usual. In production (``TASKS_BACKEND=database``) tasks are rows in the
database, run by ``manage.py db_worker`` (docs/deploy.md), and a mail that
failed for a temporary reason (the relay is down, or answered 4xx) is tried
again later with a growing delay: ``retry_later()``.

A task is enqueued once per request, after its transaction commits, and a
retry is enqueued only by the attempt that failed, so one request never sends
its mail twice.
"""

import logging
import smtplib
from datetime import timedelta

from django.utils import timezone

logger = logging.getLogger(__name__)

# Attempts before a mail is given up (the delays add up to about a day).
MAX_ATTEMPTS = 9
FIRST_DELAY = 60  # seconds; doubled after each failure
MAX_DELAY = 6 * 60 * 60


def delay_after(attempt):
    """Seconds to wait after failed attempt number ``attempt`` (1, 2, ...)."""
    return min(FIRST_DELAY * 2 ** (attempt - 1), MAX_DELAY)


def is_temporary(error):
    """Whether a mail that failed with ``error`` may go through later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    # Refused, reset or timed-out connections, and a relay that hung up.
    return isinstance(error, OSError | smtplib.SMTPServerDisconnected)


def retry_later(task, *, attempt, error, **kwargs):
    """
    Enqueue ``task(**kwargs, attempt=attempt + 1)`` after a delay, if ``error``
    is temporary and attempts remain; otherwise log that the work is given up.
    Returns whether a retry was enqueued.
    """
    if not is_temporary(error) or attempt >= MAX_ATTEMPTS:
        logger.error("%s gave up after %s attempts: %r", task.name, attempt, error)
        return False
    if not task.get_backend().supports_defer:
        # The immediate backend (development) cannot wait: nothing to retry with.
        logger.warning("%s failed and cannot be retried here: %r", task.name, error)
        return False
    when = timezone.now() + timedelta(seconds=delay_after(attempt))
    task.using(run_after=when).enqueue(**kwargs, attempt=attempt + 1)
    logger.warning("%s failed (%r); attempt %s at %s", task.name, error, attempt + 1, when)
    return True
