"""
The review page on paper and in the dark scheme, in a real Chromium: a review
prints as its words on one or two pages, dark on white, and the dark scheme
follows the reader's system.
"""

import re

import pytest

from filmblog.demo import load_demo
from tests.reviews.test_review_page import RUST_AND_BONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What only works on screen; none of it is printed.
SCREEN_ONLY = [
    ".site-header",
    ".site-footer",
    ".share",
    ".rating-form",
    ".likes",
    ".comment-form",
    ".comments",
    ".subscribe",
]


def luminance(css_colour):
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css_colour)[:3])
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_review_prints_as_its_words_on_three_pages_at_most(page, live_server, scheme):
    load_demo()
    page.goto(live_server.url + RUST_AND_BONE)
    page.emulate_media(media="print", color_scheme=scheme)
    for selector in SCREEN_ONLY:
        shown = page.locator(selector).evaluate_all(
            "nodes => nodes.filter(n => n.checkVisibility()).length"
        )
        assert shown == 0, selector
    for selector in [".review-headline", ".facts", ".critics", ".our-view", ".standfirst"]:
        assert page.locator(selector).is_visible(), selector
    # Dark on white everywhere: every piece of text is darker than mid-grey.
    colours = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(n => n.offsetParent && n.childNodes.length
                && [...n.childNodes].some(c => c.nodeType === 3 && c.textContent.trim()))
            .map(n => getComputedStyle(n).color)"""
    )
    assert colours and max(luminance(colour) for colour in colours) < 0.2
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") in (
        "rgb(255, 255, 255)",
        "rgba(0, 0, 0, 0)",
    )
    pdf = page.pdf(format="A4")
    # The demo review now carries an in-text still, a pull quote and a spoiler
    # as well as its words: three A4 pages at most.
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 3


def test_the_dark_scheme_follows_the_system(page, live_server):
    load_demo()
    page.emulate_media(color_scheme="light")
    page.goto(live_server.url + RUST_AND_BONE)
    assert page.locator('meta[name="color-scheme"]').get_attribute("content") == "light dark"
    themes = page.locator('meta[name="theme-color"]')
    assert sorted(themes.evaluate_all("ms => ms.map(m => m.media)")) == [
        "(prefers-color-scheme: dark)",
        "(prefers-color-scheme: light)",
    ]
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert luminance(light) > 0.8
    page.emulate_media(color_scheme="dark")
    dark_paper = page.evaluate("getComputedStyle(document.body).backgroundColor")
    dark_ink = page.evaluate("getComputedStyle(document.querySelector('.review-headline')).color")
    assert luminance(dark_paper) < 0.02 and luminance(dark_ink) > 0.7
