import re

import pytest
from playwright.sync_api import expect

from reviews import reader_views
from reviews.models import Comment, Review
from subscriptions.models import Subscriber
from tests.browser.conftest import admin_login
from tests.factories import make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_rates_and_comments_and_an_editor_approves(
    page, live_server, superuser, monkeypatch
):
    # The test types faster than the minimum time on page a person needs.
    monkeypatch.setattr(reader_views, "COMMENT_MIN_SECONDS", 0)
    review = make_review(headline="Night trains")
    url = f"{live_server.url}{review.get_absolute_url()}"

    page.goto(url)
    page.locator('#reader-rating input[name=value][value="4.5"]').check()
    # Function strings would need 'unsafe-eval', which the site's CSP refuses.
    expect(page.locator("[data-rating-heading]")).to_contain_text("(1)")
    assert "you gave it 4.5 out of 5" in page.inner_text("[data-rating-status]")
    assert Review.objects.get(pk=review.pk).rating_count == 1

    page.click("[data-like-form] button")
    expect(page.locator("[data-like-count]")).to_have_text("1")
    expect(page.locator("[data-like-form] button")).to_have_attribute("aria-pressed", "true")

    page.fill("#id_name", "Night Owl")
    page.fill("#id_email", "owl@example.com")
    page.fill("#id_text", "The <b>dining car</b> scene!\nStill thinking about it.")
    page.click("#comment-form button[type=submit]")
    page.wait_for_url(re.compile(r"\?comment=received"))
    assert "awaiting moderation" in page.inner_text("#comments")
    assert page.locator(".comment-list").count() == 0  # nothing shown before approval

    # The reader's rating is remembered on the next visit (fetched, not in the page).
    page.goto(url)
    expect(page.locator('#reader-rating input[value="4.5"]')).to_be_checked()

    admin_login(page, live_server, "boss", "pw")
    page.goto(f"{live_server.url}/admin/reviews/comment/?queue=pending")
    assert "1 awaiting moderation" in page.content()
    page.check("input.action-select")
    page.select_option("select[name=action]", "mark_approved")
    page.click("button[name=index]")
    page.wait_for_load_state()
    assert Comment.objects.get().status == Comment.Status.APPROVED

    page.goto(url)
    comment = page.locator(".comment-list .comment").first
    assert "The <b>dining car</b> scene!" in comment.inner_text()
    assert comment.locator("b").count() == 0
    assert "(1 comment)" in page.text_content("#comments-heading")


def test_a_reader_subscribes_from_the_review_page_and_confirms(page, live_server, mailoutbox):
    review = make_review(headline="Night trains")
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    page.fill("#id_subscribe_email", "owl@example.com")
    page.fill("#id_subscribe_name", "Night Owl")
    page.click(".subscribe button[type=submit]")
    page.wait_for_url(re.compile(r"/subscribe/check-your-inbox/$"))
    assert page.locator("h1").inner_text() == "Check your inbox"

    (message,) = mailoutbox
    assert message.to == ["owl@example.com"]
    confirm_path = re.search(r"https?://[^/\s]+(/subscribe/confirm/\S+)", message.body).group(1)
    page.goto(live_server.url + confirm_path)
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "You are subscribed"
    assert Subscriber.objects.get(email="owl@example.com").state == Subscriber.State.CONFIRMED
