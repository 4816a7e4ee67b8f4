import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from reversion.models import Version

from reviews import workflow
from reviews.models import Review
from tests.factories import make_review, make_writer

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def draft_by(user, status="draft", **kwargs):
    return make_review(author=user.author_profile, status=status, **kwargs)


class TestSubmit:
    def test_the_author_submits_a_draft(self, writer):
        review = draft_by(writer, editor_note="Tighten the ending.")
        workflow.submit(review, by=writer)
        review.refresh_from_db()
        assert review.status == Review.Status.SUBMITTED
        assert review.editor_note == ""

    def test_another_author_cannot_submit_it(self, writer):
        review = draft_by(writer)
        with pytest.raises(PermissionDenied):
            workflow.submit(review, by=make_writer())
        review.refresh_from_db()
        assert review.status == Review.Status.DRAFT

    @pytest.mark.parametrize("status", ["submitted", "scheduled", "published"])
    def test_only_a_draft_or_unpublished_review_can_be_submitted(self, writer, status):
        review = draft_by(writer)
        Review.objects.filter(pk=review.pk).update(status=status, published_at=timezone.now())
        review.refresh_from_db()
        with pytest.raises(workflow.TransitionError):
            workflow.submit(review, by=writer)


class TestPublish:
    def test_an_editor_publishes_a_submitted_review_now(self, editor, writer):
        review = draft_by(writer, status="submitted")
        with time_machine.travel(datetime.datetime(2026, 3, 1, 12, 0, tzinfo=UTC), tick=False):
            workflow.publish(review, by=editor)
        review.refresh_from_db()
        assert review.status == Review.Status.PUBLISHED
        assert review.published_at == datetime.datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
        assert Review.objects.published().filter(pk=review.pk).exists()

    def test_an_author_cannot_publish_even_their_own_review(self, writer):
        review = draft_by(writer, status="submitted")
        with pytest.raises(PermissionDenied):
            workflow.publish(review, by=writer)
        review.refresh_from_db()
        assert review.status == Review.Status.SUBMITTED

    def test_a_published_review_cannot_be_published_again(self, editor):
        review = make_review(status="published")
        with pytest.raises(workflow.TransitionError):
            workflow.publish(review, by=editor)

    def test_publishing_keeps_a_revision_saying_who_did_it(self, editor, writer):
        review = draft_by(writer, status="submitted")
        workflow.publish(review, by=editor)
        version = Version.objects.get_for_object(review).first()
        assert version.revision.user == editor
        assert version.revision.comment == "Published"


class TestSchedule:
    def test_a_scheduled_review_appears_exactly_at_its_time(self, editor, writer):
        review = draft_by(writer, status="submitted")
        at = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
        with time_machine.travel(datetime.datetime(2026, 5, 30, 8, 0, tzinfo=UTC), tick=False):
            workflow.schedule(review, at=at, by=editor)
        review.refresh_from_db()
        assert review.status == Review.Status.SCHEDULED
        with time_machine.travel(at - datetime.timedelta(seconds=1), tick=False):
            assert not Review.objects.published().filter(pk=review.pk).exists()
            assert not review.is_public
        with time_machine.travel(at, tick=False):
            assert Review.objects.published().filter(pk=review.pk).exists()
            assert review.is_public

    def test_a_scheduled_review_shows_on_the_home_page_at_its_time(self, client, editor):
        review = make_review(status="submitted", headline="Tomorrow's review")
        at = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
        with time_machine.travel(datetime.datetime(2026, 5, 31, 9, 0, tzinfo=UTC), tick=False):
            workflow.schedule(review, at=at, by=editor)
            assert "Tomorrow&#39;s review" not in client.get("/").content.decode()
            assert client.get(review.get_absolute_url()).status_code == 404
        with time_machine.travel(at, tick=False):
            assert "Tomorrow&#39;s review" in client.get("/").content.decode()
            assert client.get(review.get_absolute_url()).status_code == 200

    def test_a_time_in_the_past_is_refused(self, editor):
        review = make_review(status="submitted")
        with pytest.raises(workflow.TransitionError):
            workflow.schedule(review, at=timezone.now() - datetime.timedelta(minutes=1), by=editor)

    def test_an_author_cannot_schedule(self, writer):
        review = draft_by(writer, status="submitted")
        with pytest.raises(PermissionDenied):
            workflow.schedule(review, at=timezone.now() + datetime.timedelta(days=1), by=writer)


class TestSendBack:
    def test_an_editor_sends_a_submitted_review_back_with_a_note(self, editor, writer):
        review = draft_by(writer, status="submitted")
        workflow.send_back(review, note="The second half needs a stronger argument.", by=editor)
        review.refresh_from_db()
        assert review.status == Review.Status.DRAFT
        assert review.editor_note == "The second half needs a stronger argument."

    def test_sending_back_a_scheduled_review_cancels_its_time(self, editor):
        review = make_review(
            status="scheduled", published_at=timezone.now() + datetime.timedelta(days=2)
        )
        workflow.send_back(review, note="Hold this one.", by=editor)
        review.refresh_from_db()
        assert review.status == Review.Status.DRAFT
        assert review.published_at is None

    def test_the_note_is_required(self, editor):
        review = make_review(status="submitted")
        with pytest.raises(workflow.TransitionError):
            workflow.send_back(review, note="  ", by=editor)

    @pytest.mark.parametrize("status", ["draft", "published"])
    def test_only_submitted_or_scheduled_reviews_are_sent_back(self, editor, status):
        review = make_review(status=status)
        with pytest.raises(workflow.TransitionError):
            workflow.send_back(review, note="No.", by=editor)

    def test_an_author_cannot_send_back(self, writer):
        review = make_review(status="submitted")
        with pytest.raises(PermissionDenied):
            workflow.send_back(review, note="Mine now", by=writer)


class TestUnpublish:
    def test_an_editor_unpublishes_a_review_and_readers_lose_it(self, client, editor):
        review = make_review(status="published")
        workflow.unpublish(review, by=editor)
        review.refresh_from_db()
        assert review.status == Review.Status.UNPUBLISHED
        assert client.get(review.get_absolute_url()).status_code == 404

    def test_a_draft_cannot_be_unpublished(self, editor):
        with pytest.raises(workflow.TransitionError):
            workflow.unpublish(make_review(status="draft"), by=editor)

    def test_an_author_cannot_unpublish_their_own_review(self, writer):
        review = make_review(author=writer.author_profile, status="published")
        with pytest.raises(PermissionDenied):
            workflow.unpublish(review, by=writer)

    def test_an_unpublished_review_can_be_resubmitted(self, editor, writer):
        review = make_review(author=writer.author_profile, status="published")
        workflow.unpublish(review, by=editor)
        workflow.submit(review, by=writer)
        assert Review.objects.get(pk=review.pk).status == Review.Status.SUBMITTED
