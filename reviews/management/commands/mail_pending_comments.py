"""
E-mail editors a digest of reader comments awaiting moderation. Run it from
cron (hourly or daily); with nothing pending it sends nothing.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mass_mail
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator

from core import dates
from reviews.models import Comment

LISTED = 50


def moderators():
    """Active staff who may moderate comments and have an address to mail."""
    permission = Permission.objects.get(
        codename="change_comment", content_type__app_label="reviews"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions=permission)
            | Q(groups__permissions=permission)
        )
        .distinct()
        .order_by("pk")
    )


def digest_text(pending, total):
    queue = f"{settings.SITE_URL}{reverse('admin:reviews_comment_changelist')}?queue=pending"
    lines = [
        f"{total} reader comment{'s are' if total != 1 else ' is'} waiting for moderation.",
        "",
    ]
    for comment in pending:
        lines += [
            f"On “{comment.review.headline}”, {comment.name} wrote "
            f"({dates.date_and_time(comment.created_at)}):",
            f"    {Truncator(' '.join(comment.text.split())).chars(200)}",
            "",
        ]
    if total > len(pending):
        lines += [f"…and {total - len(pending)} more.", ""]
    lines += [f"Approve, reject or mark them as spam here: {queue}"]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "E-mail editors the reader comments awaiting moderation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the digest instead of sending it."
        )

    def handle(self, *args, dry_run=False, **options):
        pending_qs = Comment.objects.pending().select_related("review")
        total = pending_qs.count()
        if not total:
            self.stdout.write("No comments awaiting moderation; nothing sent.")
            return
        text = digest_text(list(pending_qs[:LISTED]), total)
        subject = f"[{settings.SITE_NAME}] {total} comment{'s' if total != 1 else ''} to moderate"
        recipients = list(moderators().values_list("email", flat=True))
        if dry_run:
            self.stdout.write(f"To: {', '.join(recipients) or '(nobody)'}\nSubject: {subject}\n")
            self.stdout.write(text)
            return
        # One message per editor, so nobody sees the others' addresses.
        sent = send_mass_mail(
            [(subject, text, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients]
        )
        self.stdout.write(f"Digest of {total} pending comments sent to {sent} editors.")
