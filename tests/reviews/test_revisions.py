import pytest
from django.urls import reverse
from reversion.models import Version

from reviews import workflow
from reviews.models import Review
from tests.factories import make_editor, make_review, make_writer
from tests.reviews.test_admin_permissions import change_form

pytestmark = pytest.mark.django_db


def url(view, *args):
    return reverse(f"admin:reviews_review_{view}", args=args)


@pytest.fixture
def writer():
    return make_writer()


@pytest.fixture
def editor():
    return make_editor()


@pytest.fixture
def review(writer):
    return make_review(
        author=writer.author_profile,
        status="draft",
        headline="First headline",
        body="<p>The first body.</p>",
    )


def save_as(client, user, review, **changes):
    client.force_login(user)
    review.refresh_from_db()
    return client.post(url("change", review.pk), change_form(review, **changes))


def test_every_admin_save_keeps_a_version_with_its_author(client, writer, review):
    save_as(client, writer, review, headline="Second headline")
    save_as(client, writer, review, headline="Third headline")
    versions = Version.objects.get_for_object(review)
    assert versions.count() == 2
    assert {v.revision.user for v in versions} == {writer}
    assert versions.first().field_dict["headline"] == "Third headline"


def test_the_editor_sees_the_history_with_who_and_what(client, writer, editor, review):
    save_as(client, writer, review, headline="Second headline")
    workflow.submit(review, by=writer)
    client.force_login(editor)
    response = client.get(url("history", review.pk))
    content = response.content.decode()
    assert "Submitted for editing" in content
    assert writer.username in content


def test_the_editor_compares_two_versions(client, writer, editor, review):
    save_as(client, writer, review, body="<p>The first body.</p>")
    save_as(client, writer, review, body="<p>The revised body.</p>", headline="New headline")
    old, new = reversed(Version.objects.get_for_object(review))
    client.force_login(editor)
    response = client.get(url("compare", review.pk), {"old": old.pk, "new": new.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<del>first</del><ins>revised</ins>" in content
    assert "<del>First</del><ins>New</ins>" in content


def test_the_editor_restores_an_older_version(client, writer, editor, review):
    save_as(client, writer, review, headline="Good headline", body="<p>Good body.</p>")
    save_as(client, writer, review, headline="Worse headline", body="<p>Worse body.</p>")
    good = Version.objects.get_for_object(review).last()
    client.force_login(editor)
    response = client.get(url("revision", review.pk, good.pk))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = change_form(
        Review.objects.get(pk=review.pk),
        headline=form["headline"].value(),
        body=form["body"].value(),
        edit_version=form["edit_version"].value(),
    )
    response = client.post(url("revision", review.pk, good.pk), data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.headline, review.body) == ("Good headline", "<p>Good body.</p>")
    assert "Reverted" in Version.objects.get_for_object(review).first().revision.comment


def test_an_author_cannot_restore_versions(client, writer, review):
    save_as(client, writer, review, headline="Second headline")
    version = Version.objects.get_for_object(review).first()
    assert client.get(url("revision", review.pk, version.pk)).status_code == 403


class TestEditConflict:
    def test_the_second_save_is_refused_with_a_message_and_its_text_kept(
        self, client, writer, editor, review
    ):
        stale = change_form(review, headline="The author's headline")
        save_as(client, editor, review, headline="The editor's headline")

        client.force_login(writer)
        response = client.post(url("change", review.pk), stale)
        assert response.status_code == 200
        content = response.content.decode()
        assert "Someone else saved this review while you were editing it" in content
        assert "The author&#x27;s headline" in content
        assert Review.objects.get(pk=review.pk).headline == "The editor's headline"

    def test_saving_again_after_the_warning_replaces_the_other_version(
        self, client, writer, editor, review
    ):
        stale = change_form(review, headline="The author's headline")
        save_as(client, editor, review, headline="The editor's headline")
        client.force_login(writer)
        response = client.post(url("change", review.pk), stale)
        again = dict(
            stale, edit_version=response.context["adminform"].form["edit_version"].value()
        )
        assert client.post(url("change", review.pk), again).status_code == 302
        assert Review.objects.get(pk=review.pk).headline == "The author's headline"

    def test_a_workflow_change_in_between_also_counts(self, client, writer, editor, review):
        stale = change_form(review, headline="Edited while it was submitted")
        workflow.submit(review, by=writer)
        client.force_login(editor)
        response = client.post(url("change", review.pk), stale)
        assert response.status_code == 200
        assert Review.objects.get(pk=review.pk).status == "submitted"
