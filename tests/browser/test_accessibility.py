"""
An axe-core scan of the public pages in a real Chromium: no serious or critical
violation of WCAG 2.1 A/AA or of axe's best practices on any of them.

axe-core is pinned in package-lock.json and installed into node_modules/ by
scripts/install-browser.sh (`npm ci`); without it these tests are skipped.
"""

import shutil
from pathlib import Path

import pytest

from filmblog.demo import load_demo
from filmblog.demo_content import DEMO_PASSWORD
from reviews import contributions
from reviews.models import Review
from tests.factories import make_comment
from tests.reviews.test_review_page import RUST_AND_BONE

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
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

# Each page, and what must be on it for the scan to cover its real content.
PAGES = {
    "home": ("/", [".card-featured", ".card-grid .card", ".subscribe form"]),
    "review": (
        RUST_AND_BONE,
        [
            ".critic-quote",
            ".rating-form input[type=radio]",
            ".more-by-item",
            ".author-box",
            ".comment-list .comment",
            "#comment-form form",
            ".subscribe form",
        ],
    ),
    "film": ("/films/rust-and-bone/", [".credit-list a", ".releases td", ".card"]),
    "person": ("/people/jacques-audiard/", [".portrait", ".filmography a", ".card"]),
    "author": ("/authors/iris-marchetti/", [".portrait", ".author-links a", ".card"]),
    "search": ("/search/?q=audiard", [".results .result"]),
    "subscribe": ("/subscribe/", [".subscribe form"]),
}


@pytest.fixture
def page(page):
    """
    A tab with axe loaded into every document it opens. An init script, unlike a
    script tag added afterwards, is not blocked by the site's Content-Security-Policy.
    """
    page.add_init_script(path=str(AXE))
    return page


@pytest.fixture
def catalogue(db):
    """The demo catalogue, plus what readers add to it: approved comments and ratings."""
    load_demo()
    review = Review.objects.get(slug=RUST_AND_BONE.split("/")[2])
    make_comment(review=review, name="Night Owl", text="The whale scene!\nStill with me.")
    make_comment(review=review, name="Marguerite", text="Cotillard has never been better.")
    for n, value in enumerate(["4.5", "4", "3.5"]):
        reader = contributions.Reader(reader_id=f"{n:032d}")
        contributions.rate(review, reader=reader, value=value)
    return review


def axe_violations(page):
    """Run axe on the page as it stands; its violations, as axe reports them."""
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(results => results.violations)",
        AXE_TAGS,
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
    """No serious or critical violation, except those ``allowed`` ({rule: container}) permits."""
    violations = axe_violations(page)
    blocking = [
        v for v in violations if v["impact"] in BLOCKING and not _allowed(page, v, allowed)
    ]
    assert not blocking, f"{page.url}\n" + describe(blocking)
    assert not duplicate_ids(page), f"{page.url}: ids used twice: {duplicate_ids(page)}"


@pytest.mark.parametrize("name", PAGES)
def test_the_page_has_no_serious_accessibility_violations(page, live_server, catalogue, name):
    path, content = PAGES[name]
    response = page.goto(live_server.url + path)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    for selector in content:
        assert page.locator(selector).count(), f"{name} page without {selector}"
    assert_no_blocking_violations(page)


def test_the_subscribe_form_with_an_error_has_no_serious_violations(page, live_server, catalogue):
    page.goto(f"{live_server.url}/subscribe/")
    page.fill("#id_subscribe_email", "not an address")
    page.click(".subscribe button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#id_subscribe_email[aria-invalid=true]").count() == 1
    assert_no_blocking_violations(page)


def test_the_sign_in_and_profile_pages_have_no_serious_violations(page, live_server, catalogue):
    page.goto(f"{live_server.url}/account/login/?next=/account/")
    assert_no_blocking_violations(page)
    assert_fields_are_laid_out(page, "#id_username")
    page.fill("#id_username", "iris")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/account/")
    assert_no_blocking_violations(page)
    assert_fields_are_laid_out(page, "#id_display_name")


def assert_fields_are_laid_out(page, field):
    """The form's field spans its column, under its own label, as on the review page."""
    field_box = page.locator(field).bounding_box()
    label_box = page.locator(f"label[for={field[1:]}]").bounding_box()
    column = page.locator(".form-page").bounding_box()
    assert field_box["width"] > 0.8 * (column["width"] - 40), (field_box, column)
    assert label_box["y"] + label_box["height"] <= field_box["y"], (label_box, field_box)
