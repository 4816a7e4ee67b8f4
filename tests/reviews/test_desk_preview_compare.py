"""The draft preview marked as one, and the revision compare as a reader's text."""

import re

import pytest
from django.urls import reverse
from reversion.models import Version

from tests.factories import make_review
from tests.reviews.test_revisions import save_as, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(writer):
    return make_review(
        author=writer.author_profile,
        status="draft",
        headline="First headline",
        body="<p>The first body.</p><p>A second &amp; last paragraph.</p>",
    )


class TestPreview:
    def test_the_preview_says_it_is_not_published(self, client, writer, draft):
        client.force_login(writer)
        response = client.get(reverse("reviews:review-preview", kwargs={"slug": draft.slug}))
        content = response.content.decode()
        assert "Preview — not published" in content
        byline = re.search(r'<p class="byline">.*?</p>', content, re.S).group(0)
        assert "·" not in byline
        assert content.count("inert") >= 2
        # The readers' script asks for their own rating and like: not on a preview.
        assert "js/contributions.js" not in content

    def test_the_public_page_has_no_banner(self, client):
        review = make_review(status="published")
        content = client.get(review.get_absolute_url()).content.decode()
        assert "Preview — not published" not in content
        assert "inert" not in content
        assert "js/contributions.js" in content


class TestCompare:
    def test_the_body_diff_is_the_rendered_text_not_html(self, client, writer, editor, draft):
        save_as(client, writer, draft, headline="Second headline")
        save_as(
            client,
            writer,
            draft,
            body="<p>The revised body.</p><p>A second &amp; last paragraph.</p>",
        )
        old, new = reversed(Version.objects.get_for_object(draft))
        client.force_login(editor)
        response = client.get(url("compare", draft.pk), {"old": old.pk, "new": new.pk})
        content = response.content.decode()
        assert "<del>first</del><ins>revised</ins>" in content
        assert "&lt;p&gt;" not in content
        assert "A second &amp; last paragraph." in content
        # A key says what the marks mean, and the marks are more than colour.
        assert "struck through" in content and "underlined" in content

    def test_the_history_radios_start_the_right_way_round(self, client, writer, editor, draft):
        save_as(client, writer, draft, headline="Second headline")
        save_as(client, writer, draft, headline="Third headline")
        client.force_login(editor)
        content = client.get(url("history", draft.pk)).content.decode()
        newest, older = Version.objects.get_for_object(draft)[:2]
        assert re.search(rf'name="new" value="{newest.pk}"[^>]*checked', content)
        assert re.search(rf'name="old" value="{older.pk}"[^>]*checked', content)
        labels = re.findall(r'type="radio"[^>]*aria-label="([^"]+)"', content)
        assert len(labels) == len(set(labels)) == 4
