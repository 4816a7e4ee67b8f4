"""
The site as production runs it: gunicorn with several workers and DEBUG off,
on a PostgreSQL cluster and a redis-server of the test's own.

- Every worker's next response shows an edit, a rating or a comment.
- One server without object storage serves its uploads (SINGLE_SERVER_MEDIA).
- The database out of reach: cached pages are still served, every other page
  is a plain 503 page, the health check says "degraded", and the site
  recovers by itself when the database is back (the test stops and starts
  the cluster). A page that a rating had just purged is served as it was,
  marked stale.
"""

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.services import (
    PostgresCluster,
    RedisServer,
    answers,
    collected_static,
    free_port,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]
# The site runs on a database of its own: CI runs this module in its SQLite leg only.
pytestmark = pytest.mark.own_site
MAKE_REVIEW = (
    "from tests.factories import make_review; "
    "r = make_review(headline='Two hours in Paris', slug='cleo'); "
    "r.comments_open = True; r.save(); "
    "make_review(headline='Another film', slug='other')"
)
WORKERS = 3


def get(url):
    """(status, headers, body) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    cluster = PostgresCluster()
    redis = RedisServer()
    cluster.create()
    redis.start()
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "outage-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": cluster.url,
        "CACHE_URL": redis.url,
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
        "DJANGO_SETTINGS_MODULE": "filmblog.settings",
        "SINGLE_SERVER_MEDIA": "1",
        "WEB_CONCURRENCY": str(WORKERS),
    }
    env["STATIC_ROOT"] = collected_static(tmp_path_factory, env)
    manage = [sys.executable, "manage.py"]
    migrate = manage + ["migrate", "--no-input", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        manage + ["shell", "-c", MAKE_REVIEW], cwd=ROOT, env=env, check=True, capture_output=True
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}"]
        + ["--timeout", "30", "filmblog.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: answers(port), "gunicorn start")
        yield SimpleNamespace(
            base=f"http://127.0.0.1:{port}",
            cluster=cluster,
            media=Path(env["MEDIA_ROOT"]),
            shell=lambda code: subprocess.run(
                manage + ["shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True
            ),
        )
    finally:
        server.terminate()
        server.wait(10)
        redis.stop()
        cluster.destroy()


def post(url, data):
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_every_worker_shows_an_edit_a_rating_and_a_comment_at_once(site):
    url = f"{site.base}/reviews/cleo/"

    def everywhere(text):
        # Each request is a new connection, which any of the workers may take.
        pages = [get(url)[2] for _ in range(WORKERS * 3)]
        return all(text in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", p)) for p in pages)

    assert everywhere("User Ratings (0)")
    assert post(f"{url}rating/", {"value": "4.5"})["rating_count"] == 1
    assert everywhere("User Ratings (1)")
    assert post(f"{url}like/", {"action": "like"})["like_count"] == 1
    assert everywhere("1 reader likes this")
    site.shell(
        "from reviews.models import Review; r = Review.objects.get(slug='cleo'); "
        "r.standfirst = 'Edited in the admin.'; r.save()"
    )
    assert everywhere("Edited in the admin.")
    site.shell(
        "from reviews import reader_actions; from reviews.models import Comment, Review; "
        "from tests.factories import make_comment; "
        "c = make_comment(review=Review.objects.get(slug='cleo'), status='pending', "
        "text='Seen on every worker.'); "
        "reader_actions.moderate(Comment.objects.filter(pk=c.pk), status='approved', by=None)"
    )
    assert everywhere("Seen on every worker.")


def test_one_server_serves_its_uploads(site):
    (site.media / "posters").mkdir(parents=True, exist_ok=True)
    (site.media / "posters" / "cleo.txt").write_text("a poster")
    status, _, body = get(f"{site.base}/media/posters/cleo.txt")
    assert status == 200
    assert body == "a poster"


def test_cached_pages_stay_up_and_the_rest_is_a_plain_503(site):
    base, cluster = site.base, site.cluster
    assert get(f"{base}/reviews/cleo/")[0] == 200
    assert get(f"{base}/reviews/cleo/")[1]["X-Page-Cache"] == "hit"
    cluster.stop()
    try:
        status, headers, body = get(f"{base}/reviews/cleo/")
        assert status == 200
        assert "Two hours in Paris" in body
        status, headers, body = get(f"{base}/reviews/other/")
        assert status == 503
        assert "Intermission" in body
        assert "Traceback" not in body
        assert headers["Retry-After"] == "30"
        status, _, body = get(f"{base}/healthz/")
        assert status == 200
        assert '"degraded"' in body and '"database": "failing"' in body
    finally:
        cluster.start()
    # Back by itself: the next request opens a new connection.
    status, _, body = get(f"{base}/reviews/other/")
    assert status == 200
    assert "Another film" in body
    assert get(f"{base}/healthz/")[0] == 200


def test_a_page_a_rating_purged_is_served_stale_while_the_database_is_down(site):
    """A reader's rating purged the page seconds before PostgreSQL went away."""
    base, cluster = site.base, site.cluster
    url = f"{base}/reviews/cleo/"
    get(url)
    assert get(url)[1]["X-Page-Cache"] == "hit"
    post(f"{url}rating/", {"value": "3.0"})
    cluster.stop()
    try:
        for _ in range(WORKERS * 2):
            status, headers, body = get(url)
            assert status == 200
            assert headers["X-Page-Cache"] == "stale"
            assert "Two hours in Paris" in body
        # A page nobody asked for before has no copy: the 503 page.
        assert get(f"{base}/reviews/cleo/?never=asked")[0] == 503
    finally:
        cluster.start()
    status, headers, _ = get(url)
    assert status == 200
    assert headers["X-Page-Cache"] == "miss"
