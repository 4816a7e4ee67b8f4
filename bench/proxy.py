"""
The proxy run (``BENCH_ONLY=proxy make bench``): Varnish in front of filmblog,
with nginx serving a static file as the ceiling.

On the load run's catalogue (BENCH_LOAD_FILMS films in BENCH_LOAD_DATABASE,
bench/catalogue.py) and with its wrk settings (BENCH_DURATION,
BENCH_CONNECTIONS, BENCH_WRK_THREADS, BENCH_ACCEPT_ENCODING: bench/load.py),
in one run:

- the ceiling: Debian's nginx, started with a configuration of its own in a
  temporary folder, serving the review page as a static file: the bytes the
  app sends for that Accept-Encoding, saved; measured first and again after
  Varnish, as the load run measures its hello-world twice;
- the Django hello-world (bench/hello/);
- the review page from the Django page cache (gunicorn, Redis, warmed);
- the same page through Varnish (varnishd with deploy/varnish/filmblog.vcl and
  a backends.vcl for that gunicorn, as scripts/demo-varnish.sh runs it; warmed).

Then, the app purging Varnish when an edit commits (VARNISH_PURGE_URLS):

- an edit: the review's film saved in another process (bench/proxy_site.py);
  how long after the commit the review page through Varnish shows it;
- a crawler: a few threads walk BENCH_CRAWL_PAGES film pages through Varnish,
  once to fill it, then round and round while an editor saves one of the
  walked films every 5 s: the renders each save costs, the hit ratio, and the
  latency of the crawler's requests.

Every process it starts (gunicorn, nginx, varnishd, the editor) is stopped
when it ends, however it ends (an error, Ctrl-C, SIGTERM).

Settings, besides the load run's:

    BENCH_CRAWL_PAGES=20000   film pages the crawler walks (at most the catalogue's)
"""

import contextlib
import glob
import gzip
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from bench import common, load

CRAWL_PAGES = int(os.environ.get("BENCH_CRAWL_PAGES", "20000"))
CRAWL_WORKERS = 4
SAVE_EVERY = 5
# The second walk goes round the pages until the editor has saved this many
# times, so that the renders per save are counted over several saves, and
# every page a save purged is asked for again.
CRAWL_SAVES = 6
# Films the editor takes turns on (from the walked ones, drawn with a fixed seed).
EDITED_FILMS = 50
POLL_SECONDS = 0.02
# Pages stay in Varnish (s-maxage) and Redis for a day, as docs/deploy.md
# configures them: none expires during the run, only a purge removes one.
PAGE_CACHE_SECONDS = "86400"
VARNISH_STORAGE = "malloc,1g"
VCL = common.ROOT / "deploy" / "varnish" / "filmblog.vcl"

VARNISH_GOAL = 0.70
EDIT_GOAL_SECONDS = 1.0

# The app servers Varnish fetches from, as deploy/varnish/backends.vcl names them.
BACKENDS_VCL = """vcl 4.1;
backend app {{
    .host = "127.0.0.1";
    .port = "{port}";
    .connect_timeout = 1s;
    .first_byte_timeout = 60s;
    .probe = {{
        .url = "/healthz/";
        .interval = 1s;
        .timeout = 2s;
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }}
}}
acl purgers {{ "127.0.0.1"; }}
"""

# nginx as a user may run it: every path in the temporary folder, the error
# log on stderr (bench/logs/nginx.log), no access log. wrk keeps its
# connections open for the whole run, as it does with Varnish.
NGINX_CONF = """daemon off;
worker_processes auto;
pid {folder}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/temp/body;
    proxy_temp_path {folder}/temp/proxy;
    fastcgi_temp_path {folder}/temp/fastcgi;
    uwsgi_temp_path {folder}/temp/uwsgi;
    scgi_temp_path {folder}/temp/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    server {{
        listen 127.0.0.1:{port};
        root {folder}/www;
        default_type "text/html; charset=utf-8";
        location / {{
            try_files /review.html =404;
            {headers}
        }}
    }}
}}
"""


def binary(name):
    return shutil.which(name) or (
        f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists() else None
    )


def check_tools():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: run scripts/install-wrk.sh (make bench does).")
    if not binary("nginx"):
        raise SystemExit("nginx is missing: run scripts/install-nginx.sh (make bench does).")
    xkey = glob.glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so") + glob.glob(
        "/usr/lib/varnish/vmods/libvmod_xkey.so"
    )
    if not (binary("varnishd") and binary("varnishstat") and xkey):
        raise SystemExit(
            "varnishd with xkey is missing: run scripts/install-varnish.sh (make bench does)."
        )


def version(command, prefix):
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    first = (done.stderr or done.stdout).strip().splitlines()[0]
    return first.split(prefix, 1)[-1].split()[0]


@contextlib.contextmanager
def sigterm_stops():
    """SIGTERM ends the run as Ctrl-C does: every process it started is stopped."""

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def answers(base, path):
    try:
        return load.get(base, path)[0] == 200
    except OSError:
        return False


@contextlib.contextmanager
def started(command, *, name, base, ready, stop=signal.SIGTERM):
    """
    ``command`` in a session of its own (its output in bench/logs/<name>.log)
    until the block ends; yields ``base`` once ``ready`` answers 200 there.
    """
    load.LOG_DIR.mkdir(exist_ok=True)
    logfile = load.LOG_DIR / f"{name}.log"
    with open(logfile, "w") as out:
        process = subprocess.Popen(
            command, cwd=common.ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        # Compiling the VCL takes a few seconds on a busy machine.
        deadline = time.monotonic() + 120
        while not answers(base, ready):
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited; see {logfile}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer; see {logfile}")
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(stop)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def nginx(folder, path, body, encoding):
    """nginx on a free port answering every path with ``body``, sent as the app sent it."""
    (folder / "www").mkdir(mode=0o755)
    (folder / "temp").mkdir(mode=0o755)
    page = folder / "www" / "review.html"
    page.write_bytes(body)
    page.chmod(0o644)
    port = load.free_port()
    headers = f"add_header Content-Encoding {encoding};" if encoding else ""
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(folder=folder, port=port, headers=headers))
    command = [binary("nginx"), "-p", f"{folder}/", "-c", str(conf), "-e", "stderr"]
    return started(
        command, name="nginx", base=f"http://127.0.0.1:{port}", ready=path, stop=signal.SIGQUIT
    )


def varnish(folder, port, app_port, path):
    """varnishd with the shipped VCL on ``port``, in front of the app on ``app_port``."""
    (folder / "backends.vcl").write_text(BACKENDS_VCL.format(port=app_port))
    command = [binary("varnishd"), "-F", "-n", str(folder / "varnish")]
    command += ["-a", f"127.0.0.1:{port}", "-f", str(VCL)]
    command += ["-p", f"vcl_path={folder}:{VCL.parent}", "-s", VARNISH_STORAGE, "-T", "none"]
    return started(command, name="varnishd", base=f"http://127.0.0.1:{port}", ready=path)


def varnishstat(folder):
    """Varnish's counters of hits, misses and fetches from the app."""
    names = ["MAIN.cache_hit", "MAIN.cache_miss", "MAIN.backend_req"]
    command = [binary("varnishstat"), "-n", str(folder / "varnish"), "-1", "-j"]
    for name in names:
        command += ["-f", name]
    raw = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    counters = raw.get("counters", raw)
    return {name.split(".", 1)[1]: counters[name]["value"] for name in names}


def delta(before, after):
    return {name: after[name] - before[name] for name in before}


class Editor:
    """bench/proxy_site.py's editor in a process of its own; ``saves`` are its lines."""

    def __init__(self, film_ids, env, *, every=SAVE_EVERY, count=None):
        self.command = [common.PYTHON, "bench/proxy_site.py", "edit"]
        self.command += ["--films", ",".join(map(str, film_ids)), "--every", str(every)]
        self.command += ["--count", str(count)] if count else []
        self.env = {**os.environ, **common.PRODUCTION_ENV, **env}
        self.logfile = load.LOG_DIR / "editor.log"
        self.saves = []
        self.saved = threading.Condition()

    def __enter__(self):
        load.LOG_DIR.mkdir(exist_ok=True)
        with open(self.logfile, "w") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=common.ROOT,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                start_new_session=True,
            )
        try:
            if not self.process.stdout.readline():
                raise RuntimeError(f"The editor exited; see {self.logfile}")
            threading.Thread(target=self._read, daemon=True).start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _read(self):
        for line in self.process.stdout:
            with self.saved:
                self.saves.append(json.loads(line))
                self.saved.notify_all()

    def go(self):
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def wait_for_save(self, n, timeout=60):
        with self.saved:
            if not self.saved.wait_for(lambda: len(self.saves) >= n, timeout):
                raise RuntimeError(f"The editor did not save; see {self.logfile}")
            return self.saves[n - 1]

    def __exit__(self, *exc):
        # Closing stdin tells it to stop and give the films their synopsis back.
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
        finally:
            if self.process.poll() is None:
                # SIGTERM: it gives the films their synopsis back, then exits.
                self.process.terminate()
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()


def connection(base):
    parts = urllib.parse.urlsplit(base)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)


def headers():
    return {"Accept-Encoding": load.ACCEPT_ENCODING} if load.ACCEPT_ENCODING else {}


def fetch(base, path):
    """(status, headers, body as sent) of one GET, with the run's Accept-Encoding."""
    conn = connection(base)
    try:
        conn.request("GET", path, headers=headers())
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def decoded(body, encoding):
    if encoding == "br":
        import brotli

        return brotli.decompress(body).decode()
    if encoding == "gzip":
        return gzip.decompress(body).decode()
    return body.decode()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


# --- The crawler ------------------------------------------------------------


def walk(base, paths, *, more=lambda: False, tags=False):
    """
    CRAWL_WORKERS threads, each with a keep-alive connection, take the paths
    in turn; at the end of each round ``more()`` says whether to go round
    again. One record per request: (started, seconds, path, status, X-Cache,
    X-Page-Cache, Surrogate-Key if ``tags``), sorted by start.
    """
    lock = threading.Lock()
    taken, limit = [0], [len(paths)]
    records = []
    stop = threading.Event()

    def take():
        with lock:
            if stop.is_set():
                return None
            if taken[0] >= limit[0]:
                if not more():
                    return None
                limit[0] += len(paths)
            taken[0] += 1
            return paths[(taken[0] - 1) % len(paths)]

    def worker():
        conn, mine = None, []
        try:
            while (path := take()) is not None:
                conn = conn or connection(base)
                started_at, clock = time.time(), time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers())
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = None
                    mine.append((started_at, time.perf_counter() - clock, path, 0, "", "", ""))
                    continue
                mine.append(
                    (
                        started_at,
                        time.perf_counter() - clock,
                        path,
                        response.status,
                        response.getheader("X-Cache", ""),
                        response.getheader("X-Page-Cache", ""),
                        response.getheader("Surrogate-Key", "") if tags else "",
                    )
                )
                if response.will_close:
                    conn.close()
                    conn = None
        finally:
            if conn is not None:
                conn.close()
            with lock:
                records.extend(mine)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(CRAWL_WORKERS)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    except BaseException:
        stop.set()
        raise
    records.sort()
    return records


def walk_figures(records, stats):
    seconds = max(r[0] + r[1] for r in records) - records[0][0]
    latencies = [r[1] * 1000 for r in records]
    looked_up = stats["cache_hit"] + stats["cache_miss"]
    return {
        "requests": len(records),
        "seconds": seconds,
        "rps": len(records) / seconds,
        "p50": percentile(latencies, 0.50),
        "p99": percentile(latencies, 0.99),
        "max": max(latencies),
        "errors": sum(1 for r in records if r[3] != 200),
        "x_cache": dict(Counter(r[4] for r in records)),
        "hit_ratio": stats["cache_hit"] / looked_up if looked_up else None,
        "backend_fetches": stats["backend_req"],
        # What the app rendered (not served from its own page cache) for Varnish.
        "renders": sum(1 for r in records if r[4] != "hit" and r[5] == "miss"),
        "varnishstat": stats,
    }


def renders_per_save(records, saves, keys):
    """
    The renders the crawler saw (fetched from the app and rendered there), each
    set against the latest save that purged its page; and how many of the
    walked pages show each saved film (their Surrogate-Key names ``film:<id>``).
    """
    waiting = Counter()
    explained = unexplained = 0
    events = [(s["committed"], 0, s["url"]) for s in saves]
    events += [(r[0], 1, r[2]) for r in records if r[4] != "hit" and r[5] == "miss"]
    for _, kind, path in sorted(events):
        if kind == 0:
            waiting[path] += 1
        elif waiting[path]:
            waiting[path] = 0
            explained += 1
        else:
            unexplained += 1
    showing = [
        sum(1 for tags in keys.values() if f"film:{s['film']}" in tags.split()) for s in saves
    ]
    return {"explained": explained, "unexplained": unexplained, "showing": showing}


def crawl(base, paths, folder, edited, env, *, log=print):
    log(f"Crawler: {CRAWL_WORKERS} threads walk {len(paths):,} film pages through Varnish…")
    before = varnishstat(folder)
    first = walk(base, paths, tags=True)
    fill = walk_figures(first, delta(before, varnishstat(folder)))
    keys = {r[2]: r[6] for r in first}
    log(
        f"  first walk: {fill['rps']:.0f} req/s, p99 {fill['p99']:.1f} ms, "
        f"{fill['backend_fetches']} fetches from the app"
    )
    log(f"  again, round and round, while an editor saves a film every {SAVE_EVERY} s…")
    with Editor(edited, env) as editor:
        before = varnishstat(folder)
        editor.go()
        editor.wait_for_save(1)
        records = walk(base, paths, more=lambda: len(editor.saves) < CRAWL_SAVES)
        stats = delta(before, varnishstat(folder))
        ended = max(r[0] + r[1] for r in records)
        saves = [s for s in editor.saves if s["committed"] < ended]
    during = walk_figures(records, stats)
    during["rounds"] = len(records) / len(paths)
    during["saves"] = len(saves)
    during["per_save"] = renders_per_save(records, saves, keys)
    log(
        f"  {during['requests']:,} requests, {len(saves)} saves: "
        f"{during['backend_fetches']} fetches from the app, hit ratio "
        f"{during['hit_ratio'] * 100:.3f}%, p99 {during['p99']:.1f} ms"
    )
    return {"pages": len(paths), "workers": CRAWL_WORKERS, "fill": fill, "during": during}


# --- An edit through Varnish ------------------------------------------------


def edit_shows(base, review, env, *, log=print):
    """Save the review's film, polling the review page through Varnish until the edit shows."""
    log("An edit through Varnish: the review's film saved while its page is polled…")
    path = review["url"]
    answers, done = [], threading.Event()

    def poll():
        conn = connection(base)
        while not done.is_set():
            started_at = time.time()
            try:
                conn.request("GET", path, headers=headers())
                response = conn.getresponse()
                body = decoded(response.read(), response.getheader("Content-Encoding"))
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = connection(base)
                continue
            answers.append((started_at, time.time(), response.getheader("X-Cache"), body))
            time.sleep(POLL_SECONDS)
        conn.close()

    poller = threading.Thread(target=poll, daemon=True)
    with Editor([review["film"]], env, count=1) as editor:
        poller.start()
        try:
            editor.go()
            save = editor.wait_for_save(1)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not any(
                save["marker"] in body for *_, body in answers[-3:]
            ):
                time.sleep(POLL_SECONDS)
        finally:
            done.set()
            poller.join(30)
    fresh = [(s, e, x) for s, e, x, body in answers if save["marker"] in body]
    # Requests that started once the save had returned (its purges sent), and
    # still had the old page.
    old = sum(
        1 for s, _, _, body in answers if s > save["returned"] and save["marker"] not in body
    )
    result = {
        "delay": fresh[0][1] - save["committed"] if fresh else None,
        "returned": save["returned"] - save["committed"],
        "x_cache": fresh[0][2] if fresh else None,
        "old_after_purge": old,
        "polls": len(answers),
    }
    if fresh:
        log(
            f"  shown {result['delay'] * 1000:.0f} ms after the commit "
            f"(X-Cache {result['x_cache']}); {old} old pages after the purge"
        )
    else:
        log("  the edit did not show within 30 s")
    return result


# --- The run ----------------------------------------------------------------


def run(log=print):
    check_tools()
    database_env = {"DATABASE_URL": common.postgres_url(load.DATABASE)}
    log(f"Proxy run: catalogue of {load.FILMS:,} films in {load.DATABASE}…")
    site = common.run_json(
        ["bench/proxy_site.py", "pages", "--films", str(load.FILMS), "--crawl", str(CRAWL_PAGES)],
        {**database_env, **common.COLD_ENV},
    )
    review = site["review"]
    paths = [url for _, url in site["films"]]
    ids = [pk for pk, _ in site["films"]]
    edited = random.Random(2024).sample(ids, min(EDITED_FILMS, len(ids)))
    load.collectstatic(database_env)

    quiet = common.wait_for_quiet(
        float(os.environ.get("BENCH_QUIET_LOAD", "1.0")),
        seconds=int(os.environ.get("BENCH_QUIET_WAIT", "180")),
        log=log,
    )
    load_before = common.load_average()
    log(f"Load average before: {common.format_load(load_before)}.")
    common.flush_redis()
    varnish_port = load.free_port()
    app_env = {
        **common.PRODUCTION_ENV,
        **database_env,
        **common.CACHED_ENV,
        "PAGE_CACHE_SECONDS": PAGE_CACHE_SECONDS,
        "VARNISH_PURGE_URLS": f"http://127.0.0.1:{varnish_port}",
    }
    with contextlib.ExitStack() as stack:
        stack.enter_context(sigterm_stops())
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="filmblog-proxy-")))
        # varnishd's and nginx's workers may run as another user.
        folder.chmod(0o755)
        app = stack.enter_context(
            load.gunicorn(
                "filmblog.wsgi:application", app_env, name="proxy", ready="/robots.txt", log=log
            )
        )
        fetch(app, review["url"])
        status, page_headers, body = fetch(app, review["url"])
        if status != 200:
            raise RuntimeError(f"GET {review['url']} answered {status}, not 200")
        encoding = page_headers.get("Content-Encoding", "")

        log("nginx, the review page as a static file…")
        static = stack.enter_context(nginx(folder, review["url"], body, encoding))
        ceiling = [load.measure(static, review["url"], log=log)]
        log("Hello-world…")
        hello = load.hello(log=log)
        log("filmblog, the Django page cache…")
        cached = load.measure(app, review["url"], log=log)
        log("filmblog through Varnish…")
        app_port = int(urllib.parse.urlsplit(app).port)
        proxy = stack.enter_context(varnish(folder, varnish_port, app_port, review["url"]))
        proxied = load.measure(proxy, review["url"], log=log)
        proxied["x_cache"] = load.get(proxy, review["url"])[1].get("X-Cache", "")
        log("nginx again…")
        ceiling.append(load.measure(static, review["url"], log=log))

        edit = edit_shows(proxy, review, app_env, log=log)
        crawled = crawl(proxy, paths, folder, edited, app_env, log=log)
    load_after = common.load_average()
    return {
        "films": load.FILMS,
        "database": load.DATABASE,
        "counts": site["counts"],
        "review": review["url"],
        "page_bytes": len(body),
        "encoding": encoding,
        "served": {"nginx": ceiling, "hello": hello, "cached": cached, "varnish": proxied},
        "edit": edit,
        "crawl": crawled,
        "load": [load_before, load_after],
        "quiet": quiet,
        "workers": load.WORKERS,
        "versions": {
            "nginx": version([binary("nginx"), "-v"], "nginx/"),
            "varnish": version([binary("varnishd"), "-V"], "varnish-"),
            "wrk": load.wrk_version(),
        },
        "wrk": {
            "duration": load.DURATION,
            "connections": load.CONNECTIONS,
            "threads": load.WRK_THREADS,
            "accept_encoding": load.ACCEPT_ENCODING,
        },
    }


# --- The section of bench/results.md -----------------------------------------


def verdict(met):
    return "**met**" if met else "**not met**"


def section(data, facts, catalogue_line):
    served, wrk, crawled, edit = data["served"], data["wrk"], data["crawl"], data["edit"]
    nginx_rps = sum(r["rps"] for r in served["nginx"]) / len(served["nginx"])
    share = served["varnish"]["rps"] / nginx_rps
    fill, during = crawled["fill"], crawled["during"]
    per_save = during["per_save"]
    saves = during["saves"]
    showing = sum(per_save["showing"])
    lines = [
        "## Proxy run: Varnish in front of filmblog, nginx's static file as the ceiling",
        "",
        *facts(data["load"][0]),
        f"- Load average when it ended: {common.format_load(data['load'][1])}"
        + ("" if data["quiet"] else " (the machine did not get quiet: figures are pessimistic)"),
        f"- Versions: nginx {data['versions']['nginx']}, Varnish {data['versions']['varnish']} "
        f"with xkey, {data['versions']['wrk']}",
        f"- Catalogue: {catalogue_line(data['counts'])} (database `{data['database']}`)",
        f"- filmblog: gunicorn as in the load run ({data['workers']} sync workers), Redis page "
        f"cache on (`PAGE_CACHE_SECONDS={PAGE_CACHE_SECONDS}`), purging Varnish when an edit "
        "commits (`VARNISH_PURGE_URLS`; tasks run at once, the default)",
        f"- Varnish: `varnishd -s {VARNISH_STORAGE}` with `deploy/varnish/filmblog.vcl` and a "
        "backends.vcl naming that gunicorn. nginx: `worker_processes auto`, no access log, "
        "keep-alive for the whole run, serving the bytes the app sends for the review page "
        f"({data['page_bytes']:,} bytes"
        + (f", `Content-Encoding: {data['encoding']}`" if data["encoding"] else "")
        + ") as a static file",
        f"- Load: wrk, {wrk['connections']} connections, {wrk['threads']} thread(s), "
        f"{wrk['duration']} s per row after {load.WARM_SECONDS} s of warm-up; "
        + (
            f"every request sends `Accept-Encoding: {wrk['accept_encoding']}`"
            if wrk["accept_encoding"]
            else "no `Accept-Encoding` sent"
        ),
        "",
        "| server | URL | req/s | p50 (ms) | p99 (ms) | errors | % of nginx | cache | encoding |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    rows = [
        ("nginx, static file", served["nginx"][0], data["review"], ""),
        ("Django hello-world", served["hello"], "/", ""),
        ("filmblog, Django page cache", served["cached"], data["review"], "page_cache"),
        ("filmblog through Varnish", served["varnish"], data["review"], "x_cache"),
        ("nginx again, after Varnish", served["nginx"][1], data["review"], ""),
    ]
    for label, r, url, cache in rows:
        lines.append(
            f"| {label} | `{url}` | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
            f"| {r['errors']} | {r['rps'] / nginx_rps * 100:.1f}% "
            f"| {r.get(cache) or '—'} | {r.get('encoding') or '—'} |"
        )
    lines += [
        "",
        f"nginx's static rate: {nginx_rps:,.0f} req/s (mean of its two rows). Cache: "
        "`X-Page-Cache` (Django's page cache) or `X-Cache` (Varnish) after warm-up.",
        "",
        "### An edit through Varnish",
        "",
        "The review's film saved in another process (a sentence added to its synopsis, "
        "`film.save()` in a transaction; the purge goes out when it commits) while the "
        f"review page is asked for through Varnish every {POLL_SECONDS * 1000:.0f} ms: "
        + (
            f"the new text showed {edit['delay'] * 1000:.0f} ms after the commit "
            f"(`X-Cache: {edit['x_cache']}`; the save itself returned, every purge sent, "
            f"{edit['returned'] * 1000:.0f} ms after the commit); {edit['old_after_purge']} "
            "requests that started after it returned still had the old page."
            if edit["delay"] is not None
            else "the new text did not show within 30 s."
        ),
        "",
        "### A crawler while an editor saves",
        "",
        f"{crawled['workers']} threads, each with a keep-alive connection (Python's "
        f"http.client), walk the first {crawled['pages']:,} film pages (by id) through "
        "Varnish: once with Varnish and Redis empty, then round and round "
        f"({during['rounds']:.1f} times) while an editor saves one of the walked films every "
        f"{SAVE_EVERY} s as above ({saves} saves during the walk). Hit ratio: varnishstat's "
        "`cache_hit / (cache_hit + cache_miss)`; fetches: `backend_req`; renders: pages the "
        "app rendered for Varnish (`X-Page-Cache: miss` on a Varnish miss). Latency is the "
        "crawler's, in Python, request sent to page read.",
        "",
        "| walk | requests | seconds | req/s | p50 (ms) | p99 (ms) | hit ratio "
        "| fetches from the app | renders | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, w in (("first, Varnish empty", fill), ("while the editor saves", during)):
        ratio = "—" if w["hit_ratio"] is None else f"{w['hit_ratio'] * 100:.3f}%"
        lines.append(
            f"| {label} | {w['requests']:,} | {w['seconds']:.1f} | {w['rps']:,.0f} "
            f"| {w['p50']:.1f} | {w['p99']:.1f} | {ratio} | {w['backend_fetches']:,} "
            f"| {w['renders']:,} | {w['errors']} |"
        )
    fetches = during["backend_fetches"]
    lines += [
        "",
        f"Renders per save: {fetches} fetches from the app for {saves} saves "
        + (f"({fetches / saves:.2f} per save)" if saves else "")
        + f"; {per_save['explained']} renders of a saved film's page after its save, "
        f"{per_save['unexplained']} of pages no save had purged. Each saved film is shown by "
        + (
            f"{showing / saves:.2f} of the walked pages on average (their Surrogate-Key "
            "names the film)."
            if saves
            else "— (no save)."
        ),
        "",
    ]
    renders_met = saves > 0 and per_save["unexplained"] == 0 and fetches <= showing
    measured = [*served["nginx"], served["hello"], served["cached"], served["varnish"]]
    errors = sum(r["errors"] for r in measured) + fill["errors"] + during["errors"]
    lines += [
        "Goals:",
        "",
        f"- Through Varnish at {VARNISH_GOAL * 100:.0f}% or more of nginx's static rate: "
        f"{verdict(share >= VARNISH_GOAL)} ({share * 100:.1f}%)",
        f"- An edit shows through Varnish within {EDIT_GOAL_SECONDS:g} s of its commit: "
        + (
            f"{verdict(edit['delay'] <= EDIT_GOAL_SECONDS)} ({edit['delay'] * 1000:.0f} ms)"
            if edit["delay"] is not None
            else "**not met** (not within 30 s)"
        ),
        "- A save renders again only the pages that show that film: "
        + (
            f"{verdict(renders_met)} ({fetches} fetches for {saves} saves, whose films "
            f"{showing} walked pages show; {per_save['unexplained']} other renders)"
            if saves
            else "**not measured** (no save during the walk)"
        ),
        f"- Zero errors: {verdict(errors == 0)} ({errors} errors)",
        "",
    ]
    return lines
