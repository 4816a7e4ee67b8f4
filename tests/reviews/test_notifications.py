"""Who is told about a review's move: editors on a submit, the author on the editor's moves."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import workflow
from tests.factories import make_review
from tests.reviews.test_admin_permissions import change_form

pytestmark = pytest.mark.django_db


def test_editors_are_told_when_an_author_submits(
    client, editor, writer, mailoutbox, django_capture_on_commit_callbacks
):
    review = make_review(author=writer.author_profile, status="draft", headline="Rust and Bone")
    client.force_login(writer)
    data = change_form(review, _move="submit")
    for name in ["author", "status", "published_at_0", "published_at_1", "editor_note"]:
        data.pop(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:reviews_review_change", args=[review.pk]), data)
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[editor.email]]
    assert "Rust and Bone" in mailoutbox[0].subject
    assert f"/admin/reviews/review/{review.pk}/change/" in mailoutbox[0].body


def test_no_mail_leaves_before_the_move_is_committed(editor, writer, mailoutbox):
    review = make_review(author=writer.author_profile, status="draft")
    workflow.submit(review, by=writer)
    assert mailoutbox == []


@pytest.mark.parametrize(
    "move, words",
    [("publish", "was published"), ("schedule", "was scheduled"), ("send_back", "Tighten")],
)
def test_the_author_is_told_of_the_editors_move(
    editor, writer, mailoutbox, django_capture_on_commit_callbacks, move, words
):
    review = make_review(author=writer.author_profile, status="submitted")
    extra = {
        "schedule": {"at": timezone.now() + datetime.timedelta(days=1)},
        "send_back": {"note": "Tighten the ending."},
    }.get(move, {})
    with django_capture_on_commit_callbacks(execute=True):
        getattr(workflow, move)(review, by=editor, **extra)
    assert [m.to for m in mailoutbox] == [[writer.email]]
    assert words in mailoutbox[0].body


def test_each_person_can_turn_the_mails_off(
    client, editor, writer, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(writer)
    response = client.get(reverse("account:profile"))
    assert "desk_emails" in response.content.decode()
    profile = writer.author_profile
    profile.desk_emails = False
    profile.save()
    review = make_review(author=profile, status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(review, by=editor)
    assert mailoutbox == []
    editor_profile = editor.author_profile
    editor_profile.desk_emails = False
    editor_profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(make_review(author=profile, status="draft"), by=writer)
    assert mailoutbox == []


def test_a_relay_that_is_down_does_not_stop_the_move(
    settings, editor, writer, django_capture_on_commit_callbacks
):
    """The mail goes through the task runner: its failure is the task's, not the editor's."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    review = make_review(author=writer.author_profile, status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(review, by=writer)
    review.refresh_from_db()
    assert review.status == "submitted"
