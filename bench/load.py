"""
The load run: gunicorn on PostgreSQL, wrk on loopback.

A Django hello-world (bench/hello/) is measured first and last, as the
ceiling; between them the review, home, film and search pages of filmblog on
the synthetic catalogue, first with every cache off ("cold": CACHE_URL=dummy://,
PAGE_CACHE_SECONDS=0), then with Redis in a database of the bench's own and
the page cache on ("cached"; the Redis database is flushed first and every
page warmed before it is measured). Query counts come from the same pages
requested in-process (bench/pages.py) with the same settings. Two ceilings,
every cache off: /robots.txt (filmblog's middleware around a trivial view) and
the review page rendered from objects loaded once (bench/nodb/: all the page's
work but its query). And one for the cached pages: the hello-world that first
reads from Redis what a page-cache hit reads (/redis-read/), the most a page
cache that asks Redis on every request can serve.

Settings, from the environment:

    BENCH_DURATION=10        seconds of load per scenario
    BENCH_CONNECTIONS=16     wrk connections
    BENCH_WRK_THREADS=1      wrk threads
    BENCH_WORKERS=2          gunicorn workers
    BENCH_WORKER_CLASS=sync  gunicorn worker class (sync or gthread)
    BENCH_THREADS=4          threads per worker, for gthread
    BENCH_LOAD_FILMS=20000   catalogue size
    BENCH_LOAD_DATABASE=filmblog_bench   its database
    BENCH_ACCEPT_ENCODING="br, gzip"     what every request accepts ("" for no compression)

Why sync workers: on the 2-core bench machine, with 16 connections, gthread
(4 threads per worker) served fewer requests in every case tried, in runs that
alternated the two: hello-world about 1,700 req/s against 3,400, the cold
review page 37-61 against 69-75, a cached page 760-880 against 1,500-1,650.
The pages are CPU-bound Python, so threads only add hand-offs of the GIL, and
keep-alive (which only gthread offers) saves little on loopback. Run with
BENCH_WORKER_CLASS=gthread to compare again on other hardware.
"""

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse

from bench import common

DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "1"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
FILMS = int(os.environ.get("BENCH_LOAD_FILMS", "20000"))
DATABASE = os.environ.get("BENCH_LOAD_DATABASE", "filmblog_bench")
PAGES = ["review", "home", "film", "search"]
WARM_SECONDS = 2
# Every request of the run asks for compression, as browsers do: the cached
# pages are then served compressed, and their rate is compared with the
# hello-world's (which compresses nothing) with that cost included.
ACCEPT_ENCODING = os.environ.get("BENCH_ACCEPT_ENCODING", "br, gzip")
WRK_TIMEOUT = "5s"
LOG_DIR = common.BENCH_DIR / "logs"
GUNICORN = str(common.ROOT / ".venv" / "bin" / "gunicorn")
# The production server configuration (make serve), used for both servers; the
# bench's own flags (workers, worker class, threads, address, error log) take
# precedence over it.
GUNICORN_CONF = common.ROOT / "filmblog" / "gunicorn.conf.py"

# The load run's goal, as a share of the hello-world rate: readers are served
# from the page cache, so that is the speed they feel. The cold page's goals
# are the scale run's (bench/scale.py).
CACHED_GOAL = 0.90
# The hello-world that reads a stored page from Redis first (bench/hello/urls.py).
REDIS_READ_PATH = "/redis-read/"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(base, path):
    """One GET as wrk sends it, redirects not followed: (status, headers)."""
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": ACCEPT_ENCODING})
        response = conn.getresponse()
        response.read()
        return response.status, response.headers
    finally:
        conn.close()


def server_flags():
    """The same for the hello-world and filmblog: only the application differs."""
    threads = THREADS if WORKER_CLASS == "gthread" else 1
    flags = ["--workers", str(WORKERS), "--worker-class", WORKER_CLASS, "--threads", str(threads)]
    if GUNICORN_CONF.exists():
        flags = ["--config", str(GUNICORN_CONF), *flags]
    return flags


@contextlib.contextmanager
def gunicorn(app, env, *, name, ready="/", log=print):
    """A gunicorn master serving ``app`` on a free loopback port; yields its base URL."""
    LOG_DIR.mkdir(exist_ok=True)
    logfile = LOG_DIR / f"gunicorn-{name}.log"
    port = free_port()
    command = [GUNICORN, app, *server_flags(), "--bind", f"127.0.0.1:{port}"]
    command += ["--error-logfile", str(logfile), "--log-level", "warning"]
    with open(logfile, "w") as out:
        server = subprocess.Popen(
            command,
            cwd=common.ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn ({name}) exited; see {logfile}")
            try:
                get(base, ready)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"gunicorn ({name}) did not answer; see {logfile}"
                    ) from None
                time.sleep(0.2)
        yield base
    finally:
        # SIGTERM is gunicorn's graceful shutdown: idle workers stop at once.
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wrk(url, seconds):
    """One wrk run against ``url``; its figures from bench/report.lua."""
    command = [
        "wrk",
        "--threads",
        str(WRK_THREADS),
        "--connections",
        str(CONNECTIONS),
        "--duration",
        f"{seconds}s",
        "--timeout",
        WRK_TIMEOUT,
        "--script",
        str(common.BENCH_DIR / "report.lua"),
        *(["--header", f"Accept-Encoding: {ACCEPT_ENCODING}"] if ACCEPT_ENCODING else []),
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    raw = json.loads(line.removeprefix("WRK_JSON "))
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1_000_000),
        "requests": raw["requests"],
        "p50": raw["p50_us"] / 1000,
        "p90": raw["p90_us"] / 1000,
        "p99": raw["p99_us"] / 1000,
        "max": raw["max_us"] / 1000,
        "status_errors": raw["status"],
        "socket_errors": socket_errors,
        "errors": raw["status"] + socket_errors,
    }


def measure(base, path, *, log=print):
    """
    Check the page answers 200, load it for a moment to warm every worker (and
    the cache), then measure. Records what the page cache said after warm-up.
    """
    code, _ = get(base, path)
    if code != 200:
        raise RuntimeError(f"GET {path} answered {code}, not 200")
    wrk(base + path, WARM_SECONDS)
    code, headers = get(base, path)
    result = wrk(base + path, DURATION)
    result["page_cache"] = headers.get("X-Page-Cache", "")
    result["encoding"] = headers.get("Content-Encoding", "")
    log(
        f"  {path}: {result['rps']:.0f} req/s, p50 {result['p50']:.1f} ms, "
        f"p99 {result['p99']:.1f} ms, {result['errors']} errors"
        + (f", page cache {result['page_cache']}" if result["page_cache"] else "")
        + (f", {result['encoding']}" if result["encoding"] else "")
    )
    return result


def hello(log=print, path="/"):
    env = {"DJANGO_SETTINGS_MODULE": "bench.hello.settings", "BENCH_REDIS_URL": common.REDIS_URL}
    with gunicorn("bench.hello.wsgi:application", env, name="hello", log=log) as base:
        return measure(base, path, log=log)


def filmblog(paths, env, *, name, log=print):
    server_env = {**common.PRODUCTION_ENV, **env}
    with gunicorn(
        "filmblog.wsgi:application", server_env, name=name, ready="/robots.txt", log=log
    ) as base:
        return {page: measure(base, path, log=log) for page, path in paths.items()}


def collectstatic(env):
    shutil.rmtree(common.PRODUCTION_ENV["STATIC_ROOT"], ignore_errors=True)
    subprocess.run(
        [common.PYTHON, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=common.ROOT,
        env={**os.environ, **common.PRODUCTION_ENV, **env},
        check=True,
    )


def run(log=print):
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: run scripts/install-wrk.sh (make bench does).")
    database_env = {"DATABASE_URL": common.postgres_url(DATABASE)}
    cold_env = {**database_env, **common.COLD_ENV}
    cached_env = {**database_env, **common.CACHED_ENV}
    only = ["--films", str(FILMS), "--only", ",".join(PAGES)]

    log(f"Load run: catalogue of {FILMS:,} films in {DATABASE}, in-process query counts…")
    cold_inprocess = common.run_json(["bench/pages.py", *only, "--profile", "review"], cold_env)
    common.flush_redis()
    cached_inprocess = common.run_json(["bench/pages.py", *only], cached_env)
    paths = {page: cold_inprocess["results"][page]["url"] for page in PAGES}
    collectstatic(cold_env)

    quiet = common.wait_for_quiet(
        float(os.environ.get("BENCH_QUIET_LOAD", "1.0")),
        seconds=int(os.environ.get("BENCH_QUIET_WAIT", "180")),
        log=log,
    )
    load_before = common.load_average()
    log(f"Load average before: {common.format_load(load_before)}. Hello-world…")
    hello_first = hello(log=log)
    log("filmblog, every cache off…")
    cold = filmblog(paths, cold_env, name="cold", log=log)
    log("Ceilings: a trivial filmblog view, and the review page without its query…")
    ceiling_paths = {
        "trivial view": "/robots.txt",
        "review without its query": paths["review"].replace(
            "/reviews/", "/bench/review-from-memory/", 1
        ),
    }
    ceilings = filmblog(
        ceiling_paths,
        {**cold_env, "DJANGO_SETTINGS_MODULE": "bench.nodb.settings"},
        name="ceilings",
        log=log,
    )
    log("filmblog, cached…")
    common.flush_redis()
    cached = filmblog(paths, cached_env, name="cached", log=log)
    log("The hello-world after one Redis read, as a page-cache hit makes…")
    redis_read = hello(log=log, path=REDIS_READ_PATH)
    log("Hello-world again…")
    hello_last = hello(log=log)
    load_after = common.load_average()
    return {
        "films": FILMS,
        "database": DATABASE,
        "counts": cold_inprocess["counts"],
        "paths": paths,
        "hello": [hello_first, hello_last],
        "cold": cold,
        "cached": cached,
        "ceilings": ceilings,
        "ceiling_paths": ceiling_paths,
        "redis_read": redis_read,
        "queries": {
            "cold": {p: cold_inprocess["results"][p]["queries"] for p in PAGES},
            "cached": {p: cached_inprocess["results"][p]["queries"] for p in PAGES},
        },
        "inprocess_ms": {
            "cold": {p: cold_inprocess["results"][p]["median"] for p in PAGES},
            "cached": {p: cached_inprocess["results"][p]["median"] for p in PAGES},
        },
        "profile": cold_inprocess["profile"],
        "load": [load_before, load_after],
        "quiet": quiet,
        "server": {
            "workers": WORKERS,
            "worker_class": WORKER_CLASS,
            "threads": THREADS if WORKER_CLASS == "gthread" else 1,
            "config": str(GUNICORN_CONF.relative_to(common.ROOT))
            if GUNICORN_CONF.exists()
            else None,
        },
        "wrk": {
            "duration": DURATION,
            "connections": CONNECTIONS,
            "threads": WRK_THREADS,
            "timeout": WRK_TIMEOUT,
            "accept_encoding": ACCEPT_ENCODING,
            "version": wrk_version(),
        },
    }


def wrk_version():
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).split("[")[0].strip()
