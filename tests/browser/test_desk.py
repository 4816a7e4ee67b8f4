"""
The editorial desk in Chromium: an author submits from the form, the editor
sees it on the desk, is e-mailed and publishes with one click; and axe on the
customised admin pages.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from reversion.models import Version

from filmblog.demo import load_demo
from filmblog.demo_content import DEMO_PASSWORD
from people.models import AuthorProfile
from reviews import workflow
from reviews.models import Film, Review
from tests.browser.conftest import admin_login, type_into_autocomplete
from tests.browser.test_accessibility import AXE, AXE_MISSING, assert_no_blocking_violations
from tests.factories import make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "A Prophet, from the desk"


def with_addresses():
    users = get_user_model().objects
    users.filter(username="iris").update(email="iris@example.com")
    users.filter(username="editor").update(email="editor@example.com")


def test_an_author_submits_from_the_form_and_an_editor_publishes_in_one_click(
    browser, page, live_server
):
    load_demo()
    with_addresses()

    admin_login(page, live_server, "iris", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reviews/review/add/")
    type_into_autocomplete(page, ".field-film .select2-selection", "Prophet")
    page.locator(".select2-results__option", has_text="A Prophet").click()
    page.fill("#id_headline", HEADLINE)
    page.locator(".ProseMirror[contenteditable=true]").first.click()
    page.keyboard.type("Malik's education still feels like a thriller and a warning.")
    page.click("button[name=_move][value=submit]")
    page.wait_for_url(re.compile(r"/admin/reviews/review/$"))
    review = Review.objects.get(headline=HEADLINE)
    assert review.status == Review.Status.SUBMITTED
    assert [m.to for m in mail.outbox] == [["editor@example.com"]]

    editor_context = browser.new_context()
    editor_page = editor_context.new_page()
    editor_page.set_default_timeout(15_000)
    admin_login(editor_page, live_server, "editor", DEMO_PASSWORD)
    desk = editor_page.locator("#desk")
    assert HEADLINE in desk.inner_text()
    desk.get_by_role("link", name=HEADLINE).click()
    editor_page.click("button[name=_move][value=publish]")
    editor_page.wait_for_url(re.compile(r"/admin/reviews/review/$"))
    editor_context.close()
    assert Review.objects.get(pk=review.pk).is_public
    assert mail.outbox[-1].to == ["iris@example.com"]
    assert "was published" in mail.outbox[-1].body

    page.goto(f"{live_server.url}/")
    assert HEADLINE in page.content()


# django-prose-editor names its icon buttons with aria-label ("bold") while their
# visible text is the icon font's ligature ("format_bold"): the library's markup,
# which screen readers announce correctly. Allowed on its menubar only.
EDITOR_TOOLBAR_NAMES = {"label-content-name-mismatch": ".prose-menubar"}


@pytest.mark.skipif(bool(AXE_MISSING), reason=AXE_MISSING or "axe-core is installed")
def test_the_desk_pages_have_no_serious_accessibility_violations(page, live_server):
    load_demo()
    page.add_init_script(path=str(AXE))
    review = Review.objects.filter(status=Review.Status.PUBLISHED).first()
    editor = get_user_model().objects.get(username="editor")
    workflow.unpublish(review, by=editor)
    workflow.publish(review, by=editor)
    admin_login(page, live_server, "editor", DEMO_PASSWORD)
    versions = list(Version.objects.get_for_object(review).order_by("pk"))
    pages = [
        "/admin/",
        f"/admin/reviews/review/{review.pk}/change/",
        # Autocomplete fields (select2) and inline rows of credits and releases.
        f"/admin/reviews/film/{review.film.pk}/change/",
        f"/admin/reviews/review/{review.pk}/history/",
        f"/admin/reviews/review/{review.pk}/history/compare/"
        f"?old={versions[0].pk}&new={versions[-1].pk}",
        "/admin/reviews/comment/?queue=pending",
        "/account/",
    ]
    failures = []
    for address in pages:
        page.goto(f"{live_server.url}{address}")
        try:
            assert_no_blocking_violations(page, allowed=EDITOR_TOOLBAR_NAMES)
        except AssertionError as exc:
            failures.append(str(exc))
    assert not failures, "\n\n".join(failures)


@pytest.mark.skipif(bool(AXE_MISSING), reason=AXE_MISSING or "axe-core is installed")
def test_the_film_form_names_its_autocompletes_and_the_fields_of_every_row(page, live_server):
    load_demo()
    page.add_init_script(path=str(AXE))
    film = Film.objects.get(slug="rust-and-bone")
    admin_login(page, live_server, "editor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reviews/film/{film.pk}/change/")
    credits = page.locator("#credits-group")
    first = credits.locator("tr.has_original").first
    assert first.get_by_role("combobox", name="Person Jacques Audiard").count() == 1
    assert first.get_by_role("combobox", name="Role").count() == 1
    assert first.get_by_role("spinbutton", name="Billing order").count() == 1
    assert first.get_by_role("checkbox", name=re.compile(r"^Delete Jacques Audiard")).count()
    assert page.get_by_role("searchbox", name=re.compile("Genres")).count() == 1
    # A row added in the page is named as well, once select2 has drawn it.
    credits.locator(".add-row a").click()
    added = credits.locator("tr.dynamic-credits").last
    added.get_by_role("combobox", name="Person").wait_for()
    assert added.get_by_role("textbox", name="Character").count() == 1
    assert_no_blocking_violations(page)


LONG_HEADLINE = (
    "A patient, unsparing and quietly furious portrait of a family holding on through "
    "one long winter in the north, while the town around them forgets its own name"
)


def test_the_review_list_fits_1280_px_beside_its_filters(page, live_server):
    """
    Every column of the review list is in view next to the filter sidebar at 1280 px,
    with long headlines and film titles and every status among 30 more reviews; each
    headline takes at most two lines, and the thumbnails are small renditions.
    """
    load_demo()
    films = list(Film.objects.all())
    authors = list(AuthorProfile.objects.all())
    now = timezone.now()
    statuses = ["published", "scheduled", "submitted", "draft", "unpublished"]
    for n in range(30):
        status = statuses[n % len(statuses)]
        when = {"published": now - timedelta(days=n), "scheduled": now + timedelta(days=n)}
        make_review(
            film=films[n % len(films)],
            author=authors[n % len(authors)],
            headline=f"{LONG_HEADLINE} ({n})",
            status=status,
            published_at=when.get(status),
            featured=n % 4 == 0,
        )
    admin_login(page, live_server, "editor", DEMO_PASSWORD)
    assert page.viewport_size["width"] == 1280
    for address in ["/admin/reviews/review/", "/admin/reviews/review/?o=-5"]:
        page.goto(f"{live_server.url}{address}")
        filters = page.locator("#changelist-filter").bounding_box()
        results = page.locator("#changelist .results").bounding_box()
        assert results["x"] + results["width"] <= filters["x"]
        # Nothing is pushed out of the results box into a sideways scroll.
        assert page.locator("#changelist .results").evaluate(
            "box => box.scrollWidth <= box.clientWidth"
        )
        for name in ["headline", "film", "status_now", "stars", "publish_time", "featured"]:
            column = page.locator(f"#result_list thead th.column-{name}").bounding_box()
            assert column["x"] >= results["x"], name
            assert column["x"] + column["width"] <= results["x"] + results["width"], name
        lines = page.locator("#result_list tbody .field-headline a").evaluate_all(
            """links => links.map(link => Math.round(link.getBoundingClientRect().height
                / parseFloat(getComputedStyle(link).lineHeight)))"""
        )
        assert len(lines) == 33
        assert max(lines) <= 2, lines
        thumbnails = page.locator("#result_list td.field-thumbnail img")
        assert thumbnails.count() == 33
        for src in thumbnails.evaluate_all("images => images.map(image => image.src)"):
            assert "/renditions/thumb/" in src, src
