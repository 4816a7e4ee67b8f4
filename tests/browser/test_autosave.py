"""
Autosave in a real browser: words typed in the review form survive a closed
tab and a session that expired while the editor wrote.
"""

import re

import pytest
from django.contrib.sessions.models import Session

from reviews.models import Review, ReviewAutosave
from tests.browser.conftest import admin_login
from tests.factories import make_editor, make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def type_in_body(page, text):
    body = page.locator(".ProseMirror[contenteditable=true]").first
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def test_words_survive_a_closed_tab_and_an_expired_session(browser, page, live_server):
    make_editor(username="vera", password="a-long-desk-password")
    review = make_review(status="draft", headline="Night train", body="<p>The opening.</p>")
    change = f"{live_server.url}/admin/reviews/review/{review.pk}/change/"
    admin_login(page, live_server, "vera", "a-long-desk-password")

    page.goto(change)
    type_in_body(page, " Written before the break.")
    status = page.locator("#autosave-status")
    status.get_by_text(re.compile("Unsaved changes kept at")).wait_for()

    # The same words, offered in another tab (as after closing this one).
    other = page.context.new_page()
    other.goto(change)
    offer = other.get_by_role("link", name=re.compile("Restore your unsaved changes from"))
    offer.wait_for()
    other.close()

    # The session ends while the editor keeps writing.
    Session.objects.all().delete()
    type_in_body(page, " Written after the session ended.")
    status.get_by_text(re.compile("signed out")).wait_for()
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/login/"))
    assert "Written after" not in Review.objects.get(pk=review.pk).body

    # Signing in again leads back to the form, which offers the words.
    page.fill("#id_username", "vera")
    page.fill("#id_password", "a-long-desk-password")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(rf"/admin/reviews/review/{review.pk}/change/$"))
    page.get_by_role("link", name=re.compile("Restore your unsaved changes from")).click()
    page.wait_for_url(re.compile(r"autosave=restore"))
    body = page.locator(".ProseMirror[contenteditable=true]").first
    body.get_by_text(re.compile("Written after the session ended")).wait_for()

    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/reviews/review/$"))
    saved = Review.objects.get(pk=review.pk).body
    assert "Written before the break." in saved
    assert "Written after the session ended." in saved
    assert not ReviewAutosave.objects.exists()
