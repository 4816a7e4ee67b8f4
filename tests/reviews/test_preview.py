import pytest
from django.urls import reverse

from tests.factories import make_editor, make_review, make_writer

pytestmark = pytest.mark.django_db


def preview_url(review):
    return reverse("reviews:review-preview", kwargs={"slug": review.slug})


@pytest.fixture
def draft(writer):
    return make_review(author=writer.author_profile, status="draft", headline="Not yet out")


def test_the_author_previews_their_draft_with_the_public_template(client, writer, draft):
    client.force_login(writer)
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    assert "reviews/review_detail.html" in [t.name for t in response.templates]
    assert response.context["review"] == draft
    assert "Not yet out" in response.content.decode()


def test_the_preview_is_private_and_not_indexed(client, writer, draft):
    client.force_login(writer)
    response = client.get(preview_url(draft))
    assert "noindex" in response["X-Robots-Tag"]
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_an_editor_previews_anyones_draft(client, draft):
    client.force_login(make_editor())
    assert client.get(preview_url(draft)).status_code == 200


def test_another_author_gets_a_404(client, draft):
    client.force_login(make_writer())
    assert client.get(preview_url(draft)).status_code == 404


def test_an_anonymous_visitor_is_asked_to_log_in(client, draft):
    response = client.get(preview_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:login"))


def test_the_draft_stays_off_the_public_page(client, writer, draft):
    client.force_login(writer)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_admin_links_a_draft_to_its_preview(client, writer, draft):
    client.force_login(writer)
    response = client.get(reverse("admin:reviews_review_change", args=[draft.pk]))
    assert preview_url(draft) in response.content.decode()
