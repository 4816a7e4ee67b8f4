"""
The Content-Security-Policy breaks nothing: public pages and the review editor
run in Chromium without a single blocked script, style or request.
"""

import pytest
from playwright.sync_api import expect

from filmblog.demo import load_demo
from tests.browser.conftest import admin_login
from tests.reviews.test_review_page import RUST_AND_BONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def record_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(str(error)))
    return violations


def test_public_pages_run_under_the_policy(page, live_server):
    load_demo()
    violations = record_violations(page)
    for path in ("/", RUST_AND_BONE, "/archive/", "/search/?q=rust", "/subscribe/"):
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
    # The review page's script ran: it fetched this reader's own state, and
    # gave the comment form a start time fresher than the cached page's.
    with page.expect_response(lambda response: response.url.endswith("/mine/")) as mine:
        page.goto(live_server.url + RUST_AND_BONE)
    started = mine.value.json()["comment_started"]
    expect(page.locator("#comment-form input[name=started]")).to_have_value(started)
    assert violations == []


def test_the_review_editor_runs_under_the_policy(page, live_server, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    violations = record_violations(page)
    admin_login(page, live_server, "boss", "pw")
    page.goto(f"{live_server.url}/admin/reviews/review/add/")
    expect(page.locator(".ProseMirror[contenteditable=true]").first).to_be_visible()
    assert violations == []
