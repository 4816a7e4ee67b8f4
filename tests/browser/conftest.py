"""
Real-browser tests: Playwright drives Debian's Chromium (scripts/install-browser.sh
installs it; Playwright's own browser download is not used). Without Chromium
these tests are skipped with a message saying how to get it.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: run scripts/install-browser.sh "
        "(or set CHROMIUM_PATH) to run the browser tests"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    # While Playwright's sync API is started it runs an event loop in this thread;
    # the Django test database is still used synchronously, which Django must be
    # told is fine. Both end with the module: the tests after it, and processes
    # they start (`manage.py check --deploy` refuses that variable), run without it.
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def admin_login(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def type_into_autocomplete(page, box, text):
    """
    Open an autocomplete box (a locator or a selector) and type ``text`` into its
    search field, once that field has the focus: keys sent earlier are lost.
    """
    box = page.locator(box) if isinstance(box, str) else box
    box.click()
    page.locator(".select2-container--open .select2-search__field").wait_for()
    page.wait_for_function("document.activeElement?.classList.contains('select2-search__field')")
    page.keyboard.type(text)
