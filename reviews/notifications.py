"""
Who hears about a review's move through the workflow: the editors when an
author submits, the author when an editor publishes, schedules or sends it
back (with the note). Each person can turn these e-mails off in their account
(AuthorProfile.desk_emails); the desk on the admin index shows the same work.

Mail leaves only once the move is committed, through the task runner
(``reviews/tasks.py``): a relay that is down delays the mail, never the editor.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from core import dates, links
from reviews.policy import PUBLISH_PERMISSION
from reviews.tasks import send_desk_mail

AUTHOR_NEWS = {
    "publish": "was published",
    "schedule": "was scheduled",
    "send_back": "was sent back to you",
}


def editors():
    """Active editors with an address who have not turned desk e-mails off."""
    app_label, codename = PUBLISH_PERMISSION.split(".")
    permission = Permission.objects.get(codename=codename, content_type__app_label=app_label)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(author_profile__desk_emails=False)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions=permission)
            | Q(groups__permissions=permission)
        )
        .distinct()
        .order_by("pk")
    )


def review_moved(review, move, *, by):
    """Tell the people who should know that ``by`` made ``move`` on ``review``."""
    desk_link = links.absolute(reverse("admin:reviews_review_change", args=[review.pk]))
    if move == "submit":
        recipients = [user.email for user in editors() if user.pk != by.pk]
        subject = f"Submitted for review: “{review}”"
        body = (
            f"{review.author} submitted “{review}” ({review.film}) for review.\n\n"
            f"Read, publish, schedule or send it back: {desk_link}\n"
        )
        deliver(subject, body, recipients)
        return
    if move not in AUTHOR_NEWS:
        return
    author = review.author.user
    if author.pk == by.pk or not author.email or not review.author.desk_emails:
        return
    lines = [f"Your review “{review}” {AUTHOR_NEWS[move]} by {by.get_full_name() or by}."]
    if move == "publish":
        lines.append(f"Readers can see it here: {links.absolute(review.get_absolute_url())}")
    if move == "schedule":
        lines.append(f"It goes public on {dates.date_and_time(review.published_at)}.")
    if move == "send_back":
        lines += ["The editor's note:", "", review.editor_note, "", f"Edit it here: {desk_link}"]
    lines += ["", "You can turn these e-mails off in your account."]
    subject = f"“{review}” {AUTHOR_NEWS[move]}"
    deliver(subject, "\n".join(lines) + "\n", [author.email])


def deliver(subject, body, recipients):
    """Enqueue one e-mail per recipient once the current transaction commits."""
    for address in recipients:
        transaction.on_commit(
            lambda address=address: send_desk_mail.enqueue(
                subject=subject, body=body, address=address
            )
        )
