"""Account mail, sent by the task runner (core/tasks.py)."""

from django.contrib.auth.forms import PasswordResetForm
from django_tasks import task

from core.ratelimit import hit
from core.tasks import retry_later

# Reset mails one account may receive per hour, however often it is asked for.
RESETS_PER_HOUR = 3


class _LimitedResetForm(PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        user = context["user"]
        if hit(
            scope="password-reset-mail", ident=str(user.pk), limit=RESETS_PER_HOUR, window=3600
        ):
            return
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


@task()
def send_password_reset(*, email, domain, use_https, attempt=1):
    """Mail a reset link to the active accounts with ``email``, if there are any."""
    form = _LimitedResetForm(data={"email": email})
    if not form.is_valid():
        return
    try:
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        )
    except Exception as error:
        if not retry_later(
            send_password_reset,
            attempt=attempt,
            error=error,
            email=email,
            domain=domain,
            use_https=use_https,
        ):
            raise
