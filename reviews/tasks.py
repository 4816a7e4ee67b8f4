"""Desk notifications, sent by the task runner (core/tasks.py)."""

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from core.tasks import retry_later


@task()
def send_desk_mail(*, subject, body, address, attempt=1):
    """One notification to one person; retried later while the relay fails."""
    try:
        send_mail(f"[{settings.SITE_NAME}] {subject}", body, None, [address])
    except Exception as error:
        if not retry_later(
            send_desk_mail,
            attempt=attempt,
            error=error,
            subject=subject,
            body=body,
            address=address,
        ):
            raise
