"""
Speed bench for the public pages; writes bench/results.md.

    make bench                        # everything (the first run builds the catalogues)
    BENCH_ONLY=load make bench        # one or more of: load, scale, pages, api, proxy
    BENCH_REBUILD=1 make bench        # build every catalogue again
    BENCH_DURATION=10 BENCH_REQUESTS=50 make bench

Sections, each replaced in bench/results.md when it runs and kept otherwise,
so a subset updates its own figures only:

- load (bench/load.py): gunicorn and PostgreSQL under wrk, against a Django
  hello-world measured in the same run;
- scale (bench/scale.py): page time and queries on 1,000 to 100,000 films;
- pages: every public page in-process on SQLite (bench/bench.sqlite3);
- api (bench/api.py): the content API's lists, in-process and under wrk;
- proxy (bench/proxy.py): the review page through Varnish under wrk, against
  nginx serving it as a static file, an edit purged through Varnish, and a
  crawler walking the film pages while an editor saves
  (BENCH_CRAWL_PAGES=500 for a short run).

The synthetic catalogues come from bench/catalogue.py, each in a database of
its own (never the development one), built once and reused.
"""

import datetime
import os
import platform
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import api, common, load, proxy, scale  # noqa: E402

RESULTS = common.BENCH_DIR / "results.md"
SECTIONS = ["load", "scale", "pages", "api", "proxy", "import", "federation"]
# make bench runs bench/digest.py, bench/import_films.py and bench/federation.py after this
# script, unless BENCH_ONLY leaves them out; "import" and "federation" write their own
# sections of results.md, which this script keeps in this order.
OTHERS = {"digest"}
SQLITE_FILMS = 20_000
REQUESTS = os.environ.get("BENCH_REQUESTS", "50")


def log(message):
    print(message, flush=True)


def facts(load_average=None):
    """The lines every section starts with: when, which code, which machine."""
    load_average = load_average or common.load_average()
    now = datetime.datetime.now(datetime.UTC)
    return [
        f"- Date: {now:%Y-%m-%d %H:%M} UTC; commit {common.commit()}",
        f"- Machine: {common.machine()}",
        f"- Load average (1/5/15 min) when the run started: {common.format_load(load_average)}",
    ]


VERDICTS = {True: "met", False: "not met", None: "not measured"}


def pct(value):
    return f"{value * 100:.0f}%"


def load_section(data):
    import gunicorn
    import psycopg

    hello_rps = sum(h["rps"] for h in data["hello"]) / len(data["hello"])
    server, wrk = data["server"], data["wrk"]
    workers = f"{server['workers']} {server['worker_class']} workers"
    if server["worker_class"] == "gthread":
        workers += f" of {server['threads']} threads"
    lines = [
        "## Load run: gunicorn on PostgreSQL, wrk on loopback",
        "",
        *facts(data["load"][0]),
        f"- Load average when it ended: {common.format_load(data['load'][1])}"
        + ("" if data["quiet"] else " (the machine did not get quiet: figures are pessimistic)"),
        f"- Versions: PostgreSQL {common.postgres_version()}, psycopg {psycopg.__version__}, "
        f"gunicorn {gunicorn.__version__}, {data['wrk']['version']}",
        f"- Catalogue: {catalogue_line(data['counts'])} (database `{data['database']}`)",
        f"- Server: gunicorn, {workers}, on 127.0.0.1"
        + (
            f", with the production settings of `{server['config']}` (access log, worker "
            "recycling...) for both servers"
            if server["config"]
            else ""
        )
        + "; DEBUG off; persistent database connections (CONN_MAX_AGE 60)",
        f"- Load: wrk, {wrk['connections']} connections, {wrk['threads']} thread(s), "
        f"{wrk['duration']} s per row after {load.WARM_SECONDS} s of warm-up, "
        f"timeout {wrk['timeout']}; errors are responses with a status of 400 or more "
        "(each page answered 200 before its run) plus socket errors and timeouts",
        (
            f"- Compression: every request sends `Accept-Encoding: {wrk['accept_encoding']}`, "
            "as browsers do; the encoding column is the `Content-Encoding` the page came with "
            "(the hello-world compresses nothing)"
            if wrk.get("accept_encoding")
            else "- Compression: off (no `Accept-Encoding` sent)"
        ),
        "- Cold: `CACHE_URL=dummy:// PAGE_CACHE_SECONDS=0` (every cache off). "
        f"Cached: `CACHE_URL={common.REDIS_URL} PAGE_CACHE_SECONDS=600`, "
        "the Redis database flushed before the run, each page warmed before it is measured",
        "- Queries per request and in-process (ms): the same page requested in-process "
        f"(test Client, median of {REQUESTS}) with the same settings, after warm-up. "
        "Page cache: the `X-Page-Cache` header after warm-up",
        "",
        "| scenario | page | URL | req/s | p50 (ms) | p99 (ms) | errors | % of hello-world "
        "| queries | in-process (ms) | page cache | encoding |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for n, h in enumerate(data["hello"]):
        label = "hello-world" + (" (again, at the end)" if n else "")
        lines.append(row(label, "hello", "/", h, hello_rps, "0", None))
    for kind in ("cold", "cached"):
        for page, result in data[kind].items():
            queries = str(data["queries"][kind][page])
            ms = data["inprocess_ms"][kind][page]
            lines.append(row(kind, page, data["paths"][page], result, hello_rps, queries, ms))

    for page, result in data.get("ceilings", {}).items():
        url = data["ceiling_paths"][page]
        lines.append(row("ceiling, cold", page, url, result, hello_rps, "0", None))
    if "redis_read" in data:
        lines.append(
            row(
                "ceiling, cached",
                "hello-world after one Redis read",
                load.REDIS_READ_PATH,
                data["redis_read"],
                hello_rps,
                "0",
                None,
            )
        )

    cached_low = [p for p, r in data["cached"].items() if r["rps"] < load.CACHED_GOAL * hello_rps]
    errors = sum(r["errors"] for kind in ("cold", "cached") for r in data[kind].values())
    errors += sum(h["errors"] for h in data["hello"])
    errors += sum(r["errors"] for r in data.get("ceilings", {}).values())
    errors += data["redis_read"]["errors"] if "redis_read" in data else 0
    lines += [
        "",
        f"Hello-world ceiling: {hello_rps:,.0f} req/s (mean of the two hello-world rows).",
        "",
        "Goals:",
        "",
        f"- Cached pages at {pct(load.CACHED_GOAL)} or more of hello-world in the load run"
        + (" with compression on: " if data["wrk"].get("accept_encoding") else ": ")
        + ("**met**" if not cached_low else f"**not met** ({', '.join(cached_low)} below)"),
        f"- Zero errors: **{'met' if errors == 0 else 'not met'}** ({errors} errors)",
        "",
    ]
    if "ceilings" in data:
        without_query = data["ceilings"]["review without its query"]["rps"] / hello_rps
        trivial = data["ceilings"]["trivial view"]["rps"] / hello_rps
        lines += [
            "Ceilings: filmblog's middleware around a trivial view (`/robots.txt`) reaches "
            f"{trivial * 100:.1f}% of hello-world. The review page rendered from objects "
            f"loaded once, with no query at all, reaches {without_query * 100:.1f}%: its "
            "templates, forms and middleware alone cost that much, so no saving in its "
            "query can take the page past that share.",
            "",
        ]
    if "redis_read" in data:
        redis_read = data["redis_read"]["rps"] / hello_rps
        lines += [
            "The hello-world that first reads from Redis what a page-cache hit reads (one "
            f"MGET of a 5 kB page and two versions) reaches {redis_read * 100:.1f}%: a page "
            "cache that asks Redis on every request cannot serve pages faster than that, "
            "whatever the rest of its path costs.",
            "",
        ]
    lines += profile_lines(data["profile"])
    return lines


def row(scenario, page, url, r, hello_rps, queries, inprocess_ms):
    return (
        f"| {scenario} | {page} | `{url}` | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
        f"| {r['errors']} | {r['rps'] / hello_rps * 100:.1f}% | {queries} "
        f"| {'—' if inprocess_ms is None else f'{inprocess_ms:.1f}'} "
        f"| {r.get('page_cache') or '—'} | {r.get('encoding') or '—'} |"
    )


def profile_lines(p):
    lines = [
        "### Where the cold review page's time goes",
        "",
        f"`{p['url']}` requested in-process with every cache off, {p['requests']} times: "
        f"{p['plain_ms']:.1f} ms per request ({p['cpu_ms']:.1f} ms of it on the CPU in the "
        f"Django process), {p['sql_ms']:.1f} ms of it in "
        f"{p['queries']} SQL queries (sent, executed and read back). Under cProfile a request "
        f"takes {p['profiled_ms']:.1f} ms; its own time by package:",
        "",
        "| package | share of the time |",
        "| --- | ---: |",
        *(f"| {name} | {share * 100:.0f}% |" for name, share in p["packages"]),
        "",
        "Templates, inclusive time per request without the profiler (a template's time "
        "includes the templates it includes; a Jinja2 page's includes are compiled into it):",
        "",
        "| template | renders | ms |",
        "| --- | ---: | ---: |",
        *(
            f"| `{t['template']}` | {t['count']:g} | {t['inclusive_ms']:.2f} |"
            for t in p["templates"]
        ),
        "",
        "Functions with the most own time (cProfile):",
        "",
        "| function | calls | own (ms) | cumulative (ms) |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| `{e['function']}` | {e['calls']:g} | {e['own_ms']:.2f} | "
            f"{e['cumulative_ms']:.2f} |"
            for e in p["top_own"]
        ),
        "",
    ]
    return lines


def scale_section(data):
    sizes, runs = data["sizes"], data["runs"]
    verdict = scale.flatness(data)
    lines = [
        f"## Scale: {sizes[0]:,} to {sizes[-1]:,} films on PostgreSQL",
        "",
        *facts(data.get("load_average")),
        f"- PostgreSQL {common.postgres_version()}; one database per size "
        f"(`{scale.database('<films>')}`); every cache off (`CACHE_URL=dummy://`)",
        *(f"- {films:,} films: {catalogue_line(runs[films]['counts'])}" for films in sizes),
        "- In-process server time (test Client, DEBUG off) and queries per request: each "
        f"size measured in {data['rounds']} rounds of {scale.REQUESTS_PER_ROUND} requests "
        "(after 3 warm-up requests), the sizes taking turns; the median of the rounds' "
        "medians. "
        "The pages are the same kind at "
        "every size: a review whose director has four reviewed films (ten films in all), that "
        "film, that director, the home page, and two searches: "
        f"“{runs[sizes[0]]['results']['search']['url'].split('=')[-1]}” (a word in about one "
        "title in twenty, so its matches grow with the catalogue) and "
        f"“{runs[sizes[0]]['results']['search-rare']['url'].split('=')[-1]}” (three films at "
        "every size).",
        "",
        "| page | " + " | ".join(f"{films:,} films" for films in sizes) + " | ratio | flat |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " | ---: | --- |",
    ]
    for page in data["pages"]:
        cells = [
            f"{runs[films]['results'][page]['median']:.1f} ms, "
            f"{runs[films]['results'][page]['queries']} q"
            for films in sizes
        ]
        ratio, _, flat = verdict[page]
        lines.append(
            f"| {page} | " + " | ".join(cells) + f" | ×{ratio:.2f} | {'yes' if flat else 'NO'} |"
        )
    lines += [
        "",
        "The common-word search at p95: "
        + "; ".join(
            f"{runs[films]['results']['search']['p95']:.1f} ms at {films:,} films"
            for films in sizes
        )
        + ".",
        "",
        f"Ratio: the median at {sizes[-1]:,} films over the median at {sizes[0]:,}. Flat: a "
        f"ratio of {scale.FLAT} or less and no more queries. The search page's overview ranks a "
        "shortlist of a word's matches, but still reads every match to choose it, so a word "
        "found in a fixed share of titles costs somewhat more as the catalogue grows; the "
        "selective search shows whether the indexes are used.",
        "",
        "Goals:",
        "",
        *(f"- {goal}: **{VERDICTS[met]}** ({detail})" for goal, met, detail in scale.goals(data)),
        "",
    ]
    return lines


def pages_section(data):
    lines = [
        f"## Every public page in-process on SQLite ({data['films']:,} films)",
        "",
        *facts(data.get("load_average")),
        f"- SQLite {sqlite_version()}, `bench/bench.sqlite3`; every cache off",
        f"- Catalogue: {catalogue_line(data['counts'])}",
        f"- {data['requests']} requests per page after 3 warm-up requests, in-process with "
        "Django's test Client: server time (URL resolution, views, queries, templates), "
        "without network",
        "",
        "| page | URL | median (ms) | p95 (ms) | queries |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for name, r in data["results"].items():
        lines.append(
            f"| {name} | `{r['url']}` | {r['median']:.1f} | {r['p95']:.1f} | {r['queries']} |"
        )
    worst = max(r["median"] for r in data["results"].values())
    lines += [
        "",
        f"Target: every median under 50 ms — {'met' if worst < 50 else 'NOT met'} "
        f"(slowest median {worst:.1f} ms).",
        "",
    ]
    return lines


def catalogue_line(counts):
    return ", ".join(f"{v:,} {k}" for k, v in counts.items())


def sqlite_version():
    import sqlite3

    return sqlite3.sqlite_version


def header():
    return [
        "# Speed bench",
        "",
        "Written by `make bench` (bench/run.py): do not edit by hand. "
        "`BENCH_ONLY=load`, `scale`, `pages`, `api` or `proxy` (comma-separated) runs some "
        "sections and "
        "keeps the others as they were; each section says when it ran. "
        f"Python {platform.python_version()}.",
        "",
    ]


def write(section, lines):
    """Replace ``section`` in bench/results.md, keeping the sections that did not run."""
    old = RESULTS.read_text() if RESULTS.exists() else ""
    kept = dict(re.findall(r"<!-- bench:(\w+) -->\n(.*?)<!-- /bench:\1 -->\n", old, re.S))
    kept[section] = "\n".join(lines) + "\n"
    out = header()
    for name in SECTIONS:
        if name in kept:
            out += [f"<!-- bench:{name} -->", kept[name] + f"<!-- /bench:{name} -->", ""]
    RESULTS.write_text("\n".join(out).rstrip("\n") + "\n")


def main():
    only = os.environ.get("BENCH_ONLY", ",".join(SECTIONS)).split(",")
    unknown = set(only) - set(SECTIONS) - OTHERS
    if unknown:
        raise SystemExit(f"BENCH_ONLY: unknown sections {', '.join(sorted(unknown))}")
    if "pages" in only:
        log(f"In-process bench on SQLite, {SQLITE_FILMS:,} films…")
        started = common.load_average()
        env = {
            "DATABASE_URL": f"sqlite:///{common.BENCH_DIR / 'bench.sqlite3'}",
            **common.COLD_ENV,
        }
        data = common.run_json(["bench/pages.py", "--films", str(SQLITE_FILMS)], env)
        write("pages", pages_section({**data, "load_average": started}))
    if "scale" in only:
        started = common.load_average()
        write("scale", scale_section({**scale.run(log=log), "load_average": started}))
    if "load" in only:
        write("load", load_section(load.run(log=log)))
    if "api" in only:
        write("api", api.section(api.run(log=log), facts, catalogue_line))
    if "proxy" in only:
        write("proxy", proxy.section(proxy.run(log=log), facts, catalogue_line))
    log(f"Results written to {RESULTS.relative_to(common.ROOT)}")


if __name__ == "__main__":
    main()
