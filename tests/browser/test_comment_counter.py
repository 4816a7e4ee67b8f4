"""The comment form counts its characters and never cuts a pasted text."""

import pytest
from playwright.sync_api import expect

from reviews.models import Comment
from tests.factories import make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_counter_counts_announces_near_the_limit_and_a_long_paste_comes_back_whole(
    page, live_server, settings
):
    settings.COMMENT_FORM_MIN_SECONDS = 0
    review = make_review(headline="Night trains")
    page.goto(f"{live_server.url}{review.get_absolute_url()}")

    counter = page.locator("[data-counter-for]")
    announce = page.locator("[data-counter-announce]")
    expect(counter).to_be_visible()
    expect(counter).to_have_text("0 of 5,000 characters")
    expect(page.locator("#id_text")).to_have_attribute(
        "aria-describedby", "id_text_helptext id_text_counter"
    )

    page.fill("#id_text", "Café scène\nsecond line")  # accents and a break count once each
    expect(counter).to_have_text("22 of 5,000 characters")
    expect(announce).to_have_text("")  # far from the limit: nothing said

    page.fill("#id_text", "a" * 4600)
    expect(announce).to_have_text("400 characters left.")
    expect(counter).not_to_have_class("comment-counter muted comment-counter-over")

    # A paste over the limit is kept whole in the field, never cut at 5,000.
    long_text = " ".join(["A paragraph someone wrote with care."] * 163)  # 6,030 characters
    page.fill("#id_text", long_text)
    assert len(page.input_value("#id_text")) == len(long_text)
    expect(counter).to_have_text("6,030 of 5,000 characters")
    expect(counter).to_have_class("comment-counter muted comment-counter-over")
    expect(announce).to_have_text("Your comment is 1,030 characters over the limit of 5,000.")

    page.fill("#id_name", "Night Owl")
    page.fill("#id_email", "owl@example.com")
    page.click("#comment-form button[type=submit]")
    expect(page.locator("#comment-form")).to_contain_text(
        "Your comment has 6030 characters and a comment can have up to 5000"
    )
    assert page.input_value("#id_text") == long_text
    assert not Comment.objects.exists()
