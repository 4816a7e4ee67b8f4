"""
The scale run: the same pages on PostgreSQL catalogues of 1,000, 10,000 and
100,000 films (one database each, filmblog_bench_<films>, built once and
reused), every cache off, timed in-process by bench/pages.py.

    BENCH_SCALE_SIZES=1000,10000,100000
"""

import os

from bench import common

SIZES = [int(n) for n in os.environ.get("BENCH_SCALE_SIZES", "1000,10000,100000").split(",")]
PAGES = ["review", "film", "person", "home", "search", "search-rare"]
# A page is "flat" when its median at the largest size is within this factor
# of the smallest size's, and it makes no more queries.
FLAT = 1.5


def run(log=print):
    runs = {}
    for films in SIZES:
        log(f"Scale run: {films:,} films…")
        env = {"DATABASE_URL": common.postgres_url(f"filmblog_bench_{films}"), **common.COLD_ENV}
        runs[films] = common.run_json(
            ["bench/pages.py", "--films", str(films), "--only", ",".join(PAGES)], env
        )
    return {"sizes": SIZES, "pages": PAGES, "runs": runs}


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
