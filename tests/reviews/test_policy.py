"""
The author/editor policy is written once (reviews/policy.py): the admin, the
preview view and the workflow all follow it, and a field nobody listed is an
editor's.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from reviews import policy, workflow
from reviews.models import Review
from tests.factories import make_film, make_review
from tests.reviews.test_admin_permissions import change_form, url

pytestmark = pytest.mark.django_db

Status = Review.Status


def test_a_field_nobody_listed_is_an_editors(writer, editor):
    assert not policy.may_set_field(writer, "a_field_added_tomorrow")
    assert policy.may_set_field(editor, "a_field_added_tomorrow")


def test_every_review_field_an_author_may_not_set_is_read_only_in_their_form(client, writer):
    review = make_review(author=writer.author_profile, status="draft")
    client.force_login(writer)
    form = client.get(url("change", review.pk)).context["adminform"].form
    for name in form.fields:
        assert name in policy.AUTHOR_EDITABLE_FIELDS | policy.FORM_HELPER_FIELDS, name
    protected = set(policy.protected_fields(writer, Review))
    assert {"author", "status", "published_at", "featured", "editor_note"} <= protected
    assert protected.isdisjoint(form.fields)


def test_a_crafted_post_cannot_set_any_field_outside_the_authors_list(client, writer, editor):
    review = make_review(author=writer.author_profile, status="draft", editor_note="Keep")
    other_author = editor.author_profile
    client.force_login(writer)
    crafted = {
        "author": str(other_author.pk),
        "status": "published",
        "published_at_0": "2024-01-01",
        "published_at_1": "10:00:00",
        "featured": "on",
        "comments_open": "",
        "editor_note": "Written by the author",
        "version": "99",
        "rating_count": "50",
    }
    data = change_form(review, headline="New words", **crafted)
    assert client.post(url("change", review.pk), data).status_code == 302
    stored = Review.objects.get(pk=review.pk)
    assert stored.headline == "New words"
    assert (stored.author, stored.status, stored.published_at) == (
        writer.author_profile,
        "draft",
        None,
    )
    assert (stored.featured, stored.comments_open, stored.editor_note) == (False, True, "Keep")
    assert stored.rating_count == 0


def test_a_crafted_new_review_by_an_author_starts_as_their_plain_draft(client, writer, editor):
    client.force_login(writer)
    review = make_review(status="draft")
    data = change_form(
        review, headline="Mine", slug="", author=str(editor.author_profile.pk), featured="on"
    )
    assert client.post(url("add"), data).status_code == 302
    fresh = Review.objects.get(headline="Mine")
    assert (fresh.author, fresh.status, fresh.featured) == (writer.author_profile, "draft", False)


MOVES = {
    "submit": lambda review, user: workflow.submit(review, by=user),
    "publish": lambda review, user: workflow.publish(review, by=user),
    "schedule": lambda review, user: workflow.schedule(
        review, at=timezone.now() + datetime.timedelta(days=1), by=user
    ),
    "send_back": lambda review, user: workflow.send_back(review, note="Shorter.", by=user),
    "unpublish": lambda review, user: workflow.unpublish(review, by=user),
}


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("role", ["writer", "editor"])
def test_the_buttons_offered_are_exactly_the_moves_the_workflow_accepts(status, role, request):
    user = request.getfixturevalue(role)
    author = request.getfixturevalue("writer").author_profile
    published_at = timezone.now() if status in {"published", "scheduled"} else None
    offered = set(
        policy.allowed_moves(
            make_review(author=author, status=status, published_at=published_at), user
        )
    )
    for move, make in MOVES.items():
        review = make_review(author=author, status=status, published_at=published_at)
        try:
            make(review, user)
        except (workflow.TransitionError, PermissionDenied):
            accepted = False
        else:
            accepted = True
        assert accepted == (move in offered), (move, status, role)


def test_the_preview_follows_the_policy(client, writer, editor):
    others = make_review(film=make_film(), status="draft")
    own = make_review(author=writer.author_profile, status="draft")
    client.force_login(writer)
    preview = "reviews:review-preview"
    assert client.get(reverse(preview, kwargs={"slug": own.slug})).status_code == 200
    assert client.get(reverse(preview, kwargs={"slug": others.slug})).status_code == 404
    client.force_login(editor)
    assert client.get(reverse(preview, kwargs={"slug": others.slug})).status_code == 200


def test_an_author_may_edit_their_review_only_before_it_is_scheduled_or_live(writer):
    for status in Status.values:
        review = make_review(
            author=writer.author_profile,
            status=status,
            published_at=timezone.now() if status in {"published", "scheduled"} else None,
        )
        editable = status in {"draft", "submitted", "unpublished"}
        assert policy.may_edit(review, writer) == editable, status
