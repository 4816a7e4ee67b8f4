"""
The database out of reach, under gunicorn with DEBUG off: cached pages are
still served, every other page is a plain 503 page, the health check says
"degraded", and the site recovers by itself when the database is back.

The test runs a PostgreSQL cluster and a redis-server of its own, and stops
and starts the cluster.
"""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.services import PostgresCluster, RedisServer, answers, free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
MAKE_REVIEW = (
    "from tests.factories import make_review; "
    "make_review(headline='Two hours in Paris', slug='cleo'); "
    "make_review(headline='Another film', slug='other')"
)


def get(url):
    """(status, headers, body) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
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
        "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
        "DJANGO_SETTINGS_MODULE": "filmblog.settings",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        manage + ["shell", "-c", MAKE_REVIEW], cwd=ROOT, env=env, check=True, capture_output=True
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}"]
        + ["--timeout", "30", "filmblog.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: answers(port), "gunicorn start")
        yield f"http://127.0.0.1:{port}", cluster
    finally:
        server.terminate()
        server.wait(10)
        redis.stop()
        cluster.destroy()


def test_cached_pages_stay_up_and_the_rest_is_a_plain_503(site):
    base, cluster = site
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
