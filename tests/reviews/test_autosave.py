"""
Autosave of the review form (reviews/admin/autosave.py): kept per user and
review on the server, offered back when the form is opened again, cleared by
saving; private to its writer, checked like the form itself.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from core import dates
from reviews.models import Review, ReviewAutosave
from tests.factories import make_review
from tests.reviews.test_admin_permissions import change_form, url

pytestmark = pytest.mark.django_db


def autosave_url(review=None):
    if review is None:
        return reverse("admin:reviews_review_autosave_add")
    return reverse("admin:reviews_review_autosave", args=[review.pk])


def opened(minutes_ago=1):
    return dates.machine(timezone.now() - datetime.timedelta(minutes=minutes_ago))


def autosave(client, review=None, **fields):
    data = change_form(review, **fields) if review is not None else fields
    data = {**data, "_autosave_opened_at": fields.pop("_autosave_opened_at", opened())}
    return client.post(autosave_url(review), data)


@pytest.fixture
def draft(writer):
    return make_review(author=writer.author_profile, status="draft", headline="First words")


class TestKeeping:
    def test_the_form_is_kept_for_its_writer_and_offered_back(self, client, writer, draft):
        client.force_login(writer)
        response = autosave(client, draft, headline="Second thoughts", body="<p>Half a line")
        assert response.status_code == 200
        assert response.json()["saved"] is True
        kept = ReviewAutosave.objects.get(user=writer, review=draft)
        assert ["headline", "Second thoughts"] in kept.fields
        # Not saved into the review, and not a revision.
        assert Review.objects.get(pk=draft.pk).headline == "First words"
        assert not Version.objects.get_for_object(draft).exists()

        content = client.get(url("change", draft.pk)).content.decode()
        assert f"Restore your unsaved changes from {dates.date_and_time(kept.saved_at)}" in content
        assert "Discard them" in content

    def test_restoring_fills_the_form_with_the_kept_fields(self, client, writer, draft):
        client.force_login(writer)
        autosave(client, draft, headline="Second thoughts", body="<p>Half a line</p>")
        response = client.get(url("change", draft.pk), {"autosave": "restore"})
        form = response.context["adminform"].form
        assert form["headline"].value() == "Second thoughts"
        assert form["body"].value() == "<p>Half a line</p>"
        assert "These are your unsaved changes from" in response.content.decode()

    def test_saving_the_review_clears_the_autosave(self, client, writer, draft):
        client.force_login(writer)
        autosave(client, draft, headline="Second thoughts")
        draft.refresh_from_db()
        assert client.post(url("change", draft.pk), change_form(draft)).status_code == 302
        assert not ReviewAutosave.objects.exists()
        assert "Restore your unsaved" not in client.get(url("change", draft.pk)).content.decode()

    def test_a_new_review_is_kept_and_cleared_by_its_first_save(self, client, editor, draft):
        client.force_login(editor)
        fields = change_form(draft, headline="Not saved yet", slug="")
        del fields["edit_version"]
        response = client.post(autosave_url(), {**fields, "_autosave_opened_at": opened()})
        assert response.json()["saved"] is True
        assert ReviewAutosave.objects.get(user=editor, review=None)
        restored = client.get(url("add"), {"autosave": "restore"})
        assert restored.context["adminform"].form["headline"].value() == "Not saved yet"
        assert client.post(url("add"), fields).status_code == 302
        assert not ReviewAutosave.objects.exists()

    def test_each_writer_sees_only_their_own(self, client, writer, editor, draft):
        client.force_login(writer)
        autosave(client, draft, headline="The author's words")
        client.force_login(editor)
        content = client.get(url("change", draft.pk)).content.decode()
        assert "Restore your unsaved" not in content
        restored = client.get(url("change", draft.pk), {"autosave": "restore"})
        assert restored.context["adminform"].form["headline"].value() == "First words"

    def test_discarding_forgets_it(self, client, writer, draft):
        client.force_login(writer)
        autosave(client, draft, headline="Second thoughts")
        response = client.post(autosave_url(draft), {"_autosave": "discard"})
        assert response["Location"] == url("change", draft.pk)
        assert not ReviewAutosave.objects.exists()

    def test_a_copy_from_before_the_writers_own_save_is_not_kept(self, client, writer, draft):
        client.force_login(writer)
        long_ago = opened(minutes_ago=10)
        assert client.post(url("change", draft.pk), change_form(draft)).status_code == 302
        draft.refresh_from_db()
        response = autosave(client, draft, headline="Old", _autosave_opened_at=long_ago)
        assert response.json() == {"saved": False, "stale": True}
        assert not ReviewAutosave.objects.exists()

    def test_restoring_over_someone_elses_save_is_caught_as_a_conflict(
        self, client, writer, editor, draft
    ):
        client.force_login(writer)
        autosave(client, draft, headline="The author's words")
        client.force_login(editor)
        client.post(url("change", draft.pk), change_form(draft, headline="The editor's words"))
        client.force_login(writer)
        form = (
            client.get(url("change", draft.pk), {"autosave": "restore"}).context["adminform"].form
        )
        data = change_form(draft, headline=form["headline"].value())
        data["edit_version"] = form["edit_version"].value()
        response = client.post(url("change", draft.pk), data)
        assert response.status_code == 200
        assert f"Editor {editor.username} saved this review" in response.content.decode()


class TestWhoMay:
    def test_signed_out_is_sent_to_the_login_page(self, client, draft):
        response = autosave(client, draft, headline="x")
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]
        assert not ReviewAutosave.objects.exists()

    def test_an_author_cannot_keep_someone_elses_review(self, client, writer):
        others = make_review(status="draft")
        client.force_login(writer)
        assert autosave(client, others, headline="x").status_code == 404

    def test_an_author_cannot_keep_their_published_review(self, client, writer):
        live = make_review(author=writer.author_profile, status="published")
        client.force_login(writer)
        assert autosave(client, live, headline="x").status_code == 403

    def test_a_post_from_another_site_is_refused(self, client, writer, draft):
        client.force_login(writer)
        data = {**change_form(draft), "_autosave_opened_at": opened()}
        response = client.post(autosave_url(draft), data, headers={"Sec-Fetch-Site": "cross-site"})
        assert response.status_code == 403
        assert not ReviewAutosave.objects.exists()

    def test_the_csrf_token_is_required(self, writer, draft):
        client = Client(enforce_csrf_checks=True)
        client.force_login(writer)
        assert autosave(client, draft, headline="x").status_code == 403

    def test_only_post(self, client, writer, draft):
        client.force_login(writer)
        assert client.get(autosave_url(draft)).status_code == 405

    def test_a_missing_opening_time_is_an_answer_not_an_error(self, client, writer, draft):
        client.force_login(writer)
        response = client.post(autosave_url(draft), {"headline": "x"})
        assert response.status_code == 200
        assert response.json()["saved"] is False
