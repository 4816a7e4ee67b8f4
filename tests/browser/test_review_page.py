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


@pytest.mark.parametrize("width", [390, 1280])
def test_pictures_in_the_sections_sit_at_the_top_of_their_cell(browser, live_server, width):
    """A <picture>'s <source> elements make no grid cell of their own."""
    load_demo()
    tab = browser.new_page(viewport={"width": width, "height": 900})
    tab.goto(live_server.url + RUST_AND_BONE)
    for section, text in [(".more-by-item", "h3"), (".author-box", "h2")]:
        box = tab.locator(section).first
        image_top = box.locator("img").bounding_box()["y"]
        section_top = box.bounding_box()["y"]
        # Where the content starts: under the box's top border and padding.
        content_top = box.evaluate(
            "el => parseFloat(getComputedStyle(el).borderTopWidth)"
            " + parseFloat(getComputedStyle(el).paddingTop)"
        )
        assert image_top - section_top <= content_top + 1, (section, width)
        if width == 1280:  # beside the text, level with it
            assert abs(image_top - box.locator(text).bounding_box()["y"]) < 12, section
    tab.close()
