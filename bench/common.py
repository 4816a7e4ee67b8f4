"""What the bench scripts share: where things are, databases, machine facts. No Django here."""

import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
PYTHON = sys.executable
# The PostgreSQL server the bench databases live on (one database per catalogue size).
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")

# What every bench process runs with: production settings, no SSL redirect.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "filmblog.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-not-a-secret",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "MEDIA_ROOT": str(BENCH_DIR / "media"),
    "STATIC_ROOT": str(BENCH_DIR / "static"),
    "LOG_LEVEL": "ERROR",
}
# "Cold": every cache off. "Cached": Redis in a database of the bench's own, page cache on.
COLD_ENV = {"CACHE_URL": "dummy://", "PAGE_CACHE_SECONDS": "0"}
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
CACHED_ENV = {"CACHE_URL": REDIS_URL, "PAGE_CACHE_SECONDS": "600"}


def postgres_url(database):
    parts = urlsplit(POSTGRES)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _maintenance_connection(url):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


def ensure_postgres_database(url, *, fresh=False):
    """Create the database ``url`` names if it is absent; ``fresh`` drops it first."""
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    with _maintenance_connection(url) as conn:
        if fresh:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def postgres_version():
    with _maintenance_connection(POSTGRES) as conn:
        return conn.execute("SHOW server_version").fetchone()[0].split()[0]


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def load_average():
    return os.getloadavg()


def format_load(load):
    return " / ".join(f"{x:.2f}" for x in load)


def wait_for_quiet(limit, *, seconds, log=print):
    """Wait (up to ``seconds``) until the 1-minute load average is under ``limit``."""
    deadline = time.monotonic() + seconds
    while os.getloadavg()[0] >= limit and time.monotonic() < deadline:
        log(f"Load average {format_load(os.getloadavg())}: waiting for a quieter machine…")
        time.sleep(15)
    return os.getloadavg()[0] < limit


def commit():
    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    # The results file itself changes with every run.
    changed = git("status", "--porcelain", "--", ".", ":!bench/results.md")
    return head + (" (with uncommitted changes)" if changed else "")


def cpu():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine():
    import django

    return (
        f"{cpu()}, {os.cpu_count()} CPUs; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; Django {django.get_version()}"
    )


def run_json(args, env):
    """
    Run a bench script in a child process, with the production settings and
    ``env``; it reports progress on stderr and its figures as JSON on stdout.
    """
    import json

    child = subprocess.run(
        [PYTHON, *args],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION_ENV, **env},
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(child.stdout)
