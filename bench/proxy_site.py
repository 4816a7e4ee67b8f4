"""
The Django side of the proxy section (bench/proxy.py), in processes of their own.

    python bench/proxy_site.py pages --films 20000 --crawl 20000

builds the catalogue in DATABASE_URL when it is missing (as bench/pages.py
does) and prints, as JSON, the review page the section measures and the film
pages the crawler walks (the first ``--crawl`` films by id).

    python bench/proxy_site.py edit --films 12,34 --every 5 [--count 1]

is the editor: once a line arrives on stdin it saves one film after another
(a new sentence at the end of its synopsis, saved as the admin saves it: the
purge goes out when the save commits) every ``--every`` seconds, printing one
line of JSON per save with the time of its commit. When stdin closes (or on
SIGTERM) it gives each film back its synopsis, with a save that purges too.
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

for key, value in common.PRODUCTION_ENV.items():
    os.environ.setdefault(key, value)


def pages(films, crawl):
    from bench.pages import prepare

    catalogue = prepare(films)
    from django.urls import resolve

    from reviews.models import Film, Review

    review_url = catalogue.pages()["review"]
    review = Review.objects.get(slug=resolve(review_url).kwargs["slug"])
    walked = Film.objects.order_by("pk")[:crawl]
    return {
        "counts": catalogue.counts(),
        "review": {"url": review_url, "film": review.film_id},
        "films": [[film.pk, film.get_absolute_url()] for film in walked],
    }


def stamp(times):
    times.append(time.time())


def edit(film_ids, every, count, out):
    import django

    django.setup()
    from django.db import transaction

    from reviews.models import Film

    def stopped(*args):
        raise SystemExit(0)

    # The edited films get their synopsis back however the editor is stopped.
    signal.signal(signal.SIGTERM, stopped)
    stop = threading.Event()
    originals = dict(Film.objects.filter(pk__in=film_ids).values_list("pk", "synopsis"))
    edited = set()
    print(json.dumps({"ready": True}), file=out, flush=True)
    if not sys.stdin.readline():
        return

    def watch_stdin():
        sys.stdin.read()
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    started = time.monotonic()
    try:
        n = 0
        while not stop.is_set() and (count is None or n < count):
            film = Film.objects.get(pk=film_ids[n % len(film_ids)])
            n += 1
            marker = f"Edited behind Varnish, save {n} at {time.time():.3f}."
            film.synopsis = f"{originals[film.pk]} {marker}".strip()
            committed = []
            with transaction.atomic():
                # Runs first after the commit, before the purge the save queued.
                transaction.on_commit(partial(stamp, committed))
                film.save()
            edited.add(film.pk)
            line = {
                "save": n,
                "film": film.pk,
                "url": film.get_absolute_url(),
                "marker": marker,
                "committed": committed[0],
                "returned": time.time(),
            }
            print(json.dumps(line), file=out, flush=True)
            stop.wait(max(0.0, started + n * every - time.monotonic()))
        stop.wait()
    finally:
        for film in Film.objects.filter(pk__in=edited):
            film.synopsis = originals[film.pk]
            film.save()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("pages")
    listing.add_argument("--films", type=int, required=True)
    listing.add_argument("--crawl", type=int, required=True)
    editor = commands.add_parser("edit")
    editor.add_argument("--films", required=True, help="comma-separated film ids")
    editor.add_argument("--every", type=float, default=5.0)
    editor.add_argument("--count", type=int)
    args = parser.parse_args()
    # Only the figures go to stdout: whatever else prints goes with the progress.
    out, sys.stdout = sys.stdout, sys.stderr
    if args.command == "pages":
        json.dump(pages(args.films, args.crawl), out)
    else:
        film_ids = [int(pk) for pk in args.films.split(",")]
        edit(film_ids, args.every, args.count, out)


if __name__ == "__main__":
    main()
