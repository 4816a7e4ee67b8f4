"""
Writing around pictures, in Chromium: the editor's picture, trailer, pull
quote and spoiler buttons make what the page draws; a trailer reaches the
video site only when the reader presses play; the focal point is set with a
click or the keys; long words and queries wrap; axe on the new pieces.
"""

import re
from urllib.parse import urlsplit

import pytest

from filmblog.demo import load_demo
from filmblog.demo_content import DEMO_PASSWORD
from reviews.models import Film, Picture, Review
from tests.browser.conftest import admin_login
from tests.browser.test_accessibility import (
    AXE,
    AXE_MISSING,
    assert_no_blocking_violations,
    assert_no_violations,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUST_AND_BONE = "/reviews/rust-and-bone-two-bruised-bodies-learn-to-lean-on-each-other/"
PLAYER = "https://www.youtube-nocookie.com/"


def demo_with_renditions(page):
    """
    The demo, with the review page's renditions made before the browser asks
    (making them, AVIF above all, takes seconds on a busy machine).
    """
    from django.test import Client

    load_demo()
    page.set_default_timeout(60_000)
    Client().get(RUST_AND_BONE)


def test_the_trailer_loads_nothing_from_the_video_site_until_the_press(page, live_server):
    demo_with_renditions(page)
    own = urlsplit(live_server.url).netloc
    requests, refused = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    # The player's page stands in for YouTube's (the tests have no internet).
    page.route(
        f"{PLAYER}**",
        lambda route: route.fulfill(body="<title>player</title>", content_type="text/html"),
    )
    page.goto(f"{live_server.url}{RUST_AND_BONE}")
    page.wait_for_load_state("networkidle")
    elsewhere = [url for url in requests if urlsplit(url).netloc not in (own, "")]
    assert elsewhere == [], f"reached before the press: {elsewhere}"
    assert page.locator(".body-embed iframe").count() == 0

    page.get_by_role("button", name=re.compile("Play")).click()
    frame = page.locator(".body-embed iframe.embed-player")
    frame.wait_for()
    assert frame.get_attribute("src").startswith(f"{PLAYER}embed/RustAndBone?")
    page.wait_for_timeout(1000)
    elsewhere = {urlsplit(url).netloc for url in requests} - {own, ""}
    assert elsewhere == {"www.youtube-nocookie.com"}
    assert not refused, refused


def test_the_spoiler_stays_closed_until_opened(page, live_server):
    demo_with_renditions(page)
    page.goto(f"{live_server.url}{RUST_AND_BONE}")
    spoiler = page.locator(".prose details")
    assert spoiler.get_attribute("open") is None
    assert not page.get_by_text("The ice gives way").is_visible()
    spoiler.locator("summary").click()
    assert page.get_by_text("The ice gives way").is_visible()
    # The in-text still: a real picture, lazy, with its caption.
    figure = page.locator(".body-picture").first
    assert figure.locator("img").get_attribute("loading") == "lazy"
    assert "drawn for the filmblog demo" in figure.locator("figcaption").inner_text()


def test_the_drop_cap_is_on_the_first_paragraph_only(page, live_server):
    demo_with_renditions(page)
    review = Review.objects.get(film__slug="rust-and-bone")
    review.body = "<ul><li><p>One</p></li><li><p>Two</p></li></ul><p>Then text.</p>" + review.body
    review.save()
    page.goto(f"{live_server.url}{RUST_AND_BONE}")
    floats = page.evaluate(
        """() => [...document.querySelectorAll('.prose p')].map(
            p => getComputedStyle(p, '::first-letter').float)"""
    )
    assert floats[:2] == ["none", "none"]  # the list's paragraphs
    assert floats[2] == "left"  # the body's own first paragraph
    assert set(floats[3:]) == {"none"}


@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_query_and_long_words_do_not_widen_the_page(page, live_server, width):
    demo_with_renditions(page)
    review = Review.objects.get(film__slug="rust-and-bone")
    review.body = "<p>" + "Supercalifragilistic" * 12 + "</p>" + review.body
    review.save()
    page.set_viewport_size({"width": width, "height": 900})
    for address in [f"/search/?q={'a' * 300}", f"/search/?q={'word ' * 60}", RUST_AND_BONE]:
        page.goto(f"{live_server.url}{address}")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{address} is {scroll} px wide at {width}"


def in_the_editor(page):
    """Wait until the body editor has the focus: keys sent before it are lost."""
    page.wait_for_function("document.activeElement?.closest('.ProseMirror') != null")


def test_an_editor_puts_a_picture_a_trailer_a_pull_quote_and_a_spoiler_in_the_text(
    page, live_server
):
    demo_with_renditions(page)
    review = Review.objects.get(film__slug="a-prophet")
    picture = Picture.objects.get()
    admin_login(page, live_server, "editor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reviews/review/{review.pk}/change/")
    editor = page.locator(".ProseMirror[contenteditable=true]").first
    editor.wait_for()
    editor.click()
    in_the_editor(page)
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")

    # A picture from the library: found by a word of its description, laid out wide.
    page.locator("button[title='Picture from the library']").click()
    dialog = page.locator("dialog.library-dialog")
    dialog.get_by_label("Search the library").fill("figure lit")
    dialog.locator(".library-tile").first.click()
    dialog.get_by_label("Layout").select_option("wide")
    dialog.get_by_role("button", name="Insert picture").click()
    page.locator(".prose-picture img[src*='/renditions/tile/']").wait_for()

    # A trailer: a wrong address first, then a real one.
    page.locator("button[title^='Trailer or clip']").click()
    trailer = page.locator("dialog.prose-editor-dialog")
    trailer.get_by_label("YouTube or Vimeo address").fill("https://example.com/watch")
    trailer.get_by_role("button", name="Insert").click()
    trailer = page.locator("dialog.prose-editor-dialog")
    trailer.get_by_text("is not the address of a YouTube or Vimeo video").wait_for()
    trailer.get_by_label("YouTube or Vimeo address").fill("https://youtu.be/dQw4w9WgXcQ?t=3")
    trailer.get_by_label(re.compile("Title")).fill("The trailer")
    trailer.get_by_role("button", name="Insert").click()
    page.locator(".prose-trailer").wait_for()

    # A pull quote, then a spoiler around a paragraph.
    editor.locator("p").last.click()
    in_the_editor(page)
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("Said loudly.")
    page.locator("button[title='Pull quote']").click()
    editor.locator("blockquote[data-pull-quote]", has_text="Said loudly.").wait_for()
    in_the_editor(page)
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("Malik walks out and the cars follow him.")
    page.locator("button[title^='Spoiler']").click()
    page.locator(".prose-spoiler").wait_for()

    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/reviews/review/$"))
    review.refresh_from_db()
    assert f'<figure data-image="{picture.pk}" data-layout="wide"></figure>' in review.body
    assert '<figure data-embed="youtube:dQw4w9WgXcQ" data-title="The trailer"></figure>' in (
        review.body
    )
    assert '<blockquote data-pull-quote="">Said loudly.</blockquote>' in review.body
    # Enter at the end of the pull quote went back to a plain paragraph.
    assert re.search(
        r"<details><summary>Spoiler</summary>\s*<p>Malik walks out.*</details>", review.body
    )
    # And the page draws them.
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    assert page.locator(".body-picture-wide img").count() == 1
    assert page.get_by_role("button", name=re.compile("Play The trailer")).count() == 1


def test_an_editor_uploads_a_picture_from_the_editor(page, live_server, tmp_path):
    from PIL import Image

    demo_with_renditions(page)
    review = Review.objects.get(film__slug="a-prophet")
    still = tmp_path / "yard.png"
    Image.new("RGB", (800, 450), (90, 120, 160)).save(still)
    admin_login(page, live_server, "editor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reviews/review/{review.pk}/change/")
    page.locator(".ProseMirror[contenteditable=true]").first.click()
    page.locator("button[title='Picture from the library']").click()
    dialog = page.locator("dialog.library-dialog")
    dialog.locator("summary", has_text="Upload a new picture").click()
    dialog.get_by_label("Picture file").set_input_files(str(still))
    dialog.get_by_role("button", name="Upload to the library").click()
    dialog.get_by_text("Describe the picture first").wait_for()
    dialog.get_by_label(re.compile("Description")).fill("The prison yard at noon")
    dialog.get_by_label("Credit").fill("Photo: the editors")
    dialog.get_by_role("button", name="Upload to the library").click()
    dialog.get_by_text("Chosen: The prison yard at noon").wait_for()
    dialog.get_by_role("button", name="Insert picture").click()
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/reviews/review/$"))
    uploaded = Picture.objects.get(alt="The prison yard at noon")
    assert uploaded.credit == "Photo: the editors"
    review.refresh_from_db()
    assert f'data-image="{uploaded.pk}"' in review.body


def test_the_focal_point_is_set_with_a_click_or_the_keys(page, live_server):
    demo_with_renditions(page)
    film = Film.objects.get(slug="rust-and-bone")
    admin_login(page, live_server, "editor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reviews/film/{film.pk}/change/")
    frame = page.get_by_role("group", name=re.compile("^Focal point of the poster"))
    box = frame.bounding_box()
    frame.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    assert abs(float(page.input_value("#id_poster_focus_x")) - 0.25) <= 0.02
    assert abs(float(page.input_value("#id_poster_focus_y")) - 0.75) <= 0.02
    frame.focus()
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("ArrowUp")
    x, y = (
        float(page.input_value("#id_poster_focus_x")),
        float(page.input_value("#id_poster_focus_y")),
    )
    assert abs(x - 0.35) <= 0.02 and abs(y - 0.73) <= 0.02
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/reviews/film/$"))
    film.refresh_from_db()
    assert abs(film.poster_focus_x - x) < 0.001 and abs(film.poster_focus_y - y) < 0.001


@pytest.mark.skipif(bool(AXE_MISSING), reason=AXE_MISSING or "axe-core is installed")
def test_axe_finds_nothing_on_the_blocks_and_their_widgets(page, live_server):
    demo_with_renditions(page)
    page.add_init_script(path=str(AXE))
    page.goto(f"{live_server.url}{RUST_AND_BONE}")
    for selector in (".body-picture", ".body-embed", ".prose details", "[data-pull-quote]"):
        assert page.locator(selector).count() == 1, selector
    assert_no_violations(page)
    page.locator(".prose details summary").click()
    assert_no_violations(page)

    admin_login(page, live_server, "editor", DEMO_PASSWORD)
    review = Review.objects.get(film__slug="rust-and-bone")
    allowed = {"label-content-name-mismatch": ".prose-menubar"}
    for address in (
        f"/admin/reviews/review/{review.pk}/change/",
        f"/admin/reviews/picture/{Picture.objects.get().pk}/change/",
        "/admin/reviews/picture/",
    ):
        page.goto(f"{live_server.url}{address}")
        assert_no_blocking_violations(page, allowed=allowed)
    page.goto(f"{live_server.url}/admin/reviews/review/{review.pk}/change/")
    page.locator(".ProseMirror[contenteditable=true]").first.click()
    page.locator("button[title='Picture from the library']").click()
    page.locator("dialog.library-dialog .library-tile").first.wait_for()
    assert_no_blocking_violations(page, allowed=allowed)
