"""
Federation benchmark: one review delivered to 10,000 followers on 500 servers,
each with a shared inbox, on the task runner (django-tasks' database backend,
run by ``db_worker`` in this process), to a sink server in a process of its own
that checks every signature and counts what arrives.

Runs on a throw-away SQLite database in /dev/shm where the machine has one.
Records the wall time from the editor's publish to the last delivery and the
process's peak memory (max RSS) in bench/results.md.

    python bench/federation.py [--followers 10000] [--servers 500]
"""

import argparse
import datetime
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results.md"
GOAL_SECONDS = 60
GOAL_MB = 200


def sink(port, key_file):
    """The sink: a threaded HTTP server that verifies signatures and counts requests."""
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmblog.settings")
    import django

    django.setup()
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from django.utils import timezone

    from federation import signatures

    keys = json.loads(Path(key_file).read_text())
    counts, failures = {}, []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            body = json.dumps({"requests": sum(counts.values()), "inboxes": len(counts),
                               "most_to_one_inbox": max(counts.values(), default=0),
                               "bad_signatures": len(failures)}).encode()  # fmt: skip
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            try:
                signed = signatures.parse(
                    method="POST", path=self.path, headers=headers, body=body,
                    now=timezone.now(), window=300,
                )  # fmt: skip
                signed.verify(keys[signed.key_id])
            except (signatures.SignatureError, KeyError) as error:
                failures.append(repr(error))
            counts[self.path] = counts.get(self.path, 0) + 1
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print("ready", flush=True)
    server.serve_forever()


def setup_django(tmp):
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
    os.environ.update(
        FEDERATION="1",
        FEDERATION_ALLOW_PRIVATE_ADDRESSES="1",
        TASKS_BACKEND="database",
        SITE_URL="https://films.bench.example",
        MEDIA_ROOT=str(Path(tmp) / "media"),
        LOG_LEVEL="ERROR",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmblog.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(port, followers, servers):
    from django.utils import timezone

    from federation import actors
    from federation.models import Follower, RemoteActor
    from reviews.models import Credit, Genre
    from tests.factories import make_credit, make_editor, make_film, make_person, make_review

    editor = make_editor()
    film = make_film(
        title="Cléo from 5 to 7", year=1962, genres=[Genre.objects.create(name="Drama")]
    )
    make_credit(film=film, person=make_person(name="Agnès Varda"), role=Credit.Role.DIRECTOR)
    review = make_review(
        film=film, author=editor.author_profile, status="draft", headline="Two hours in Paris",
        body="<p>" + "Varda follows Cléo through Paris. " * 200 + "</p>",
    )  # fmt: skip
    review.tags.add("French New Wave", "Paris")
    blog, author = actors.blog_actor(), actors.author_actor(editor.author_profile)
    now = timezone.now()
    base = f"http://127.0.0.1:{port}"
    RemoteActor.objects.bulk_create(
        [
            RemoteActor(
                url=f"{base}/s{n % servers}/users/u{n}",
                key_id=f"{base}/s{n % servers}/users/u{n}#main-key",
                public_key_pem="-",
                inbox=f"{base}/s{n % servers}/users/u{n}/inbox",
                shared_inbox=f"{base}/s{n % servers}/inbox",
                username=f"u{n}",
                domain="127.0.0.1",
                fetched_at=now,
            )
            for n in range(followers)
        ],
        batch_size=2000,
    )
    remotes = list(RemoteActor.objects.values_list("pk", flat=True))
    # Everyone follows the blog; every third also follows the author (one request still).
    rows = [Follower(actor=blog, remote_id=pk) for pk in remotes]
    rows += [Follower(actor=author, remote_id=pk) for pk in remotes[::3]]
    Follower.objects.bulk_create(rows, batch_size=2000)
    keys = {actors.key_id(a): a.public_key_pem for a in (blog, author)}
    return editor, review, keys, len(rows)


def _cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_worker():
    from django.core.management import call_command

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def record(text):
    start, end = "<!-- bench:federation -->", "<!-- /bench:federation -->"
    existing = RESULTS.read_text() if RESULTS.exists() else ""
    block = f"{start}\n{text.rstrip()}\n{end}"
    if start in existing:
        existing = re.sub(re.escape(start) + ".*?" + re.escape(end), block, existing, flags=re.S)
    else:
        existing = existing.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(existing)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--servers", type=int, default=500)
    parser.add_argument("--sink", nargs=2, metavar=("PORT", "KEYS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        return sink(int(args.sink[0]), args.sink[1])

    shm = Path("/dev/shm")
    folder = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        setup_django(tmp)
        import socket
        import urllib.request

        from django import get_version
        from django.db import transaction

        from federation.models import Delivery
        from reviews import workflow

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        editor, review, keys, follow_rows = populate(port, args.followers, args.servers)
        key_file = Path(tmp) / "keys.json"
        key_file.write_text(json.dumps(keys))
        process = subprocess.Popen(
            [sys.executable, __file__, "--sink", str(port), str(key_file)],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert process.stdout.readline().strip() == "ready"
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            cpu_before = _cpu(resource.RUSAGE_SELF)
            started = time.perf_counter()
            with transaction.atomic():
                workflow.publish(review, by=editor)
            run_worker()  # the review's sync, then its delivery task, then nothing is left
            seconds = time.perf_counter() - started
            cpu = _cpu(resource.RUSAGE_SELF) - cpu_before
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
                seen = json.loads(response.read())
            delivered = Delivery.objects.filter(status="delivered").count()
            waiting = Delivery.objects.exclude(status="delivered").count()
        finally:
            process.terminate()
            process.wait(10)
        sink_cpu = _cpu(resource.RUSAGE_CHILDREN)

    load_after = os.getloadavg()
    met = seconds < GOAL_SECONDS and rss_after < GOAL_MB
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=BASE_DIR
    ).stdout.strip()
    text = f"""## Federation: one review to {args.followers:,} followers on {args.servers} servers

- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; commit {commit}
- Machine: {os.cpu_count()} CPUs; {platform.platform()}; Python {platform.python_version()}; Django {get_version()}
- Load average (1/5/15 min) when the run started: {" / ".join(f"{x:.2f}" for x in load_before)}; when it ended: {" / ".join(f"{x:.2f}" for x in load_after)}
- Set-up: {args.followers:,} remote accounts on {args.servers} servers, each server with a shared inbox; all follow the blog and every third also follows the author ({follow_rows:,} follow rows). The editor publishes; `db_worker` (django-tasks' database backend, SQLite in /dev/shm) runs the review's sync task and then its delivery task, {os.environ.get("FEDERATION_DELIVERY_THREADS", "8")} requests at a time. The sink, a threaded HTTP server in a process of its own, checks every signature.

| deliveries (one per shared inbox) | requests the sink got | most to one inbox | bad signatures | publish → last delivery | its CPU time | peak memory (max RSS) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| {delivered:,} delivered, {waiting} waiting | {seen["requests"]:,} to {seen["inboxes"]:,} inboxes | {seen["most_to_one_inbox"]} | {seen["bad_signatures"]} | {seconds:.1f} s | {cpu:.1f} s (the sink's: {sink_cpu:.1f} s) | {rss_after:.0f} MB (before publishing: {rss_before:.0f} MB) |

Goal: under {GOAL_SECONDS} s and {GOAL_MB} MB: {"met" if met else "not met"}.
"""  # noqa: E501
    record(text)
    print(text)


if __name__ == "__main__":
    main()
