"""The e-mail digest of comments awaiting moderation."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command

from tests.factories import make_comment, make_review, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    group = Group.objects.create(name="Comment moderators")
    group.permissions.add(Permission.objects.get(codename="change_comment"))
    user = make_user(username="ed", is_staff=True)
    user.groups.add(group)
    return user


def test_nothing_pending_sends_nothing(moderator):
    make_comment(status="approved")
    call_command("mail_pending_comments")
    assert mail.outbox == []


def test_editors_get_the_pending_comments(moderator, superuser):
    review = make_review(headline="The long goodbye")
    make_comment(review=review, status="pending", name="Maya", text="Waiting\nfor you")
    make_comment(review=review, status="pending", name="Tom", text="Me too")
    make_comment(review=review, status="spam", text="Cheap pills")
    make_user(username="plain", is_staff=True)  # staff without the permission
    call_command("mail_pending_comments")
    assert sorted(m.to[0] for m in mail.outbox) == ["boss@example.com", "ed@example.com"]
    message = mail.outbox[0]
    assert "2 comments to moderate" in message.subject
    assert "On “The long goodbye”, Maya wrote" in message.body
    assert "Waiting for you" in message.body
    assert "Cheap pills" not in message.body
    assert "/admin/reviews/comment/?queue=pending" in message.body


def test_dry_run_prints_and_sends_nothing(moderator, capsys):
    make_comment(status="pending", text="Hello")
    call_command("mail_pending_comments", "--dry-run")
    assert "Hello" in capsys.readouterr().out
    assert mail.outbox == []
