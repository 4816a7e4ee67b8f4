import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from reviews.models import Comment, Rating, Review
from subscriptions.models import Subscriber
from tests.browser.conftest import admin_login
from tests.factories import make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_rates_and_comments_and_an_editor_approves(
    page, live_server, superuser, settings
):
    # The test types faster than the minimum time on page a person needs.
    settings.COMMENT_FORM_MIN_SECONDS = 0
    review = make_review(headline="Night trains")
    url = f"{live_server.url}{review.get_absolute_url()}"

    page.goto(url)
    page.click('#reader-rating label[title="4.5 stars"]')
    # Function strings would need 'unsafe-eval', which the site's CSP refuses.
    expect(page.locator("[data-rating-heading]")).to_contain_text("(1)")
    expect(page.locator("[data-rating-status]")).to_have_text("Your rating: 4.5")
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
    expect(page.locator("[data-rating-status]")).to_have_text("Your rating: 4.5")

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


def test_a_comment_with_an_error_comes_back_with_its_fields_visible_and_filled(
    page, live_server, settings
):
    settings.COMMENT_FORM_MIN_SECONDS = 0
    review = make_review(headline="Night trains")
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    typed = {
        "#id_name": "Night Owl",
        "#id_email": "owl at example",
        "#id_text": "Two lines.\nSee?",
    }
    for field, value in typed.items():
        page.fill(field, value)
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("#id_email.is-invalid")

    viewport = page.viewport_size["width"]
    for field, value in typed.items():
        box = page.locator(field)
        expect(box).to_be_visible()
        expect(box).to_have_value(value)
        x = box.bounding_box()
        assert x["x"] >= 0 and x["x"] + x["width"] <= viewport and x["width"] > 100, (field, x)
    error = page.locator("#id_email ~ .invalid-feedback, #id_email_error").first
    expect(error).to_be_visible()
    expect(error).to_contain_text("valid email address")
    # The honeypot stays out of sight and out of the accessibility tree.
    expect(page.locator("#id_website")).to_be_hidden()
    assert "Leave this empty" not in page.locator("#comment-form").aria_snapshot()

    page.fill("#id_email", "owl@example.com")
    page.click("#comment-form button[type=submit]")
    page.wait_for_url(re.compile(r"\?comment=received"))
    # Browsers send line breaks as CRLF.
    assert Comment.objects.get().text.splitlines() == ["Two lines.", "See?"]


def test_a_comment_sent_too_soon_is_kept_and_taken_when_sent_again(page, live_server, settings):
    # Long enough that even a loaded machine sends the first post too soon.
    settings.COMMENT_FORM_MIN_SECONDS = 60
    review = make_review(headline="Night trains")
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    page.fill("#id_name", "Night Owl")
    page.fill("#id_email", "owl@example.com")
    page.fill("#id_text", "Pasted in a hurry.")
    page.click("#comment-form button[type=submit]")
    expect(page.locator("#comment-form .alert")).to_contain_text("did not post it")
    expect(page.locator("#id_text")).to_have_value("Pasted in a hurry.")
    assert not Comment.objects.exists()

    # The page that came back carries a fresh start time: once the (now
    # shorter) minimum has passed since it, the same text goes through.
    settings.COMMENT_FORM_MIN_SECONDS = 1
    page.wait_for_timeout(1_500)
    page.click("#comment-form button[type=submit]")
    page.wait_for_url(re.compile(r"\?comment=received"))
    assert "awaiting moderation" in page.inner_text("#comments")
    assert Comment.objects.get().text == "Pasted in a hurry."


def rating_posts(page):
    """The rating votes the page sends, as a list that fills while the test runs."""
    posts = []
    page.on(
        "request",
        lambda request: (
            posts.append(request.post_data)
            if request.method == "POST" and request.url.endswith("/rating/")
            else None
        ),
    )
    return posts


def test_arrow_keys_move_the_star_choice_and_enter_sends_one_vote(page, live_server):
    review = make_review(headline="Night trains")
    posts = rating_posts(page)
    page.goto(f"{live_server.url}{review.get_absolute_url()}")

    page.locator("#id_rating_value_0").focus()
    page.keyboard.press("Space")  # half a star
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    expect(page.locator('#reader-rating input[value="4.5"]')).to_be_checked()
    focused = page.locator('label[for="id_rating_value_8"]')
    assert focused.evaluate("label => getComputedStyle(label).outlineStyle") == "solid"
    page.wait_for_timeout(300)
    assert posts == []  # moving the choice sends nothing

    page.keyboard.press("Enter")
    expect(page.locator("[data-rating-status]")).to_have_text("Your rating: 4.5")
    expect(page.locator("[data-rating-heading]")).to_have_text("User Ratings (1)")
    assert len(posts) == 1

    # Changing one's mind: one step back, then the Rate button.
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Rate"
    page.keyboard.press("Enter")
    expect(page.locator("[data-rating-status]")).to_have_text("Your rating: 4")
    assert len(posts) == 2
    rating = Rating.objects.get()
    assert rating.value == Decimal("4.0")
    assert Review.objects.get(pk=review.pk).rating_count == 1


def test_a_click_on_a_star_sends_one_vote_and_every_target_is_big_enough(page, live_server):
    review = make_review(headline="Night trains")
    posts = rating_posts(page)
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    stars = page.locator("#reader-rating label.star-pick")
    assert stars.count() == 10
    for i in range(10):
        box = stars.nth(i).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box  # WCAG 2.2, 2.5.8

    page.dblclick('#reader-rating label[title="3 stars"]')  # one choice, however eager
    expect(page.locator("[data-rating-status]")).to_have_text("Your rating: 3")
    page.wait_for_timeout(300)
    assert len(posts) == 1
    assert Rating.objects.get().value == Decimal("3.0")
    # What a screen reader meets: a group of ten named radio buttons, one of them checked.
    tree = page.locator("#div_id_rating_value").aria_snapshot()
    assert 'group "Your rating"' in tree
    assert 'radio "3 stars" [checked]' in tree and 'radio "4.5 stars"' in tree


def test_the_star_control_works_without_javascript(browser, live_server):
    review = make_review(headline="Night trains")
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{live_server.url}{review.get_absolute_url()}")
    tab.click('#reader-rating label[title="4.5 stars"]')
    assert Rating.objects.count() == 0  # chosen, not sent
    tab.click("#reader-rating button[type=submit]")
    tab.wait_for_url(re.compile(r"\?rated=4.5#reader-rating$"))
    assert tab.inner_text("[data-rating-status]") == "Your rating: 4.5"
    assert tab.locator('#reader-rating input[value="4.5"]').is_checked()
    assert Rating.objects.get().value == Decimal("4.5")
    context.close()
