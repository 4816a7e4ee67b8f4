"""Subscription mail, sent by the task runner (filmblog/tasks.py)."""

from django_tasks import task

from filmblog.tasks import retry_later
from subscriptions.models import Subscriber


@task()
def send_signup_mail(*, subscriber_id, attempt=1):
    """
    The mail a sign-up asked for: the confirmation link, or a note that the
    address is already subscribed. Retried later while the relay fails.
    """
    from subscriptions.mail import send_already_subscribed, send_confirmation

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return
    try:
        if subscriber.state == Subscriber.State.CONFIRMED:
            send_already_subscribed(subscriber)
        else:
            send_confirmation(subscriber)
    except Exception as error:
        if not retry_later(
            send_signup_mail, attempt=attempt, error=error, subscriber_id=subscriber_id
        ):
            raise
