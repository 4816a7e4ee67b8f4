"""
Digest benchmark: mails per second and peak memory for 50,000 confirmed
subscribers, each owed three new reviews, with Django's locmem mail backend.

Runs on a throw-away SQLite database in a temporary folder, in memory-backed
/dev/shm where the machine has one (or on BENCH_DATABASE_URL, which it fills
with 50,000 rows: never point it at a real database), and appends its figures
to bench/digest-results.md. The digest commits once per subscriber (that is
what makes a killed run safe to rerun), so on a disk-backed SQLite file the
rate mostly measures the disk's fsync; /dev/shm measures the digest itself.

The locmem backend keeps every mail in a list; the benchmark empties that list
after each batch, as a real mail server would take the mails away, so the
memory figure is the digest's own and not the test backend's pile of mails.

    python bench/digest.py [--subscribers 50000] [--batch-size 500]
"""

import argparse
import datetime
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "digest-results.md"


def setup_django(tmp):
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
    )
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmblog.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(count):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from people.models import AuthorProfile
    from reviews.models import Film, Review
    from subscriptions.models import Subscriber

    now = timezone.now()
    stamp = f"{now.timestamp():.0f}"
    Subscriber.objects.all().delete()
    user = get_user_model().objects.create_user(username=f"bench{stamp}")
    author = AuthorProfile.objects.create(user=user, display_name="Bench Writer")
    for n in range(3):
        film = Film.objects.create(title=f"Bench Film {n} {stamp}", year=2012)
        Review.objects.create(
            film=film,
            author=author,
            headline=f"Bench review {n}",
            standfirst="A short summary of the kind a digest shows under each headline.",
            status="published",
            published_at=now - timezone.timedelta(minutes=10 + n),
        )
    since = now - timezone.timedelta(days=1)
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{n}@bench.example",
                name=f"Reader {n}" if n % 2 else "",
                state=Subscriber.State.CONFIRMED,
                consent_at=since,
                consent_version="bench",
                confirmed_at=since,
                mailed_through=since,
            )
            for n in range(count)
        ),
        batch_size=5000,
    )
    return since


def run(batch_size, *, trace):
    from django.core import mail

    from subscriptions import digest

    mail.outbox = []

    def drain(result):
        mail.outbox.clear()

    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    result = digest.send_digest(batch_size=batch_size, on_batch=drain)
    seconds = time.perf_counter() - started
    peak = None
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, seconds, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=50_000)
    parser.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args()

    shm = Path("/dev/shm")
    folder = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        setup_django(tmp)
        from django import get_version
        from django.db import connection

        from subscriptions.models import Subscriber

        since = populate(args.subscribers)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        # Timed run, without tracemalloc (it slows allocation down).
        result, seconds, _ = run(args.batch_size, trace=False)
        assert result.mailed == args.subscribers, result
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        # Second run over the same list, traced, for the digest's own peak memory.
        Subscriber.objects.update(mailed_through=since)
        traced, _, peak = run(args.batch_size, trace=True)
        assert traced.mailed == args.subscribers, traced
        vendor = connection.vendor
        if vendor == "sqlite" and "BENCH_DATABASE_URL" not in os.environ:
            vendor = f"sqlite ({'/dev/shm' if folder else 'disk'})"
        connection.close()

    rate = result.mailed / seconds
    line = (
        f"| {datetime.date.today().isoformat()} | {args.subscribers:,} | {args.batch_size} "
        f"| {result.mailed:,} | {seconds:.1f} s | **{rate:,.0f} mails/s** "
        f"| **{peak / 2**20:.1f} MiB** | {rss_after / 1024:.0f} MiB "
        f"(+{max(0, rss_after - rss_before) / 1024:.0f}) | {vendor} "
        f"| Python {platform.python_version()}, Django {get_version()} |"
    )
    header = (
        "# Digest benchmark\n\n"
        "`make bench-digest` (bench/digest.py): confirmed subscribers each owed three "
        "new reviews, Django's locmem mail backend emptied after every batch, one "
        "mail-server connection per batch. *Peak traced* is the most memory Python "
        "allocated during the digest (tracemalloc, second run); *peak RSS* is the "
        "process's high-water mark after the timed run, with what the digest added "
        "to it in brackets.\n\n"
        "| date | subscribers | batch | mails | time | rate | peak traced | peak RSS | "
        "database | versions |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    existing = RESULTS.read_text() if RESULTS.exists() else ""
    if not existing.startswith("# Digest benchmark"):
        existing = header
    RESULTS.write_text(existing.rstrip("\n") + "\n" + line + "\n")
    print(line)
    print(f"Figures appended to {RESULTS.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
