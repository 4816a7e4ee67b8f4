import re

import pytest

from filmblog.demo import load_demo
from filmblog.demo_content import DEMO_PASSWORD
from reviews.models import Review
from tests.browser.conftest import admin_login, type_into_autocomplete

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "A Prophet, seen again ten years on"


def run_action(page, live_server, headline, action):
    """Tick one review in the changelist, run ``action`` and confirm it."""
    page.goto(f"{live_server.url}/admin/reviews/review/")
    row = page.locator("#result_list tbody tr", has_text=headline)
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    page.click("input[value='Yes, go ahead']")
    page.wait_for_url(re.compile(r"/admin/reviews/review/$"))


def test_an_author_drafts_and_submits_an_editor_publishes_a_reader_reads(
    browser, page, live_server
):
    load_demo()

    # The author writes a draft and submits it.
    admin_login(page, live_server, "iris", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reviews/review/add/")
    assert page.locator("#id_status").count() == 0  # status is the editors' business
    type_into_autocomplete(page, ".field-film .select2-selection", "Prophet")
    page.locator(".select2-results__option", has_text="A Prophet").click()
    page.fill("#id_headline", HEADLINE)
    body = page.locator(".ProseMirror[contenteditable=true]").first
    body.click()
    page.keyboard.type("Malik's education still feels like a thriller and a warning.")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/reviews/review/$"))
    review = Review.objects.get(headline=HEADLINE)
    assert review.status == Review.Status.DRAFT
    assert review.author.user.username == "iris"

    run_action(page, live_server, HEADLINE, "submit_reviews")
    assert "1 review was submitted for editing." in page.content()
    assert Review.objects.get(pk=review.pk).status == Review.Status.SUBMITTED

    # The editor publishes it.
    editor_context = browser.new_context()
    editor_page = editor_context.new_page()
    editor_page.set_default_timeout(15_000)
    admin_login(editor_page, live_server, "editor", DEMO_PASSWORD)
    run_action(editor_page, live_server, HEADLINE, "publish_reviews")
    assert "1 review was published." in editor_page.content()
    editor_context.close()

    # A reader finds it on the home page and opens it.
    reader_context = browser.new_context()
    reader_page = reader_context.new_page()
    reader_page.goto(f"{live_server.url}/")
    reader_page.get_by_role("link", name=HEADLINE).click()
    reader_page.wait_for_url(re.compile(r"/reviews/a-prophet-seen-again"))
    assert HEADLINE in reader_page.content()
    reader_context.close()


def test_an_author_rewrites_their_bio_and_readers_see_it(page, live_server):
    load_demo()
    page.goto(f"{live_server.url}/account/login/?next=/account/")
    page.fill("#id_username", "iris")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/account/")
    page.fill("#id_bio", "Iris writes about crime films and the cities they are shot in.")
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_load_state()
    assert "Your profile was saved" in page.inner_text("main")

    page.click("text=your author page")
    page.wait_for_url(re.compile(r"/authors/iris-marchetti/$"))
    assert "the cities they are shot in" in page.inner_text("main")
