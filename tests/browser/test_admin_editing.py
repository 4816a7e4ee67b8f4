import re

import pytest

from filmblog.demo import load_demo
from filmblog.demo_content import DEMO_PASSWORD
from reviews.models import Review
from tests.browser.conftest import admin_login, type_into_autocomplete

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_writes_rich_text_in_the_review_admin(page, live_server):
    load_demo()
    review = Review.objects.get(film__slug="rust-and-bone")
    admin_login(page, live_server, "editor", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/admin/reviews/review/{review.pk}/change/")
    editor = page.locator(".ProseMirror[contenteditable=true]").first
    editor.wait_for()
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("A closing line written in the browser.")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/reviews/review/$"))
    assert "was changed successfully" in page.content()

    review.refresh_from_db()
    assert re.search(r"<p>(<strong>)?A closing line written in the browser\.", review.body)
    assert "<h2>Two performances that refuse to plead</h2>" in review.body


def test_the_person_autocomplete_finds_accented_names(page, live_server):
    load_demo()
    admin_login(page, live_server, "editor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reviews/credit/add/")
    type_into_autocomplete(page, ".field-person .select2-selection", "Stéph")
    option = page.locator(".select2-results__option", has_text="Stéphane Fontaine")
    option.wait_for()
    assert option.count() == 1
