"""
The scale run: the same pages on PostgreSQL catalogues of 1,000, 10,000 and
100,000 films (one database each, filmblog_bench_<films>, built once and
reused), every cache off, timed in-process by bench/pages.py.

    BENCH_SCALE_SIZES=1000,10000,100000
    BENCH_SCALE_ROUNDS=3
"""

import os
import statistics

from bench import common

SIZES = [int(n) for n in os.environ.get("BENCH_SCALE_SIZES", "1000,10000,100000").split(",")]
PAGES = ["review", "film", "person", "home", "search", "search-rare"]
ROUNDS = int(os.environ.get("BENCH_SCALE_ROUNDS", "3"))
# The rounds share the requests a page gets (BENCH_REQUESTS, default 50).
REQUESTS_PER_ROUND = max(10, -(-int(os.environ.get("BENCH_REQUESTS", "50")) // ROUNDS))
# A page is "flat" when its median at the largest size is within this factor
# of the smallest size's, and it makes no more queries.
FLAT = 1.5


def run(log=print):
    """
    Each size is measured ROUNDS times, the sizes taking turns, and each page's
    figure is the median of its rounds: a neighbour's busy minute then lands on
    one round of every size rather than on one size.
    """
    rounds = {films: [] for films in SIZES}
    for n in range(ROUNDS):
        for films in SIZES:
            log(f"Scale run, round {n + 1} of {ROUNDS}: {films:,} films…")
            env = {
                "DATABASE_URL": common.postgres_url(f"filmblog_bench_{films}"),
                **common.COLD_ENV,
            }
            rounds[films].append(
                common.run_json(
                    [
                        "bench/pages.py",
                        *("--films", str(films), "--only", ",".join(PAGES)),
                        *("--requests", str(REQUESTS_PER_ROUND)),
                    ],
                    env,
                )
            )
    runs = {}
    for films, results in rounds.items():
        runs[films] = {
            "counts": results[-1]["counts"],
            "results": {
                page: {
                    "url": results[-1]["results"][page]["url"],
                    "median": statistics.median(r["results"][page]["median"] for r in results),
                    "queries": statistics.median_low(
                        r["results"][page]["queries"] for r in results
                    ),
                }
                for page in PAGES
            },
        }
    return {"sizes": SIZES, "pages": PAGES, "runs": runs, "rounds": ROUNDS}


def flatness(data):
    """For each page: (time ratio largest/smallest, queries equal?, flat?)."""
    small, large = data["runs"][data["sizes"][0]], data["runs"][data["sizes"][-1]]
    verdict = {}
    for page in data["pages"]:
        a, b = small["results"][page], large["results"][page]
        ratio = b["median"] / a["median"]
        same_queries = b["queries"] <= a["queries"]
        verdict[page] = (ratio, same_queries, ratio <= FLAT and same_queries)
    return verdict
