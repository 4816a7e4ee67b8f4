"""Preview shows the form's unsaved state as the public page, at two widths, and saves nothing."""

import html

import pytest
from django.urls import reverse
from reversion.models import Version

from reviews.models import Review
from tests.factories import make_editor, make_review, make_writer
from tests.reviews.test_admin_permissions import change_form

pytestmark = pytest.mark.django_db

PREVIEW = reverse("admin:reviews_review_live_preview")


def frames(response):
    """The pages inside the preview's frames, unescaped."""
    content = response.content.decode()
    pages = []
    for part in content.split('srcdoc="')[1:]:
        pages.append(html.unescape(part.split('"', 1)[0]))
    return pages


def test_the_preview_shows_unsaved_words_at_two_widths_and_saves_nothing(client):
    client.force_login(make_editor())
    review = make_review(headline="Saved headline", standfirst="Saved standfirst.")
    version = review.version
    data = change_form(
        review,
        headline="A headline not yet saved",
        body="<p>Words typed a moment ago.</p>",
        tags="unsaved-tag",
        status=review.status,
        published_at_0=review.published_at.strftime("%Y-%m-%d"),
        published_at_1=review.published_at.strftime("%H:%M:%S"),
    )
    response = client.post(f"{PREVIEW}?review={review.pk}", data)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    pages = frames(response)
    assert len(pages) == 2
    assert 'width="390"' in response.content.decode()
    assert 'width="1280"' in response.content.decode()
    for page in pages:
        assert "A headline not yet saved" in page
        assert "Words typed a moment ago." in page
        assert "unsaved-tag" in page
        assert "Preview" in page
    review.refresh_from_db()
    assert review.headline == "Saved headline"
    assert review.version == version
    assert not review.tags.exists()
    assert not Version.objects.get_for_object(review).exists()


def test_a_new_review_is_previewed_without_being_created(client):
    editor = make_editor()
    client.force_login(editor)
    film = make_review().film
    before = Review.objects.count()
    data = change_form(
        Review(film=film, headline="Brand new", slug="", version=1),
        author="",
        body="<p>First draft.</p>",
        status="draft",
    )
    response = client.post(PREVIEW, data)
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "Brand new" in frames(response)[0]
    assert Review.objects.count() == before


def test_a_form_the_preview_cannot_show_lists_what_to_fix(client):
    client.force_login(make_editor())
    review = make_review()
    response = client.post(f"{PREVIEW}?review={review.pk}", change_form(review, headline=""))
    assert response.status_code == 200
    content = response.content.decode()
    assert "The preview needs these fixed first" in content
    assert "Headline" in content
    assert frames(response) == []


def test_an_author_cannot_preview_someone_elses_review(client):
    client.force_login(make_writer())
    review = make_review()
    response = client.post(f"{PREVIEW}?review={review.pk}", change_form(review))
    assert response.status_code in (403, 404)


def test_the_preview_is_only_posted(client):
    client.force_login(make_editor())
    assert client.get(PREVIEW).status_code == 405


def test_the_change_form_has_the_preview_button(client):
    client.force_login(make_editor())
    review = make_review()
    content = client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()
    assert f'formaction="{PREVIEW}?review={review.pk}"' in content
    assert 'formtarget="filmblog-preview"' in content
