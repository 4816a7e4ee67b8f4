import pytest
from django.urls import reverse
from reversion.models import Version

from core import dates
from reviews import workflow
from reviews.models import Review
from tests.factories import make_review
from tests.reviews.test_admin_permissions import change_form

pytestmark = pytest.mark.django_db


def url(view, *args):
    return reverse(f"admin:reviews_review_{view}", args=args)


@pytest.fixture
def draft(writer):
    return make_review(
        author=writer.author_profile,
        status="draft",
        headline="First headline",
        body="<p>The first body.</p>",
    )


def save_as(client, user, draft, **changes):
    client.force_login(user)
    draft.refresh_from_db()
    return client.post(url("change", draft.pk), change_form(draft, **changes))


def test_every_admin_save_keeps_a_version_with_its_author(client, writer, draft):
    save_as(client, writer, draft, headline="Second headline")
    save_as(client, writer, draft, headline="Third headline")
    versions = Version.objects.get_for_object(draft)
    assert versions.count() == 2
    assert {v.revision.user for v in versions} == {writer}
    assert versions.first().field_dict["headline"] == "Third headline"


def test_the_editor_sees_the_history_with_who_and_what(client, writer, editor, draft):
    save_as(client, writer, draft, headline="Second headline")
    workflow.submit(draft, by=writer)
    client.force_login(editor)
    response = client.get(url("history", draft.pk))
    content = response.content.decode()
    assert "Submitted for editing" in content
    assert writer.username in content


def test_the_editor_compares_two_versions(client, writer, editor, draft):
    save_as(client, writer, draft, body="<p>The first body.</p>")
    save_as(client, writer, draft, body="<p>The revised body.</p>", headline="New headline")
    old, new = reversed(Version.objects.get_for_object(draft))
    client.force_login(editor)
    response = client.get(url("compare", draft.pk), {"old": old.pk, "new": new.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<del>first</del><ins>revised</ins>" in content
    assert "<del>First</del><ins>New</ins>" in content


def test_the_editor_restores_an_older_version(client, writer, editor, draft):
    save_as(client, writer, draft, headline="Good headline", body="<p>Good body.</p>")
    save_as(client, writer, draft, headline="Worse headline", body="<p>Worse body.</p>")
    good = Version.objects.get_for_object(draft).last()
    client.force_login(editor)
    response = client.get(url("revision", draft.pk, good.pk))
    assert response.status_code == 200
    assert "<del>Worse</del><ins>Good</ins>" in response.content.decode()
    response = client.post(url("revision", draft.pk, good.pk), {})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.headline, draft.body) == ("Good headline", "<p>Good body.</p>")
    assert "Restored its words" in Version.objects.get_for_object(draft).first().revision.comment


def test_an_author_cannot_restore_versions(client, writer, draft):
    save_as(client, writer, draft, headline="Second headline")
    version = Version.objects.get_for_object(draft).first()
    assert client.get(url("revision", draft.pk, version.pk)).status_code == 403


class TestEditConflict:
    def test_the_second_save_is_refused_with_a_message_and_its_text_kept(
        self, client, writer, editor, draft
    ):
        stale = change_form(draft, headline="The author's headline")
        save_as(client, editor, draft, headline="The editor's headline")

        client.force_login(writer)
        response = client.post(url("change", draft.pk), stale)
        assert response.status_code == 200
        content = response.content.decode()
        saved_at = dates.date_and_time(Review.objects.get(pk=draft.pk).updated_at)
        assert f"Editor {editor.username} saved this review at {saved_at}" in content
        assert "Someone else" not in content
        assert "The author&#x27;s headline" in content
        assert Review.objects.get(pk=draft.pk).headline == "The editor's headline"

    def test_saving_again_after_the_warning_replaces_the_other_version(
        self, client, writer, editor, draft
    ):
        stale = change_form(draft, headline="The author's headline")
        save_as(client, editor, draft, headline="The editor's headline")
        client.force_login(writer)
        response = client.post(url("change", draft.pk), stale)
        again = dict(
            stale, edit_version=response.context["adminform"].form["edit_version"].value()
        )
        assert client.post(url("change", draft.pk), again).status_code == 302
        assert Review.objects.get(pk=draft.pk).headline == "The author's headline"

    def test_a_workflow_change_in_between_also_counts(self, client, writer, editor, draft):
        stale = change_form(draft, headline="Edited while it was submitted")
        workflow.submit(draft, by=writer)
        client.force_login(editor)
        response = client.post(url("change", draft.pk), stale)
        assert response.status_code == 200
        assert Review.objects.get(pk=draft.pk).status == "submitted"
