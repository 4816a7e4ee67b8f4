"""
The content API in-process, on one catalogue: server time and queries of its
lists of 100, with Django's test Client and a key of the bench's own.

    DATABASE_URL=postgres://…/filmblog_bench_api python bench/api_inprocess.py --films 100000

Builds the catalogue when it is missing (bench/pages.py's prepare()); settings
come from the environment, so the caller decides which caches are on. Prints
the figures and the key (for the load run) as JSON. bench/api.py runs it.
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

for key, value in common.PRODUCTION_ENV.items():
    os.environ.setdefault(key, value)

from bench import pages  # noqa: E402

URLS = {
    "reviews": "/api/v1/reviews/?limit=100",
    "reviews with films": "/api/v1/reviews/?limit=100&include=film",
    "reviews filtered": "/api/v1/reviews/?limit=100&rating_min=3&year_min=1990&order=-rating",
    "films": "/api/v1/films/?limit=100",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--films", type=int, default=100_000)
    parser.add_argument(
        "--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", "50"))
    )
    args = parser.parse_args()
    out, sys.stdout = sys.stdout, sys.stderr

    catalogue = pages.prepare(args.films)
    from django.test import Client, override_settings

    from api.keys import create_key

    _, key = create_key("Speed bench", rate_limit=10**9)
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        results = {}
        for name, url in URLS.items():
            results[name] = {"url": url, **pages.measure(client, url, args.requests)}
            pages.log(
                f"  {name}: {results[name]['median']:.1f} ms, {results[name]['queries']} queries"
            )
    json.dump(
        {
            "films": args.films,
            "counts": catalogue.counts(),
            "review_page": catalogue.pages()["review"],
            "key": key,
            "results": results,
        },
        out,
    )


if __name__ == "__main__":
    main()
