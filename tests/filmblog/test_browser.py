"""The review page in a real Chromium: it fits a phone and the keyboard can reach it."""

import shutil

import pytest

from tests.reviews.test_review_page import RUST_AND_BONE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed"),
]


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    from filmblog.demo import load_demo

    load_demo()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield live_server.url, browser
        browser.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_review_page_never_scrolls_sideways(page, width):
    url, browser = page
    tab = browser.new_page(viewport={"width": width, "height": 900})
    tab.goto(url + RUST_AND_BONE)
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    assert tab.locator("h1").inner_text().startswith("Rust and Bone: two bruised bodies")


def test_the_first_tab_reveals_the_skip_link(page):
    url, browser = page
    tab = browser.new_page(viewport={"width": 390, "height": 900})
    tab.goto(url + RUST_AND_BONE)
    tab.keyboard.press("Tab")
    focused = tab.evaluate("document.activeElement.textContent")
    assert focused == "Skip to the content"
    assert tab.evaluate("document.activeElement.getBoundingClientRect().top") >= 0
