"""
An axe-core scan of every public page in a real Chromium, at 1280 and 390 px
and in the dark scheme: no violation of any impact of WCAG 2.2 A/AA or of
axe's best practices. Pages are scanned as readers reach them: with comments
and ratings, with a form's errors, signed in, after a confirmation.

axe-core is pinned in package-lock.json and installed into node_modules/ by
scripts/install-browser.sh (`npm ci`); without it these tests are skipped.
"""

import itertools
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from filmblog.demo import load_demo
from filmblog.demo_content import DEMO_PASSWORD
from people.models import AuthorProfile
from reviews import reader_actions
from reviews.models import Film, Review
from subscriptions.models import Subscriber, confirmation_token, unsubscribe_token
from tests.factories import make_comment, make_review
from tests.filmblog.factories import make_subscriber
from tests.reviews.test_review_page import RUST_AND_BONE

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}


def _missing_axe():
    if AXE.exists():
        return ""
    if shutil.which("npm") is None:
        return (
            f"axe-core not installed ({AXE}) and npm not found: install Node.js and npm, "
            "then run scripts/install-browser.sh to run the accessibility scan"
        )
    return f"axe-core not installed ({AXE}): run scripts/install-browser.sh (npm ci)"


AXE_MISSING = _missing_axe()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(bool(AXE_MISSING), reason=AXE_MISSING or "axe-core is installed"),
]


@pytest.fixture
def page(page):
    """
    A tab with axe loaded into every document it opens. An init script, unlike a
    script tag added afterwards, is not blocked by the site's Content-Security-Policy.
    """
    page.add_init_script(path=str(AXE))
    return page


# Widths scanned: a desktop and a phone.
WIDTHS = [1280, 390]
# More reviews than the home page shows, so that it has a page 2.
EXTRA_REVIEWS = 14


@pytest.fixture
def catalogue(db):
    """
    The demo catalogue, plus what readers add to it: approved comments and ratings,
    enough reviews for a second home page, a confirmed subscriber.
    """
    load_demo()
    review = Review.objects.get(slug=RUST_AND_BONE.split("/")[2])
    make_comment(review=review, name="Night Owl", text="The whale scene!\nStill with me.")
    make_comment(review=review, name="Marguerite", text="Cotillard has never been better.")
    for n, value in enumerate(["4.5", "4", "3.5"]):
        reader = reader_actions.Reader(reader_id=f"{n:032d}")
        reader_actions.rate(review, reader=reader, value=value)
    author = AuthorProfile.objects.get(slug="iris-marchetti")
    for n, film in zip(range(EXTRA_REVIEWS), itertools.cycle(Film.objects.all()), strict=False):
        make_review(
            film=film,
            author=author,
            headline=f"Looking again at {film.title}, take {n + 1}",
            standfirst="A second look, years on.",
            published_at=timezone.now() - timedelta(days=400 + n),
        )
    return review


# What the dark scheme changes: colours. Its pages are checked for those rules.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def axe_violations(page, rules=None):
    """
    Run axe on the page as it stands, for the tags of AXE_TAGS or only the
    ``rules`` named; its violations, as axe reports them.
    """
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    return page.evaluate(
        "runOnly => axe.run(document, {runOnly}).then(results => results.violations)", run_only
    )


def describe(violations):
    """One paragraph per violation: rule, impact, what to do and where."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


def duplicate_ids(page):
    """
    Ids used more than once. axe 4.x only lists these as "needs review", but a
    label or aria-describedby pointing at a shared id describes the wrong field.
    """
    return page.evaluate(
        """() => {
            const ids = [...document.querySelectorAll("[id]")].map(el => el.id);
            return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
        }"""
    )


def _allowed(page, violation, allowed):
    """Whether every node of ``violation`` sits inside the container ``allowed`` names for it."""
    container = (allowed or {}).get(violation["id"])
    if container is None:
        return False
    return page.evaluate(
        """([targets, container]) => targets.every(
            target => document.querySelector(target)?.closest(container))""",
        [[" ".join(str(t) for t in node["target"]) for node in violation["nodes"]], container],
    )


def assert_no_blocking_violations(page, allowed=None):
    """
    No serious or critical violation, except those ``allowed`` ({rule: container})
    permits: the bar for the desk, whose pages are Django's admin.
    """
    violations = axe_violations(page)
    blocking = [
        v for v in violations if v["impact"] in BLOCKING and not _allowed(page, v, allowed)
    ]
    assert not blocking, f"{page.url}\n" + describe(blocking)
    assert not duplicate_ids(page), f"{page.url}: ids used twice: {duplicate_ids(page)}"


def settle(page):
    """
    Wait for the page's transitions to end: a colour still fading into the new
    scheme is not the colour a reader reads.
    """
    page.evaluate(
        """() => Promise.all(document.getAnimations()
            .filter(animation => animation instanceof CSSTransition)
            .map(transition => transition.finished))"""
    )


def violations_at_every_width(page):
    """
    The page as it stands, scanned at each width, and for its colours in the dark
    scheme: a description of each violation of any impact, or of ids used twice.
    """
    found = []
    for scheme, widths, rules in [("light", WIDTHS, None), ("dark", WIDTHS[:1], COLOUR_RULES)]:
        page.emulate_media(color_scheme=scheme)
        settle(page)
        for width in widths:
            page.set_viewport_size({"width": width, "height": 900})
            where = f"{page.url} at {width} px, {scheme}"
            violations = axe_violations(page, rules)
            if violations:
                found.append(f"{where}\n{describe(violations)}")
            if duplicate_ids(page):
                found.append(f"{where}: ids used twice: {duplicate_ids(page)}")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    return found


def assert_no_violations(page):
    found = violations_at_every_width(page)
    assert not found, "\n\n".join(found)


def public_pages(review):
    """
    Each public page: its address, the status it answers with, and what must be
    on it for the scan to cover its real content.
    """
    subscriber = make_subscriber(email="reader@example.com", state=Subscriber.State.PENDING)
    user = get_user_model().objects.get(username="iris")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    film_slug = review.film.slug
    return {
        "home": ("/", 200, [".card-featured", ".card-grid .card", ".subscribe form"]),
        "home page 2": ("/?page=2", 200, [".card", ".pagination a[rel=prev]"]),
        "review": (
            RUST_AND_BONE,
            200,
            [
                ".critic-quote",
                ".rating-form",
                ".more-by-item",
                ".author-box",
                ".comment-list .comment",
                "#comment-form form",
                ".subscribe form",
            ],
        ),
        "film": (f"/films/{film_slug}/", 200, [".credit-list a", ".releases td", ".card"]),
        "person": ("/people/jacques-audiard/", 200, [".filmography a", ".card"]),
        "author": ("/authors/iris-marchetti/", 200, [".portrait", ".author-links a", ".card"]),
        "genre": ("/genres/drama/", 200, [".card"]),
        "sub-genre": ("/genres/inspirational-drama/", 200, [".card"]),
        "tag": ("/tags/crime/", 200, [".card"]),
        "year": ("/years/2012/", 200, [".card"]),
        "country": ("/countries/france/", 200, [".card"]),
        "archive": ("/archive/", 200, ["main a"]),
        "search with results": ("/search/?q=audiard", 200, [".results .result"]),
        "search without results": ("/search/?q=zzyzx", 200, [".empty"]),
        "search, empty": ("/search/", 200, ["main input[name=q]"]),
        "subscribe": ("/subscribe/", 200, [".subscribe form"]),
        "check your inbox": ("/subscribe/check-your-inbox/", 200, ["main p"]),
        "confirm": (
            f"/subscribe/confirm/{confirmation_token(subscriber)}/",
            200,
            ["main form button"],
        ),
        "unsubscribe": (
            f"/subscribe/unsubscribe/{unsubscribe_token(subscriber)}/",
            200,
            ["main form button"],
        ),
        "a broken subscription link": ("/subscribe/confirm/not-a-token/", 400, ["main p"]),
        "sign in": ("/account/login/", 200, ["#id_username", "#id_password"]),
        "password reset": ("/account/password/reset/", 200, ["#id_email"]),
        "password reset sent": ("/account/password/reset/sent/", 200, ["main p"]),
        "new password": (f"/account/password/reset/{uid}/{token}/", 200, ["#id_new_password1"]),
        "password reset done": ("/account/password/reset/complete/", 200, ["main a"]),
        "not found": ("/no-such-page/", 404, ["main a"]),
    }


def test_every_public_page_has_no_accessibility_violations(page, live_server, catalogue):
    failures = []
    for name, (path, status, content) in public_pages(catalogue).items():
        response = page.goto(live_server.url + path)
        assert response.status == status, name
        assert page.locator("h1").count() == 1, name
        for selector in content:
            assert page.locator(selector).count(), f"{name} page without {selector}"
        failures += violations_at_every_width(page)
    assert not failures, "\n\n".join(failures)


def test_forms_with_errors_and_their_answers_have_no_violations(
    page, live_server, catalogue, settings
):
    """The pages a reader sees after sending a form: its errors, then its answer."""
    settings.COMMENT_FORM_MIN_SECONDS = 0
    failures = []

    page.goto(f"{live_server.url}/subscribe/")
    page.fill("#id_subscribe_email", "not an address")
    page.click(".subscribe button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#id_subscribe_email[aria-invalid=true]").count() == 1
    failures += violations_at_every_width(page)

    page.goto(live_server.url + RUST_AND_BONE)
    page.click('#reader-rating label[title="4.5 stars"]')
    expect(page.locator("[data-rating-status]")).to_have_text("Your rating: 4.5")
    page.click("[data-like-form] button")
    expect(page.locator("[data-like-form] button")).to_have_attribute("aria-pressed", "true")
    failures += violations_at_every_width(page)
    page.fill("#id_name", "Night Owl")
    page.fill("#id_email", "owl at example")
    page.fill("#id_text", "Two lines.\nSee?")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("#id_email.is-invalid")
    failures += violations_at_every_width(page)
    page.fill("#id_email", "owl@example.com")
    page.click("#comment-form button[type=submit]")
    page.wait_for_url(re.compile(r"\?comment=received"))
    failures += violations_at_every_width(page)

    subscriber = make_subscriber(email="reader@example.com", state=Subscriber.State.PENDING)
    page.goto(f"{live_server.url}/subscribe/confirm/{confirmation_token(subscriber)}/")
    page.click("main form button")
    page.wait_for_load_state()
    assert "reader@example.com" in page.inner_text("main")
    failures += violations_at_every_width(page)
    page.goto(f"{live_server.url}/subscribe/unsubscribe/{unsubscribe_token(subscriber)}/")
    page.click("main form button")
    page.wait_for_load_state()
    failures += violations_at_every_width(page)

    page.goto(f"{live_server.url}/account/login/")
    page.fill("#id_username", "iris")
    page.fill("#id_password", "not the password")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("main .alert, main .invalid-feedback, main .errorlist").count()
    failures += violations_at_every_width(page)
    assert not failures, "\n\n".join(failures)


def test_the_sign_in_and_account_pages_have_no_violations(page, live_server, catalogue):
    page.goto(f"{live_server.url}/account/login/?next=/account/")
    assert_fields_are_laid_out(page, "#id_username")
    page.fill("#id_username", "iris")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/account/")
    assert_fields_are_laid_out(page, "#id_display_name")
    failures = violations_at_every_width(page)
    for path in ["/account/password/", "/account/password/done/"]:
        assert page.goto(f"{live_server.url}{path}").status == 200, path
        failures += violations_at_every_width(page)
    page.goto(f"{live_server.url}/account/")
    page.click("main form[action$='/logout/'] button")
    page.wait_for_load_state()
    failures += violations_at_every_width(page)
    assert not failures, "\n\n".join(failures)


def assert_fields_are_laid_out(page, field):
    """The form's field spans its column, under its own label, as on the review page."""
    field_box = page.locator(field).bounding_box()
    label_box = page.locator(f"label[for={field[1:]}]").bounding_box()
    column = page.locator(".form-page").bounding_box()
    assert field_box["width"] > 0.8 * (column["width"] - 40), (field_box, column)
    assert label_box["y"] + label_box["height"] <= field_box["y"], (label_box, field_box)
