"""
The content API's bench section (``BENCH_ONLY=api make bench``):

- in-process on PostgreSQL, every cache off: the lists of 100 (reviews, with
  their films expanded, filtered, films) at BENCH_API_FILMS films (100,000);
- the load run: gunicorn with the page cache in Redis, wrk asking for the
  cached list of 100 reviews, the cached review page and the hello-world in
  the same run, so their shares of the hello-world compare. The review page
  and the list take turns for BENCH_API_ROUNDS rounds (3), each going first
  in turn, and each one's share is the mean of its rounds: one 10 s run
  apiece varies by a few per cent from run to run on a 2-CPU machine, as much
  as the difference being measured.
"""

import os

from bench import common, load

FILMS = int(os.environ.get("BENCH_API_FILMS", "100000"))
# The scale run's catalogue of the same size: one 100,000-film build serves both.
DATABASE = os.environ.get(
    "BENCH_API_DATABASE", os.environ.get("BENCH_SCALE_DATABASE", "filmblog_bench")
)
COLD_GOAL_MS = 30
ROUNDS = int(os.environ.get("BENCH_API_ROUNDS", "3"))


def database():
    return f"{DATABASE}_{FILMS}"


def run(log=print):
    env = {"DATABASE_URL": common.postgres_url(database())}
    log(f"API bench: {FILMS:,} films in {database()}, in-process with every cache off…")
    cold = common.run_json(
        ["bench/api_inprocess.py", "--films", str(FILMS)], {**env, **common.COLD_ENV}
    )
    common.flush_redis()
    cached = common.run_json(
        ["bench/api_inprocess.py", "--films", str(FILMS)], {**env, **common.CACHED_ENV}
    )
    load.collectstatic(env)
    quiet = common.wait_for_quiet(
        float(os.environ.get("BENCH_QUIET_LOAD", "1.0")),
        seconds=int(os.environ.get("BENCH_QUIET_WAIT", "180")),
        log=log,
    )
    load_before = common.load_average()
    log("Hello-world…")
    hello_first = load.hello(log=log)
    common.flush_redis()
    paths = {
        "review page": cold["review_page"],
        "API, 100 reviews": f"{cold['results']['reviews']['url']}&key={cold['key']}",
    }
    turns = {}
    for round_ in range(ROUNDS):
        for name in paths if round_ % 2 == 0 else reversed(paths):
            turns[f"{name}, round {round_ + 1}"] = paths[name]
    log(f"filmblog, cached: the review page and the API's list of 100 reviews, {ROUNDS} rounds…")
    served = load.filmblog(turns, {**env, **common.CACHED_ENV}, name="api-cached", log=log)
    log("Hello-world again…")
    hello_last = load.hello(log=log)
    return {
        "films": FILMS,
        "database": database(),
        "counts": cold["counts"],
        "cold": cold["results"],
        "cached_inprocess": cached["results"],
        "hello": [hello_first, hello_last],
        "served": served,
        "rounds": ROUNDS,
        "paths": paths,
        "load": [load_before, common.load_average()],
        "quiet": quiet,
        "key": cold["key"],
    }


def mean_of_rounds(served, paths):
    """Each page's figures averaged over its rounds (an older run had one, under its name)."""
    means = {}
    for name in paths:
        runs = [r for turn, r in served.items() if turn == name or turn.startswith(f"{name}, ")]
        means[name] = {
            **runs[0],
            **{key: sum(r[key] for r in runs) / len(runs) for key in ("rps", "p50", "p99")},
            "errors": sum(r["errors"] for r in runs),
        }
    return means


def section(data, facts, catalogue_line):
    hello_rps = sum(h["rps"] for h in data["hello"]) / len(data["hello"])
    means = mean_of_rounds(data["served"], data["paths"])
    share = {name: r["rps"] / hello_rps for name, r in means.items()}
    reviews_cold = data["cold"]["reviews"]["median"]
    lines = [
        f"## Content API: lists of 100 at {data['films']:,} films",
        "",
        *facts(data["load"][0]),
        f"- Catalogue: {catalogue_line(data['counts'])} (PostgreSQL, database "
        f"`{data['database']}`)",
        "- In-process: Django's test Client with a key, DEBUG off, median and p95 of "
        "the requests after 3 warm-up ones; cold is `CACHE_URL=dummy:// "
        "PAGE_CACHE_SECONDS=0`, cached is Redis with the page cache on",
        "",
        "| list | URL | cold median (ms) | cold p95 (ms) | queries | cached median (ms) "
        "| cached queries |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in data["cold"].items():
        c = data["cached_inprocess"][name]
        lines.append(
            f"| {name} | `{r['url']}` | {r['median']:.1f} | {r['p95']:.1f} | {r['queries']} "
            f"| {c['median']:.1f} | {c['queries']} |"
        )
    lines += [
        "",
        "Load run (gunicorn on 127.0.0.1, page cache in Redis, wrk as in the load run "
        f"above; the key goes as `?key=`). The review page and the list take turns for "
        f"{data.get('rounds', 1)} round(s) of 10 s, each going first in turn; a page's "
        "share is the mean of its rounds:",
        "",
        "| page | req/s | p50 (ms) | p99 (ms) | errors | % of hello-world | page cache |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        *(
            f"| hello-world{' (again)' if n else ''} | {h['rps']:,.0f} | {h['p50']:.1f} "
            f"| {h['p99']:.1f} | {h['errors']} | 100% | — |"
            for n, h in enumerate(data["hello"])
        ),
        *(
            f"| {name} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} "
            f"| {r['rps'] / hello_rps * 100:.1f}% | {r.get('page_cache') or '—'} |"
            for name, r in data["served"].items()
        ),
        *(
            f"| **{name}, mean** | **{r['rps']:,.0f}** | {r['p50']:.1f} | {r['p99']:.1f} "
            f"| {r['errors']} | **{share[name] * 100:.1f}%** | |"
            for name, r in means.items()
        ),
        "",
        "Goals:",
        "",
        f"- A cold list of 100 reviews under {COLD_GOAL_MS} ms in-process at 100,000 films: "
        + (
            f"**{'met' if reviews_cold < COLD_GOAL_MS else 'not met'}** "
            f"({reviews_cold:.1f} ms at {data['films']:,} films)"
            if data["films"] >= 100_000
            else f"**not measured at 100,000** ({reviews_cold:.1f} ms at {data['films']:,} films)"
        ),
        "- The cached list of 100 reviews at no less than the cached review page's share of "
        "hello-world: "
        + ("**met**" if share["API, 100 reviews"] >= share["review page"] else "**not met**")
        + f" ({share['API, 100 reviews'] * 100:.1f}% against {share['review page'] * 100:.1f}%)"
        + ("" if data["quiet"] else "; the machine did not get quiet, so figures are pessimistic"),
        "",
    ]
    return lines
