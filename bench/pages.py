"""
Server time and query count of the public pages, in-process, on one catalogue.

    DATABASE_URL=postgres://…/filmblog_bench python bench/pages.py --films 20000

Builds the catalogue in DATABASE_URL when it is missing, of another size, or
BENCH_REBUILD is set (a PostgreSQL database is created if absent); then
requests each page with Django's test Client: warm-up requests, then timed
ones, each inside CaptureQueriesContext. Settings come from the environment,
so the caller decides which caches are on. Progress goes to stderr, figures
to stdout as JSON. bench/run.py runs this script; it is rarely run by hand.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

for key, value in common.PRODUCTION_ENV.items():
    os.environ.setdefault(key, value)


def log(message):
    print(message, file=sys.stderr, flush=True)


def prepare(films):
    """Connect to DATABASE_URL, migrate it, and make sure it holds ``films`` films."""
    url = os.environ["DATABASE_URL"]
    postgres = url.startswith(("postgres://", "postgresql://"))
    if postgres:
        common.ensure_postgres_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from bench import catalogue

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", verbosity=0)
    if os.environ.get("BENCH_REBUILD") or not catalogue.is_built(films):
        # Start from an empty database: a migration loads the country list.
        connection.close()
        if postgres:
            common.ensure_postgres_database(url, fresh=True)
        else:
            Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)
        call_command("migrate", verbosity=0)
        catalogue.build(films, log=log)
    elif pending:
        # New migrations may have added columns that bulk loads leave empty.
        log(f"Applied {len(pending)} new migrations; refreshing search columns and statistics.")
        catalogue.update_search_index()
        catalogue.vacuum()
    return catalogue


def measure(client, url, n, *, warm=3):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warm):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times, queries = [], []
    for _ in range(n):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured))
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[max(0, round(0.95 * len(times)) - 1)],
        "queries": statistics.median_low(queries),
        "bytes": len(response.content),
    }


def profile(client, url, n):
    """
    Where the time of ``n`` requests for ``url`` goes: own time by package
    (cProfile), SQL, and inclusive time by template (timed without the profiler).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    profiler = cProfile.Profile()
    queries = []
    start = time.perf_counter()
    for _ in range(n):
        # One capture per request: Django empties the query log when a request starts.
        with CaptureQueriesContext(connection) as captured:
            profiler.enable()
            client.get(url)
            profiler.disable()
        queries += captured.captured_queries
    profiled_ms = (time.perf_counter() - start) * 1000 / n
    stats = pstats.Stats(profiler, stream=io.StringIO())
    # pstats keys: (file, line, function) -> (calls, primitive calls, tottime, cumtime, callers)
    entries = [
        {
            "function": f"{_short(file)}:{line}({function})",
            "package": _package(file),
            "calls": calls / n,
            "own_ms": tottime * 1000 / n,
            "cumulative_ms": cumtime * 1000 / n,
        }
        for (file, line, function), (_, calls, tottime, cumtime, _) in stats.stats.items()
    ]
    packages = {}
    for entry in entries:
        packages[entry["package"]] = packages.get(entry["package"], 0) + entry["own_ms"]
    own_total = sum(packages.values())
    templates, plain_ms, cpu_ms, sql_ms = time_templates(client, url, n)
    return {
        "requests": n,
        "plain_ms": plain_ms,
        "cpu_ms": cpu_ms,
        "profiled_ms": profiled_ms,
        "sql_ms": sql_ms,
        "queries": len(queries) // n,
        "packages": sorted(
            ((name, ms / own_total) for name, ms in packages.items()), key=lambda p: -p[1]
        )[:12],
        "templates": templates,
        "top_own": sorted(entries, key=lambda e: -e["own_ms"])[:12],
    }


def time_templates(client, url, n):
    """
    Inclusive time and count of every template rendered, per request, without
    cProfile. Django's templates are timed one by one; a Jinja2 page is timed
    as a whole, its includes and macros compiled into it.
    """
    from django.db import connection
    from django.template.backends.jinja2 import Template as JinjaTemplate
    from django.template.base import Template
    from django.test.utils import CaptureQueriesContext

    spent = {}

    def timed(render, name_of):
        def render_timed(self, *args, **kwargs):
            start = time.perf_counter()
            try:
                return render(self, *args, **kwargs)
            finally:
                name = name_of(self)
                total, count = spent.get(name, (0.0, 0))
                spent[name] = (total + time.perf_counter() - start, count + 1)

        return render_timed

    patched = [
        (Template, Template.render, lambda t: t.origin.template_name or t.name or "(string)"),
        (JinjaTemplate, JinjaTemplate.render, lambda t: f"{t.origin.template_name} (Jinja2)"),
    ]
    for cls, render, name_of in patched:
        cls.render = timed(render, name_of)
    try:
        queries = []
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries += captured.captured_queries
        plain_ms = (time.perf_counter() - start) * 1000 / n
        cpu_ms = (time.process_time() - cpu) * 1000 / n
    finally:
        for cls, render, _ in patched:
            cls.render = render
    rows = [
        {"template": name, "count": count / n, "inclusive_ms": total * 1000 / n}
        for name, (total, count) in spent.items()
    ]
    sql_ms = sum(float(q["time"]) for q in queries) * 1000 / n
    return sorted(rows, key=lambda r: -r["inclusive_ms"])[:15], plain_ms, cpu_ms, sql_ms


def _package(file):
    """What a source file belongs to: the project's app, a library, or Django's sub-package."""
    short = _short(file)
    if short == file:
        return "Python (builtins and stdlib)"
    parts = short.split("/")
    if parts[0] == "django" and len(parts) > 2:
        return f"django.{parts[1]}"
    return parts[0].removesuffix(".py")


def _short(file):
    for marker in ("site-packages/", str(common.ROOT) + "/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--films", type=int, default=20_000)
    parser.add_argument(
        "--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", "50"))
    )
    parser.add_argument("--only", help="comma-separated page names (default: all)")
    parser.add_argument("--profile", help="a page name to profile with cProfile")
    args = parser.parse_args()
    # Only the figures go to stdout: whatever else prints goes with the progress.
    out, sys.stdout = sys.stdout, sys.stderr

    catalogue = prepare(args.films)
    from django.test import Client, override_settings

    urls = catalogue.pages()
    if args.only:
        urls = {name: urls[name] for name in args.only.split(",")}
    # The test client's host, and static files without collectstatic's manifest.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": static,
        },
        ALLOWED_HOSTS=["testserver"],
    ):
        client = Client()
        results = {}
        for name, url in urls.items():
            results[name] = {"url": url, **measure(client, url, args.requests)}
            log(f"  {name}: {results[name]['median']:.1f} ms, {results[name]['queries']} queries")
        profiled = None
        if args.profile:
            url = catalogue.pages()[args.profile]
            profiled = {"page": args.profile, "url": url, **profile(client, url, args.requests)}

    from django.db import connection

    json.dump(
        {
            "films": args.films,
            "database": f"{connection.vendor} {connection.settings_dict['NAME']}",
            "counts": catalogue.counts(),
            "requests": args.requests,
            "results": results,
            "profile": profiled,
        },
        out,
    )


if __name__ == "__main__":
    main()
