"""The review page in a real Chromium: it fits a phone and the keyboard can reach it."""

import pytest

from filmblog.demo import load_demo
from tests.reviews.test_review_page import RUST_AND_BONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_review_page_never_scrolls_sideways(browser, live_server, width):
    load_demo()
    tab = browser.new_page(viewport={"width": width, "height": 900})
    tab.goto(live_server.url + RUST_AND_BONE)
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    assert tab.locator("h1").inner_text().startswith("Rust and Bone: two bruised bodies")
    tab.close()


def test_the_first_tab_reveals_the_skip_link(page, live_server):
    load_demo()
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live_server.url + RUST_AND_BONE)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0
