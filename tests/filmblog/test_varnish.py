"""
Varnish in front of the app, as docs/deploy.md runs it: Debian's varnishd with
the shipped VCL (deploy/varnish/filmblog.vcl) before gunicorn, on a SQLite
database and a redis-server of the test's own. The app purges Varnish by tag
(VARNISH_PURGE_URLS) when a change commits.

- A page is a hit after the first request.
- An edit is purged from Varnish when it commits: every request after the
  commit shows it.
- A signed-in visitor's page and a POST are never cached.
- While the app is stopped, the pages Varnish has are still served (grace),
  marked stale.
"""

import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.services import (
    RedisServer,
    VarnishServer,
    answers,
    collected_static,
    free_port,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]
# The site runs on a database of its own: CI runs this module in its SQLite leg only.
pytestmark = pytest.mark.own_site
SHARED_SECONDS = 3
MAKE_SITE = (
    "from tests.factories import make_review, make_editor; "
    "make_review(headline='Two hours in Paris', slug='cleo'); "
    "make_review(headline='Another film', slug='other'); "
    "make_editor(username='iris', password='pw')"
)


def request(url, *, method="GET", data=None, headers=None, opener=None):
    """(status, headers, body) of a request, errors included."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with (opener.open if opener else urllib.request.urlopen)(req, timeout=60) as response:
            return response.status, response.headers, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


class App:
    """gunicorn with DEBUG off, which the tests may stop and start."""

    def __init__(self, env):
        self.env = env
        self.port = int(env["BIND"].rsplit(":", 1)[1])
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "2", "-b", self.env["BIND"]]
            + ["--timeout", "60", "filmblog.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: answers(self.port), "gunicorn start", seconds=60)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
            self.process = None


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("varnish-site")
    redis = RedisServer()
    redis.start()
    port = free_port()
    varnish = VarnishServer(backend_port=port)
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "varnish-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "CACHE_URL": redis.url,
        "MEDIA_ROOT": str(folder / "media"),
        "DJANGO_SETTINGS_MODULE": "filmblog.settings",
        "SINGLE_SERVER_MEDIA": "1",
        "WEB_CONCURRENCY": "2",
        "BIND": f"127.0.0.1:{port}",
        "VARNISH_PURGE_URLS": varnish.url,
        # Short, so that the grace test sees pages past their lifetime.
        "PAGE_CACHE_SHARED_SECONDS": str(SHARED_SECONDS),
    }
    env["STATIC_ROOT"] = collected_static(tmp_path_factory, env)
    manage = [sys.executable, "manage.py"]
    migrate = manage + ["migrate", "--no-input", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        manage + ["shell", "-c", MAKE_SITE], cwd=ROOT, env=env, check=True, capture_output=True
    )
    app = App(env)
    app.start()
    try:
        varnish.start()
        # The probe has seen the app healthy.
        wait_for(lambda: request(f"{varnish.url}/")[0] == 200, "Varnish to reach the app", 60)
        yield SimpleNamespace(
            app=app,
            varnish=varnish,
            url=varnish.url,
            shell=lambda code: (
                subprocess.run(
                    manage + ["shell", "-c", code],
                    cwd=ROOT,
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            ),
        )
    finally:
        varnish.stop()
        app.stop()
        redis.stop()


def text(body):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_a_page_is_a_hit_after_the_first_request(site):
    url = f"{site.url}/reviews/other/"
    status, headers, _ = request(url)
    assert status == 200
    assert headers["X-Cache"] in {"miss", "hit"}  # the probe's first page may have been this one
    status, headers, body = request(url)
    assert headers["X-Cache"] == "hit"
    assert "Another film" in body
    # Each encoding is its own copy, and each is what the client asked for.
    request(url, headers={"Accept-Encoding": "gzip"})
    status, headers, _ = request(url, headers={"Accept-Encoding": "gzip"})
    assert (headers["X-Cache"], headers["Content-Encoding"]) == ("hit", "gzip")
    request(url, headers={"Accept-Encoding": "br, gzip"})
    status, headers, _ = request(url, headers={"Accept-Encoding": "br, gzip"})
    assert (headers["X-Cache"], headers["Content-Encoding"]) == ("hit", "br")


def test_an_edit_is_purged_from_varnish_when_it_commits(site):
    """
    Every request that starts after the commit shows the edit: the purge went
    out with the commit, not when the page's lifetime ran out.
    """
    url = f"{site.url}/reviews/cleo/"
    request(url)
    assert request(url)[1]["X-Cache"] == "hit"
    answers, done = [], threading.Event()

    def reader():
        while not done.is_set():
            started = time.time()
            _, headers, body = request(url)
            answers.append((started, headers["X-Cache"], "Edited behind Varnish." in text(body)))
            time.sleep(0.05)

    polling = threading.Thread(target=reader)
    polling.start()
    try:
        committed = float(
            site.shell(
                "import time; from reviews.models import Review; "
                "r = Review.objects.get(slug='cleo'); "
                "r.standfirst = 'Edited behind Varnish.'; r.save(); print(time.time())"
            )
        )
        wait_for(lambda: any(started > committed for started, *_ in answers), "a request", 60)
    finally:
        done.set()
        polling.join(60)
    after = [fresh for started, _, fresh in answers if started > committed]
    assert after and all(after)
    # Varnish fetched it again at once, rather than serving the old copy until it expired.
    first_fresh = next(state for _, state, fresh in answers if fresh)
    assert first_fresh == "miss"
    # The review it did not touch is served from Varnish: a hit, or within grace
    # ("stale") when its short test lifetime ran out on a slow machine.
    other = f"{site.url}/reviews/other/"
    request(other)
    assert request(other)[1]["X-Cache"] in ("hit", "stale")


def test_only_the_app_servers_may_purge(site):
    status, _, _ = request(f"{site.url}/", method="PURGE", headers={"xkey-purge": "site"})
    assert status == 200  # the test runs on the app server's address
    status, _, _ = request(f"{site.url}/", method="PURGE")
    assert status == 400


def test_a_signed_in_page_and_a_post_are_never_cached(site):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    request(f"{site.url}/admin/login/", opener=opener)
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    status, _, _ = request(
        f"{site.url}/admin/login/?next=/admin/",
        method="POST",
        data={"username": "iris", "password": "pw", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{site.url}/admin/login/", "Origin": site.url},
        opener=opener,
    )
    assert status == 200
    assert any(cookie.name == "sessionid" for cookie in jar)
    url = f"{site.url}/reviews/cleo/"
    for _ in range(2):
        status, headers, body = request(url, opener=opener)
        assert headers["X-Cache"] == "pass"
        assert "Signed in as iris" in text(body)
    # Readers never get the editor's page.
    assert "Signed in as iris" not in text(request(url)[2])
    for _ in range(2):
        status, headers, body = request(
            f"{url}like/",
            method="POST",
            data={"action": "like"},
            headers={"Origin": site.url, "Accept": "application/json"},
        )
        assert status == 200
        assert headers["X-Cache"] == "pass"


def test_grace_while_the_app_is_stopped(site):
    url = f"{site.url}/reviews/other/"
    request(url)
    assert request(url)[1]["X-Cache"] == "hit"
    time.sleep(SHARED_SECONDS + 0.5)  # past its lifetime: only grace serves it now
    site.app.stop()
    try:
        for _ in range(5):
            status, headers, body = request(url)
            assert status == 200
            assert headers["X-Cache"] == "stale"
            assert "Another film" in body
            time.sleep(0.3)
        assert request(f"{site.url}/reviews/never-seen/")[0] == 503
    finally:
        site.app.start()
    wait_for(lambda: request(f"{site.url}/reviews/cleo/")[0] == 200, "the app back", 120)
