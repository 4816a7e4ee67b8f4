"""
The scale run: the same pages on PostgreSQL catalogues of 1,000, 10,000 and
100,000 films (one database each, <prefix>_<films>, built once and reused),
every cache off, timed in-process by bench/pages.py.

    BENCH_SCALE_SIZES=1000,10000,100000
    BENCH_SCALE_ROUNDS=3
    BENCH_SCALE_DATABASE=filmblog_bench   the databases' prefix
"""

import os
import statistics

from bench import common

SIZES = [int(n) for n in os.environ.get("BENCH_SCALE_SIZES", "1000,10000,100000").split(",")]
PAGES = ["review", "film", "person", "home", "search", "search-rare"]
ROUNDS = int(os.environ.get("BENCH_SCALE_ROUNDS", "3"))
DATABASE = os.environ.get("BENCH_SCALE_DATABASE", "filmblog_bench")
# The rounds share the requests a page gets (BENCH_REQUESTS, default 50).
REQUESTS_PER_ROUND = max(10, -(-int(os.environ.get("BENCH_REQUESTS", "50")) // ROUNDS))
# A page is "flat" when its median at the largest size is within this factor
# of the smallest size's, and it makes no more queries.
FLAT = 1.5
# Every page but the common-word search must be flat: that search reads every
# match to choose the few it ranks, and its matches grow with the catalogue.
FLAT_PAGES = [page for page in PAGES if page != "search"]
# The cold review page: the same queries at every size, and its median under
# this many milliseconds at REVIEW_GOAL_FILMS.
REVIEW_GOAL_MS = 15
REVIEW_GOAL_FILMS = 100_000
# The common-word search: its 95th percentile under this many milliseconds at
# REVIEW_GOAL_FILMS, however many films match.
SEARCH_GOAL_MS = 50


def database(films):
    return f"{DATABASE}_{films}"


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
                "DATABASE_URL": common.postgres_url(database(films)),
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
                    # Like the median, the middle of the rounds' figures.
                    "p95": statistics.median(r["results"][page]["p95"] for r in results),
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


def goals(data):
    """The scale run's goals as (description, met, detail); met is None when not measured."""
    verdict = flatness(data)
    sizes, runs = data["sizes"], data["runs"]
    review = [runs[films]["results"]["review"] for films in sizes]
    constant = len({r["queries"] for r in review}) == 1
    largest = sizes[-1]
    median = runs[largest]["results"]["review"]["median"]
    # None: the run did not reach the goal's size, so it cannot say.
    under = median < REVIEW_GOAL_MS if largest >= REVIEW_GOAL_FILMS else None
    search = runs[largest]["results"]["search"]
    search_under = search["p95"] < SEARCH_GOAL_MS if largest >= REVIEW_GOAL_FILMS else None
    uneven = [page for page in FLAT_PAGES if not verdict[page][2]]
    return [
        (
            "Cold review page, the same queries at every size",
            constant,
            ", ".join(str(r["queries"]) for r in review) + " queries",
        ),
        (
            f"Cold review page under {REVIEW_GOAL_MS} ms median in-process at "
            f"{REVIEW_GOAL_FILMS:,} films",
            under,
            f"{median:.1f} ms at {largest:,} films",
        ),
        (
            f"Common-word search under {SEARCH_GOAL_MS} ms at p95 in-process at "
            f"{REVIEW_GOAL_FILMS:,} films",
            search_under,
            f"{search['p95']:.1f} ms at {largest:,} films",
        ),
        (
            "The table flat (every page but the common-word search)",
            not uneven,
            "not flat: " + ", ".join(uneven) if uneven else "all flat",
        ),
    ]
