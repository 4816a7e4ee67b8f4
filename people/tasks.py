"""
Account mail, sent by the task runner (core/tasks.py).

A password reset is two tasks. The form enqueues ``send_password_reset`` for
every request, whether or not the address belongs to an account, so the
answer takes the same time either way; that task finds the accounts and sends
each one its link in a task of its own, ``send_password_reset_mail``, retried
later, like every other mail, when the relay fails for a temporary reason.
(Django's own ``PasswordResetForm.send_mail`` logs a failed send and carries
on, so nothing would ever try again.)
"""

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from core.ratelimit import hit
from core.tasks import retry_later

# Reset mails one account may receive per hour, however often it is asked for.
RESETS_PER_HOUR = 3


@task()
def send_password_reset(*, email, domain, use_https, attempt=1):
    """
    Mail a reset link to each active account with ``email``, if there are any.
    (``attempt`` is taken and ignored: retries queued by earlier versions carry it.)
    """
    for user in PasswordResetForm().get_users(email):
        if hit(
            scope="password-reset-mail", ident=str(user.pk), limit=RESETS_PER_HOUR, window=3600
        ):
            continue
        send_password_reset_mail.enqueue(
            user_id=user.pk, email=email, domain=domain, use_https=use_https
        )


def _reset_mail(user, *, domain, use_https):
    """The reset mail for ``user``, rendered as Django's PasswordResetForm renders it."""
    email = getattr(user, user.get_email_field_name())
    context = {
        "email": email,
        "domain": domain,
        "site_name": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if use_https else "http",
    }
    subject = render_to_string("registration/password_reset_subject.txt", context)
    return EmailMultiAlternatives(
        subject="".join(subject.splitlines()),  # a subject must not contain newlines
        body=render_to_string("registration/password_reset_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )


@task()
def send_password_reset_mail(*, user_id, email, domain, use_https, attempt=1):
    """
    Mail one account its reset link; a retry makes a fresh link. Nothing is
    sent if, by then, the account is gone, inactive, has no usable password,
    or has another address than the one the link was asked for.
    """
    users = [user for user in PasswordResetForm().get_users(email) if user.pk == user_id]
    if not users:
        return
    try:
        _reset_mail(users[0], domain=domain, use_https=use_https).send()
    except Exception as error:
        if not retry_later(
            send_password_reset_mail,
            attempt=attempt,
            error=error,
            user_id=user_id,
            email=email,
            domain=domain,
            use_https=use_https,
        ):
            raise
