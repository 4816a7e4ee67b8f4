"""The admin index as a desk: what needs attention, each a link to its filtered list."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_comment, make_editor, make_review, make_writer

pytestmark = pytest.mark.django_db


def desk(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_editor_sees_what_needs_attention(client):
    client.force_login(make_editor())
    make_review(status="submitted", headline="Waiting for you")
    make_review(
        status="scheduled",
        headline="Coming Friday",
        published_at=timezone.now() + datetime.timedelta(days=3),
    )
    make_review(status="published", headline="Out now", published_at=timezone.now())
    make_comment(review=make_review(status="published"), status="pending", name="Maya")
    with time_machine.travel(timezone.now() - datetime.timedelta(days=20)):
        make_review(status="draft", headline="Forgotten draft")
    content = desk(client)
    for words in [
        "Submitted and waiting (1)",
        "Waiting for you",
        "Comments held for moderation (1)",
        "Maya on",
        "Scheduled next (1)",
        "Coming Friday",
        "Drafts untouched for two weeks (1)",
        "Forgotten draft",
        "Last published",
        "Out now",
    ]:
        assert words in content
    reviews = reverse("admin:reviews_review_changelist")
    assert f'href="{reviews}?status__exact=submitted"' in content
    assert 'queue=pending"' in content


def test_each_section_links_to_a_list_that_answers(client):
    client.force_login(make_editor())
    with time_machine.travel(timezone.now() - datetime.timedelta(days=20)):
        old = make_review(status="draft", headline="Forgotten draft")
    make_review(status="draft", headline="Fresh draft")
    response = client.get(
        reverse("admin:reviews_review_changelist"), {"status__exact": "draft", "untouched": "14"}
    )
    assert list(response.context["cl"].result_list) == [old]


def test_an_author_sees_their_own_drafts_and_notes(client):
    writer = make_writer()
    client.force_login(writer)
    make_review(
        author=writer.author_profile,
        status="draft",
        headline="My draft",
        editor_note="Tighten the ending.",
    )
    make_review(status="submitted", headline="Someone else's")
    content = desk(client)
    assert "My draft" in content
    assert "Tighten the ending." in content
    assert "Someone else" not in content
    assert "Comments held" not in content
