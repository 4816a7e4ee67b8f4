"""
The permission matrix of the review admin: author × editor × anonymous, on
their own and others' reviews, through pages and through crafted POSTs.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Review
from tests.factories import make_film, make_review

pytestmark = pytest.mark.django_db


def url(view, *args):
    return reverse(f"admin:reviews_review_{view}", args=args)


def management(prefix="critic_quotes"):
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def change_form(review, **overrides):
    """Every field of the review change form, as an editor's browser would post it."""
    data = {
        "film": str(review.film_id),
        "headline": review.headline,
        "slug": review.slug,
        "author": str(review.author_id),
        "edit_version": str(review.version),
        "standfirst": review.standfirst,
        "body": review.body or "<p>Text.</p>",
        "rating": str(review.rating or ""),
        "tags": "",
        "hero_image_alt": "",
        "status": review.status,
        "published_at_0": "",
        "published_at_1": "",
        "editor_note": "",
        **management(),
    }
    data.update(overrides)
    return data


def action(client, name, reviews, **extra):
    data = {"action": name, "_selected_action": [str(r.pk) for r in reviews], **extra}
    return client.post(url("changelist"), data)


@pytest.fixture
def own(writer):
    return make_review(author=writer.author_profile, status="draft", headline="My own draft")


@pytest.fixture
def others():
    return make_review(status="draft", headline="Somebody else's draft")


@pytest.fixture
def as_writer(client, writer):
    client.force_login(writer)
    return client


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


class TestAnonymous:
    @pytest.mark.parametrize("view", ["changelist", "add"])
    def test_is_sent_to_the_login_page(self, client, view):
        response = client.get(url(view))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    def test_cannot_change_by_post(self, client, others):
        response = client.post(url("change", others.pk), change_form(others, headline="Hacked"))
        assert response.status_code == 302
        assert Review.objects.get(pk=others.pk).headline == "Somebody else's draft"

    def test_cannot_publish_by_action(self, client, others):
        action(client, "publish_reviews", [others], confirm="yes")
        assert Review.objects.get(pk=others.pk).status == "draft"


class TestAuthor:
    def test_sees_only_their_own_reviews(self, as_writer, own, others):
        response = as_writer.get(url("changelist"))
        assert list(response.context["cl"].result_list) == [own]

    def test_cannot_open_someone_elses_review(self, as_writer, others):
        response = as_writer.get(url("change", others.pk))
        assert response.status_code == 302  # the admin's "does not exist" redirect
        assert as_writer.get(url("history", others.pk)).status_code == 404

    def test_adds_a_draft_signed_by_themselves(self, as_writer, writer):
        film = make_film()
        data = {
            "film": str(film.pk),
            "headline": "A first draft",
            "slug": "",
            "standfirst": "",
            "body": "<p>Words.</p>",
            "rating": "",
            "tags": "",
            "hero_image_alt": "",
            **management(),
        }
        response = as_writer.post(url("add"), data)
        assert response.status_code == 302
        review = Review.objects.get(headline="A first draft")
        assert review.author == writer.author_profile
        assert review.status == "draft"

    def test_a_crafted_add_cannot_publish_or_sign_for_someone_else(
        self, as_writer, writer, others
    ):
        data = {
            "film": str(make_film().pk),
            "headline": "Sneaky",
            "slug": "",
            "author": str(others.author_id),
            "status": "published",
            "published_at_0": "2020-01-01",
            "published_at_1": "10:00",
            "featured": "on",
            "body": "<p>Words.</p>",
            "tags": "",
            **management(),
        }
        assert as_writer.post(url("add"), data).status_code == 302
        review = Review.objects.get(headline="Sneaky")
        assert (review.status, review.published_at, review.featured) == ("draft", None, False)
        assert review.author == writer.author_profile

    def test_edits_their_own_draft(self, as_writer, own):
        response = as_writer.post(url("change", own.pk), change_form(own, headline="Better"))
        assert response.status_code == 302
        assert Review.objects.get(pk=own.pk).headline == "Better"

    def test_status_publish_time_and_author_are_read_only(self, as_writer, own):
        form = as_writer.get(url("change", own.pk)).context["adminform"].form
        for name in ("status", "published_at", "author", "featured"):
            assert name not in form.fields

    def test_a_crafted_post_cannot_publish_or_reassign_their_review(self, as_writer, own, others):
        data = change_form(
            own,
            headline="Still mine",
            status="published",
            published_at_0="2020-01-01",
            published_at_1="10:00",
            author=str(others.author_id),
        )
        assert as_writer.post(url("change", own.pk), data).status_code == 302
        own.refresh_from_db()
        assert own.headline == "Still mine"
        assert (own.status, own.published_at) == ("draft", None)
        assert own.author.user.username != others.author.user.username

    def test_cannot_change_someone_elses_review_by_post(self, as_writer, others):
        as_writer.post(url("change", others.pk), change_form(others, headline="Hacked"))
        assert Review.objects.get(pk=others.pk).headline == "Somebody else's draft"

    def test_cannot_edit_their_own_published_review(self, as_writer, writer):
        review = make_review(author=writer.author_profile, status="published")
        response = as_writer.get(url("change", review.pk))
        assert response.status_code == 200
        assert not response.context["has_change_permission"]  # view only
        as_writer.post(url("change", review.pk), change_form(review, headline="Changed"))
        assert Review.objects.get(pk=review.pk).headline == review.headline

    def test_deletes_their_own_draft(self, as_writer, own):
        response = as_writer.post(url("delete", own.pk), {"post": "yes"})
        assert response.status_code == 302
        assert not Review.objects.filter(pk=own.pk).exists()

    def test_cannot_delete_someone_elses_review(self, as_writer, others):
        as_writer.post(url("delete", others.pk), {"post": "yes"})
        assert Review.objects.filter(pk=others.pk).exists()

    def test_cannot_delete_their_published_review(self, as_writer, writer):
        review = make_review(author=writer.author_profile, status="published")
        assert as_writer.post(url("delete", review.pk), {"post": "yes"}).status_code == 403
        assert Review.objects.filter(pk=review.pk).exists()

    def test_cannot_bulk_delete(self, as_writer, own):
        action(as_writer, "delete_selected", [own], post="yes")
        assert Review.objects.filter(pk=own.pk).exists()

    def test_only_the_submit_action_is_offered(self, as_writer, own):
        choices = as_writer.get(url("changelist")).context["action_form"].fields["action"]
        assert [name for name, _ in choices.choices if name] == ["submit_reviews"]

    def test_submits_their_draft_after_confirming(self, as_writer, own):
        response = action(as_writer, "submit_reviews", [own])
        assert response.status_code == 200
        assert "Yes, go ahead" in response.content.decode()
        assert Review.objects.get(pk=own.pk).status == "draft"
        response = action(as_writer, "submit_reviews", [own], confirm="yes")
        assert response.status_code == 302
        assert Review.objects.get(pk=own.pk).status == "submitted"

    @pytest.mark.parametrize("name", ["publish_reviews", "schedule_reviews", "unpublish_reviews"])
    def test_crafted_editor_actions_are_refused(self, as_writer, own, name):
        at = (timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        action(as_writer, name, [own], confirm="yes", at=at)
        assert Review.objects.get(pk=own.pk).status == "draft"

    def test_cannot_submit_someone_elses_review(self, as_writer, others):
        action(as_writer, "submit_reviews", [others], confirm="yes")
        assert Review.objects.get(pk=others.pk).status == "draft"

    def test_cannot_change_films_or_people(self, as_writer):
        film = make_film()
        assert (
            as_writer.get(reverse("admin:reviews_film_change", args=[film.pk])).status_code == 200
        )
        response = as_writer.post(
            reverse("admin:reviews_film_change", args=[film.pk]), {"title": "Renamed"}
        )
        assert response.status_code == 403
        assert as_writer.get(reverse("admin:people_person_add")).status_code == 403

    def test_can_edit_films_once_an_editor_grants_it(self, as_writer, writer):
        from django.contrib.auth.models import Permission

        writer.user_permissions.add(Permission.objects.get(codename="add_film"))
        assert as_writer.get(reverse("admin:reviews_film_add")).status_code == 200


class TestEditor:
    def test_sees_everyones_reviews(self, as_editor, own, others):
        assert set(as_editor.get(url("changelist")).context["cl"].result_list) == {own, others}

    def test_edits_an_authors_review_and_keeps_its_author(self, as_editor, own, writer):
        response = as_editor.post(url("change", own.pk), change_form(own, headline="Edited"))
        assert response.status_code == 302
        own.refresh_from_db()
        assert own.headline == "Edited"
        assert own.author == writer.author_profile

    def test_writes_on_behalf_of_an_author(self, as_editor, writer):
        data = {
            "film": str(make_film().pk),
            "headline": "Ghost-written",
            "slug": "",
            "author": str(writer.author_profile.pk),
            "body": "<p>Words.</p>",
            "tags": "",
            "status": "draft",
            "published_at_0": "",
            "published_at_1": "",
            **management(),
        }
        assert as_editor.post(url("add"), data).status_code == 302
        assert Review.objects.get(headline="Ghost-written").author == writer.author_profile

    def test_publishes_in_bulk_after_confirming(self, as_editor, own, others):
        Review.objects.update(status="submitted")
        response = action(as_editor, "publish_reviews", [own, others])
        assert "Yes, go ahead" in response.content.decode()
        response = action(as_editor, "publish_reviews", [own, others], confirm="yes")
        assert response.status_code == 302
        assert set(Review.objects.values_list("status", flat=True)) == {"published"}
        messages = [str(m) for m in response.wsgi_request._messages]
        assert "2 reviews were published." in messages

    def test_schedules_for_a_time(self, as_editor, own):
        at = timezone.localtime() + datetime.timedelta(days=3)
        action(
            as_editor, "schedule_reviews", [own], confirm="yes", at=at.strftime("%Y-%m-%dT%H:%M")
        )
        own.refresh_from_db()
        assert own.status == "scheduled"
        assert own.published_at == at.replace(second=0, microsecond=0)

    def test_scheduling_without_a_time_re_asks(self, as_editor, own):
        response = action(as_editor, "schedule_reviews", [own], confirm="yes", at="yesterday")
        assert response.status_code == 200
        assert response.context["action_form"].errors["at"]
        assert Review.objects.get(pk=own.pk).status == "draft"

    def test_scheduling_in_the_past_is_refused(self, as_editor, own):
        past = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        response = action(as_editor, "schedule_reviews", [own], confirm="yes", at=past)
        assert "Pick a time in the future." in response.content.decode()

    def test_sends_back_with_a_note(self, as_editor, own):
        Review.objects.filter(pk=own.pk).update(status="submitted")
        action(as_editor, "send_back_reviews", [own], confirm="yes", note="More on the score.")
        own.refresh_from_db()
        assert (own.status, own.editor_note) == ("draft", "More on the score.")

    def test_sending_back_without_a_note_re_asks(self, as_editor, own):
        Review.objects.filter(pk=own.pk).update(status="submitted")
        response = action(as_editor, "send_back_reviews", [own], confirm="yes", note="")
        assert response.context["action_form"].errors["note"]
        assert Review.objects.get(pk=own.pk).status == "submitted"

    def test_unpublishes(self, as_editor):
        review = make_review(status="published")
        action(as_editor, "unpublish_reviews", [review], confirm="yes")
        assert Review.objects.get(pk=review.pk).status == "unpublished"

    def test_a_refused_transition_says_why_and_the_others_go_through(self, as_editor, own):
        live = make_review(status="published", headline="Already live")
        response = action(as_editor, "publish_reviews", [own, live], confirm="yes")
        messages = [str(m) for m in response.wsgi_request._messages]
        assert "1 review was published." in messages
        assert any("Already live" in m and "cannot be published" in m for m in messages)

    def test_deletes_anyones_review(self, as_editor, others):
        as_editor.post(url("delete", others.pk), {"post": "yes"})
        assert not Review.objects.filter(pk=others.pk).exists()

    def test_publishes_from_the_form_with_the_button(self, as_editor, own):
        data = change_form(own, _move="publish")
        assert as_editor.post(url("change", own.pk), data).status_code == 302
        assert Review.objects.get(pk=own.pk).status == "published"
