"""The review form's workflow buttons, publishing without a time, the kept upload, live status."""

import datetime

import pytest
import time_machine
from django.core import mail  # noqa: F401
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reviews.models import Review
from tests.factories import image_file, make_review
from tests.reviews.test_admin_permissions import change_form, url

pytestmark = pytest.mark.django_db


def buttons(response):
    return [move for move, _ in response.context["workflow_buttons"]]


class TestButtons:
    def test_an_author_sees_only_submit_on_their_draft(self, client, writer):
        review = make_review(author=writer.author_profile, status="draft")
        client.force_login(writer)
        response = client.get(url("change", review.pk))
        assert buttons(response) == ["submit"]
        assert 'name="_move" value="submit"' in response.content.decode()

    def test_an_editor_sees_the_moves_of_a_submitted_review(self, client, editor):
        review = make_review(status="submitted")
        client.force_login(editor)
        assert buttons(client.get(url("change", review.pk))) == [
            "publish",
            "schedule",
            "send_back",
        ]

    def test_an_author_submits_with_one_click(self, client, writer):
        review = make_review(author=writer.author_profile, status="draft")
        client.force_login(writer)
        data = change_form(review, headline="Sharper", _move="submit")
        for name in ["author", "status", "published_at_0", "published_at_1", "editor_note"]:
            data.pop(name)
        response = client.post(url("change", review.pk), data)
        assert response.status_code == 302
        review.refresh_from_db()
        assert (review.status, review.headline) == ("submitted", "Sharper")

    def test_an_author_writes_and_submits_a_new_review_at_once(self, client, writer):
        review = make_review(status="draft")
        client.force_login(writer)
        data = change_form(review, headline="Fresh", slug="", _move="submit")
        for name in ["author", "status", "published_at_0", "published_at_1", "editor_note"]:
            data.pop(name)
        assert client.post(url("add"), data).status_code == 302
        fresh = Review.objects.get(headline="Fresh")
        assert fresh.status == "submitted"
        assert fresh.author == writer.author_profile

    def test_a_crafted_publish_by_an_author_is_refused(self, client, writer):
        review = make_review(author=writer.author_profile, status="draft")
        client.force_login(writer)
        data = change_form(review, _move="publish")
        response = client.post(url("change", review.pk), data)
        assert response.status_code == 200
        review.refresh_from_db()
        assert review.status == "draft"

    def test_the_editor_publishes_with_one_click_without_a_time(self, client, editor):
        review = make_review(status="submitted")
        client.force_login(editor)
        response = client.post(url("change", review.pk), change_form(review, _move="publish"))
        assert response.status_code == 302
        review.refresh_from_db()
        assert review.status == "published"
        assert review.is_public
        assert review in Review.objects.published()

    def test_schedule_needs_a_time_and_says_so_by_the_field(self, client, editor):
        review = make_review(status="submitted")
        client.force_login(editor)
        response = client.post(url("change", review.pk), change_form(review, _move="schedule"))
        assert response.status_code == 200
        form = response.context["adminform"].form
        assert "published_at" in form.errors
        assert not form.non_field_errors()

    def test_schedule_with_a_future_time(self, client, editor):
        review = make_review(status="submitted")
        client.force_login(editor)
        at = timezone.localtime() + datetime.timedelta(days=2)
        data = change_form(
            review,
            _move="schedule",
            published_at_0=f"{at:%Y-%m-%d}",
            published_at_1=f"{at:%H:%M:%S}",
        )
        assert client.post(url("change", review.pk), data).status_code == 302
        review.refresh_from_db()
        assert review.status == "scheduled"
        assert not review.is_public

    def test_send_back_needs_the_note_by_its_field(self, client, editor):
        review = make_review(status="submitted")
        client.force_login(editor)
        response = client.post(url("change", review.pk), change_form(review, _move="send_back"))
        assert "editor_note" in response.context["adminform"].form.errors
        data = change_form(review, _move="send_back", editor_note="Tighten the ending.")
        assert client.post(url("change", review.pk), data).status_code == 302
        review.refresh_from_db()
        assert (review.status, review.editor_note) == ("draft", "Tighten the ending.")

    def test_unpublish_with_one_click(self, client, editor):
        review = make_review(status="published", published_at=timezone.now())
        client.force_login(editor)
        data = change_form(review, _move="unpublish")
        assert client.post(url("change", review.pk), data).status_code == 302
        review.refresh_from_db()
        assert review.status == "unpublished"


class TestOneWayToMoveAReview:
    def test_the_form_has_no_status_dropdown(self, client, editor):
        review = make_review(status="draft")
        client.force_login(editor)
        response = client.get(url("change", review.pk))
        assert "status" not in response.context["adminform"].form.fields
        assert 'name="status"' not in response.content.decode()
        # The status is still shown, once, as a label.
        assert response.content.decode().count(">Status:<") == 1

    def test_a_posted_status_is_ignored(self, client, editor):
        review = make_review(status="draft")
        client.force_login(editor)
        data = change_form(review, status="published", headline="Still a draft")
        assert client.post(url("change", review.pk), data).status_code == 302
        review.refresh_from_db()
        assert (review.status, review.headline) == ("draft", "Still a draft")

    def test_a_live_review_cannot_be_hidden_by_a_future_time(self, client, editor):
        review = make_review(status="published", published_at=timezone.now())
        client.force_login(editor)
        at = timezone.localtime() + datetime.timedelta(days=2)
        data = change_form(
            review, published_at_0=f"{at:%Y-%m-%d}", published_at_1=f"{at:%H:%M:%S}"
        )
        response = client.post(url("change", review.pk), data)
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors["published_at"]
        assert "use “Schedule”" in errors[0]
        assert Review.objects.get(pk=review.pk).is_public

    def test_a_live_review_keeps_a_publish_time(self, client, editor):
        review = make_review(status="published", published_at=timezone.now())
        client.force_login(editor)
        response = client.post(url("change", review.pk), change_form(review))
        assert response.status_code == 200
        assert "“Unpublish”" in response.context["adminform"].form.errors["published_at"][0]

    def test_a_live_reviews_time_may_be_corrected_into_the_past(self, client, editor):
        review = make_review(status="published", published_at=timezone.now())
        client.force_login(editor)
        data = change_form(review, published_at_0="2024-01-01", published_at_1="10:00:00")
        assert client.post(url("change", review.pk), data).status_code == 302
        review.refresh_from_db()
        assert review.is_public
        assert review.published_at.year == 2024

    def test_a_new_review_by_an_editor_is_published_with_the_button(self, client, editor):
        review = make_review(status="draft")
        client.force_login(editor)
        data = change_form(review, headline="Straight out", slug="", _move="publish")
        data.pop("status")
        assert client.post(url("add"), data).status_code == 302
        assert Review.objects.get(headline="Straight out").is_public


class TestTheFormSpeaksToTheRole:
    def test_an_author_sees_their_own_name_on_a_new_review(self, client, writer):
        writer.author_profile.display_name = "Iris Marlowe"
        writer.author_profile.save()
        client.force_login(writer)
        content = client.get(url("add")).content.decode()
        assert "Iris Marlowe" in content
        assert 'name="author"' not in content

    def test_an_author_without_a_profile_yet_sees_their_name(self, client, writer):
        writer.author_profile.delete()
        writer.first_name, writer.last_name = "Nell", "Ray"
        writer.save()
        client.force_login(writer)
        assert "Nell Ray" in client.get(url("add")).content.decode()

    def test_an_authors_help_text_names_only_their_button(self, client, writer):
        review = make_review(author=writer.author_profile, status="draft")
        client.force_login(writer)
        content = client.get(url("change", review.pk)).content.decode()
        assert "Submit for review" in content
        assert "Schedule" not in content
        assert "Send back" not in content

    def test_an_editors_help_text_names_the_moves_on_offer(self, client, editor):
        review = make_review(status="submitted")
        client.force_login(editor)
        content = client.get(url("change", review.pk)).content.decode()
        assert "“Schedule” uses the publish time above." in content
        assert "“Send back with note”" in content
        assert "“Unpublish”" not in content


class TestKeptUpload:
    def test_a_validation_error_keeps_the_chosen_image(self, client, editor):
        review = make_review(status="draft")
        client.force_login(editor)
        upload = SimpleUploadedFile("still.png", image_file().read(), content_type="image/png")
        data = change_form(review, headline="", hero_image=upload)
        response = client.post(url("change", review.pk), data)
        assert response.status_code == 200
        form = response.context["adminform"].form
        assert "headline" in form.errors
        token = form.data["hero_image_kept"]
        assert token
        assert "still.png" in response.content.decode()
        # The second try sends no file, only the token the page carried.
        data = change_form(review, headline="Fixed", hero_image_kept=token)
        assert client.post(url("change", review.pk), data).status_code == 302
        review.refresh_from_db()
        assert review.hero_image.name.startswith("reviews/")
        assert review.hero_image.name.endswith(".png")

    def test_a_forged_token_is_ignored(self, client, editor):
        review = make_review(status="draft")
        client.force_login(editor)
        data = change_form(review, hero_image_kept="uploads/kept/x/evil.png:forged")
        assert client.post(url("change", review.pk), data).status_code == 302
        review.refresh_from_db()
        assert not review.hero_image


class TestLiveStatus:
    def test_a_scheduled_review_whose_time_has_come_is_live(self, client, editor, settings):
        settings.TIME_ZONE = "Europe/Paris"
        at = datetime.datetime(2026, 3, 10, 20, 0, tzinfo=datetime.UTC)  # 21:00 in Paris
        review = make_review(status="scheduled", published_at=at)
        client.force_login(editor)
        with time_machine.travel(at + datetime.timedelta(hours=1), tick=False):
            assert review.get_status_now_display() == "Live since 21:00 CET"
            assert "Live since 21:00 CET" in client.get(url("changelist")).content.decode()
            assert "Live since 21:00 CET" in client.get(url("change", review.pk)).content.decode()
        with time_machine.travel(at - datetime.timedelta(hours=1), tick=False):
            assert review.get_status_now_display() == "Scheduled for 21:00 CET"
