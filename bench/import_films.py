"""
Import bench: ``manage.py import_films`` on IMDb-shaped datasets, on PostgreSQL.

    make bench                                   # with the rest; BENCH_ONLY=import alone
    BENCH_IMPORT_FILMS=20000 BENCH_ONLY=import make bench

Writes synthetic ``title.basics``, ``title.principals``, ``title.crew`` and
``name.basics`` (gzipped, in the published format) for BENCH_IMPORT_FILMS films
(100,000 by default) with ten credits each (1,000,000), into bench/import-data/,
then imports them into a fresh database of their own and records the wall time
and the importer's peak memory (its maximum resident set size) in
bench/results.md. A second run of the same files measures the idempotent rerun.
Goal: under 5 minutes and under 500 MB for 100,000 films.
"""

import gzip
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, run  # noqa: E402

FILMS = int(os.environ.get("BENCH_IMPORT_FILMS", "100000"))
CREDITS_PER_FILM = 10
PEOPLE = max(FILMS * 2, 1000)
DATA = common.BENCH_DIR / "import-data" / f"{FILMS}"
DATABASE = f"filmblog_bench_import_{FILMS}"
GENRES = ["Drama", "Comedy", "Crime", "Thriller", "Romance", "Horror", "Documentary", "Action"]
CATEGORIES = ["actor", "actress", "actor", "actress", "actor", "cinematographer", "composer"]
N = "\\N"


def log(message):
    print(message, file=sys.stderr, flush=True)


def _write(path, header, rows):
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=3) as handle:
        handle.write("\t".join(header) + "\n")
        for row in rows:
            handle.write("\t".join(row) + "\n")


def make_datasets():
    if (DATA / "name.basics.tsv.gz").exists():
        return
    DATA.mkdir(parents=True, exist_ok=True)
    log(f"Writing IMDb-shaped datasets for {FILMS:,} films to {DATA}...")
    rng = random.Random(17)
    tconsts = [f"tt{n:07d}" for n in range(1, FILMS + 1)]

    def basics():
        for n, tconst in enumerate(tconsts):
            genres = ",".join(rng.sample(GENRES, 2))
            year = str(1920 + n % 100)
            yield [
                tconst,
                "movie",
                f"Film {n}",
                f"Film {n}",
                "0",
                year,
                N,
                str(80 + n % 60),
                genres,
            ]

    def people_of(n):
        return [f"nm{(n * 7 + k * 9973) % PEOPLE + 1:07d}" for k in range(CREDITS_PER_FILM)]

    def principals():
        for n, tconst in enumerate(tconsts):
            people = people_of(n)
            for ordering, nconst in enumerate(people[2:], start=1):
                category = CATEGORIES[ordering % len(CATEGORIES)]
                characters = f'["Character {ordering}"]' if category.startswith("act") else N
                yield [tconst, str(ordering), nconst, category, N, characters]

    def crew():
        for n, tconst in enumerate(tconsts):
            people = people_of(n)
            yield [tconst, people[0], people[1]]

    def names():
        for n in range(1, PEOPLE + 1):
            yield [f"nm{n:07d}", f"Person {n}", str(1900 + n % 100), N, "actor", N]

    _write(
        DATA / "title.basics.tsv.gz",
        [
            "tconst",
            "titleType",
            "primaryTitle",
            "originalTitle",
            "isAdult",
            "startYear",
            "endYear",
            "runtimeMinutes",
            "genres",
        ],
        basics(),
    )
    _write(
        DATA / "title.principals.tsv.gz",
        ["tconst", "ordering", "nconst", "category", "job", "characters"],
        principals(),
    )
    _write(DATA / "title.crew.tsv.gz", ["tconst", "directors", "writers"], crew())
    _write(
        DATA / "name.basics.tsv.gz",
        ["nconst", "primaryName", "birthYear", "deathYear", "primaryProfession", "knownForTitles"],
        names(),
    )


def manage(args, env):
    """
    Run manage.py; return (seconds, peak resident memory in MB, stdout, CPU
    seconds). The CPU time (user and system) is the importer's own, which a
    busy machine does not inflate the way it does the wall time.
    """
    started = time.monotonic()
    child = subprocess.Popen(
        [common.PYTHON, "manage.py", *args],
        cwd=common.ROOT,
        env={**os.environ, **common.PRODUCTION_ENV, **env},
        stdout=subprocess.PIPE,
        text=True,
    )
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed ({child.returncode})")
    cpu = usage.ru_utime + usage.ru_stime
    return time.monotonic() - started, usage.ru_maxrss / 1024, out, cpu


def main():
    make_datasets()
    url = common.postgres_url(DATABASE)
    common.ensure_postgres_database(url, fresh=True)
    env = {"DATABASE_URL": url}
    load = common.load_average()
    manage(["migrate", "--no-input", "-v0"], env)
    log(f"Importing {FILMS:,} films into {DATABASE}...")
    # --restart: the database is new, so a note left by a killed bench run must not count.
    seconds, memory, out, cpu = manage(
        ["import_films", str(DATA), "--create-genres", "--no-progress", "--restart"], env
    )
    log(out.strip())
    log("Importing the same files again...")
    again_seconds, again_memory, again_out, again_cpu = manage(
        ["import_films", str(DATA), "--no-progress"], env
    )
    log(again_out.strip())
    load_after = common.load_average()
    credits = FILMS * CREDITS_PER_FILM
    if FILMS == 100_000:
        goal = "met" if seconds < 300 and memory < 500 else "missed"
    else:
        goal = f"not measured (this run is {FILMS:,} films)"
    lines = [
        f"## Import: {FILMS:,} films with {credits:,} credits from IMDb's TSV datasets, "
        "on PostgreSQL",
        "",
        *run.facts(load),
        f"- Load average when it ended: {common.format_load(load_after)}",
        f"- Versions: PostgreSQL {common.postgres_version()}",
        f"- Data: synthetic `title.basics`, `title.principals`, `title.crew` and "
        f"`name.basics`, gzipped, {PEOPLE:,} people (bench/import_films.py)",
        "",
        "| run | wall time | films/s | importer's CPU time | peak memory (max RSS) |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| first import, empty catalogue | {seconds:.1f} s | {FILMS / seconds:,.0f} | "
        f"{cpu:.1f} s | {memory:,.0f} MB |",
        f"| the same files again (changes nothing) | {again_seconds:.1f} s | "
        f"{FILMS / again_seconds:,.0f} | {again_cpu:.1f} s | {again_memory:,.0f} MB |",
        "",
        f"Goal for 100,000 films: under 5 minutes and 500 MB: {goal}.",
        "",
        "The importer's CPU time is its own process's (parsing and building the rows); "
        "the database's work comes on top of it, on the other core while the importer "
        "parses ahead. On a busy machine the wall time grows with the load, the CPU time "
        "much less.",
        "",
        "What the importer said:",
        "",
        *(f"    {line}" for line in out.strip().splitlines()[:5]),
        "",
    ]
    run.write("import", lines)
    log(f"Written to {run.RESULTS}")


if __name__ == "__main__":
    main()
