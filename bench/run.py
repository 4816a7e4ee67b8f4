"""
Speed bench for the public pages, on a synthetic catalogue.

    make bench                      # build bench/bench.sqlite3 once, then measure
    BENCH_REBUILD=1 make bench      # throw the catalogue away and build it again
    BENCH_REQUESTS=100 make bench   # more requests per page

The catalogue (20,000 films, 100,000 people, 400,000 credits, 5,000 published
reviews with quotes and tags) is written with bulk_create into its own SQLite
database, never the development one. Each page is requested in-process with
Django's test Client: a few warm-up requests, then BENCH_REQUESTS timed ones,
each inside CaptureQueriesContext. Results go to bench/results.md.
"""

import datetime
import os
import platform
import random
import sqlite3
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmblog.settings")
# Measure what production runs: no template debugging, no SSL redirect.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("MEDIA_ROOT", str(BENCH_DIR / "media"))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from taggit.models import Tag, TaggedItem  # noqa: E402

from people.models import AuthorProfile, Person  # noqa: E402
from reviews.models import (  # noqa: E402
    Country,
    Credit,
    CriticQuote,
    Film,
    Genre,
    Release,
    Review,
)

N_FILMS = 20_000
N_PEOPLE = 100_000
CREDITS_PER_FILM = 20  # 1 director, 2 writers, 1 cinematographer, 1 composer, 15 cast
N_DIRECTORS = 2_000
N_REVIEWS = 5_000
N_AUTHORS = 25
BATCH = 5_000

FIRST = [
    "Ada",
    "Agnès",
    "Alain",
    "Ali",
    "Amira",
    "Anna",
    "Ariane",
    "Arno",
    "Bruno",
    "Camille",
    "Carmen",
    "Chiara",
    "Claire",
    "Dario",
    "David",
    "Elena",
    "Elias",
    "Emma",
    "Farid",
    "Felix",
    "Gaia",
    "Hana",
    "Hugo",
    "Ines",
    "Ivan",
    "Jade",
    "Jonas",
    "Julia",
    "Karim",
    "Lea",
    "Leo",
    "Lina",
    "Luca",
    "Maya",
    "Malik",
    "Marco",
    "Marion",
    "Mateo",
    "Nadia",
    "Nina",
    "Noah",
    "Omar",
    "Paula",
    "Pierre",
    "Rosa",
    "Sami",
    "Sara",
    "Stefan",
    "Tahar",
    "Teresa",
    "Theo",
    "Ugo",
    "Vera",
    "Yann",
    "Yara",
    "Zoe",
]
LAST = [
    "Achard",
    "Bauer",
    "Bellamy",
    "Berger",
    "Blanc",
    "Brunner",
    "Caron",
    "Castro",
    "Costa",
    "Dahl",
    "Delacroix",
    "Duval",
    "Engel",
    "Fabre",
    "Falk",
    "Ferrari",
    "Fischer",
    "Garnier",
    "Giraud",
    "Haas",
    "Hoffmann",
    "Jansen",
    "Keller",
    "Klein",
    "Lambert",
    "Laurent",
    "Lenoir",
    "Lindqvist",
    "Marchand",
    "Meyer",
    "Moreau",
    "Navarro",
    "Novak",
    "Olsen",
    "Perrin",
    "Petit",
    "Richter",
    "Rossi",
    "Roux",
    "Santos",
    "Schmidt",
    "Silva",
    "Simon",
    "Stein",
    "Varga",
    "Vidal",
    "Weber",
    "Wolff",
]
WORDS = [
    "night",
    "summer",
    "river",
    "winter",
    "love",
    "stranger",
    "city",
    "house",
    "road",
    "silence",
    "garden",
    "fire",
    "glass",
    "mirror",
    "heart",
    "storm",
    "island",
    "shadow",
    "bone",
    "rust",
    "prophet",
    "beat",
    "sea",
    "light",
    "dark",
    "last",
    "first",
    "little",
    "long",
    "lost",
    "secret",
    "golden",
    "broken",
    "quiet",
    "wild",
    "blue",
    "red",
    "black",
    "white",
    "paper",
    "salt",
]


def build():
    rng = random.Random(2024)
    start = time.perf_counter()
    print("Building the synthetic catalogue…", flush=True)
    # Start from an empty database file: a migration loads the country list.
    connection.close()
    name = Path(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite":
        sys.exit("The bench builds its catalogue in SQLite only (DATABASE_URL=sqlite:///…).")
    name.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    countries = list(Country.objects.values_list("pk", flat=True))

    with transaction.atomic():
        top = Genre.objects.bulk_create(
            [Genre(name=f"Genre {i}", slug=f"genre-{i}") for i in range(20)]
        )
        subs = Genre.objects.bulk_create(
            [
                Genre(name=f"Sub-genre {i}", slug=f"sub-genre-{i}", parent=top[i % 20])
                for i in range(40)
            ]
        )

        people = [
            Person(
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                slug=f"person-{i}",
                birth_year=rng.randint(1920, 2000),
            )
            for i in range(N_PEOPLE)
        ]
        Person.objects.bulk_create(people, batch_size=BATCH)
        person_ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
        directors, others = person_ids[:N_DIRECTORS], person_ids[N_DIRECTORS:]

        films = [
            Film(
                title=" ".join(rng.sample(WORDS, rng.randint(1, 3))).title(),
                original_title="",
                slug=f"film-{i}",
                year=rng.randint(1950, 2024),
                runtime=rng.randint(80, 180),
                certification=rng.choice(["G", "PG", "PG-13", "R", "NR"]),
                synopsis="A synthetic film made for the speed bench. " * 4,
            )
            for i in range(N_FILMS)
        ]
        Film.objects.bulk_create(films, batch_size=BATCH)
        film_ids = list(Film.objects.order_by("pk").values_list("pk", flat=True))

        FilmCountry, FilmGenre = Film.countries.through, Film.genres.through
        FilmCountry.objects.bulk_create(
            [
                FilmCountry(film_id=f, country_id=c)
                for f in film_ids
                for c in rng.sample(countries, rng.randint(1, 2))
            ],
            batch_size=BATCH,
        )
        film_genres = []
        for f in film_ids:
            sub = rng.choice(subs)
            film_genres += [
                FilmGenre(film_id=f, genre_id=sub.parent_id),
                FilmGenre(film_id=f, genre_id=sub.pk),
            ]
        FilmGenre.objects.bulk_create(film_genres, batch_size=BATCH)

        credits = []
        for f in film_ids:
            crew = rng.sample(others, 19)
            credits.append(Credit(film_id=f, person_id=rng.choice(directors), role="director"))
            credits += [
                Credit(film_id=f, person_id=crew[0], role="writer", order=0),
                Credit(film_id=f, person_id=crew[1], role="writer", order=1),
                Credit(film_id=f, person_id=crew[2], role="cinematographer"),
                Credit(film_id=f, person_id=crew[3], role="composer"),
            ]
            credits += [
                Credit(film_id=f, person_id=p, role="cast", character=f"Character {n}", order=n)
                for n, p in enumerate(crew[4:])
            ]
            if len(credits) >= 50_000:
                Credit.objects.bulk_create(credits, batch_size=BATCH)
                credits = []
        Credit.objects.bulk_create(credits, batch_size=BATCH)

        Release.objects.bulk_create(
            [
                Release(
                    film_id=f,
                    country_id=rng.choice(countries),
                    date=datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randint(0, 9000)),
                    kind=rng.choice(["wide", "limited", "festival", "streaming"]),
                )
                for f in film_ids
            ],
            batch_size=BATCH,
        )

        User = get_user_model()
        User.objects.bulk_create(
            [User(username=f"bench{i}", email=f"bench{i}@example.com") for i in range(N_AUTHORS)]
        )
        users = User.objects.filter(username__startswith="bench").order_by("pk")
        AuthorProfile.objects.bulk_create(
            [
                AuthorProfile(
                    user=u, display_name=f"Bench Author {i}", slug=f"bench-author-{i}", bio="x"
                )
                for i, u in enumerate(users)
            ]
        )
        author_ids = list(AuthorProfile.objects.values_list("pk", flat=True))

        now = timezone.now()
        body = "".join(f"<p>Paragraph {n} of a synthetic review. " * 6 + "</p>" for n in range(6))
        reviews = [
            Review(
                film_id=f,
                author_id=rng.choice(author_ids),
                headline=f"Review {i}: {' '.join(rng.sample(WORDS, 4))}",
                slug=f"review-{i}",
                standfirst="A synthetic standfirst for the bench, long enough to be a blurb.",
                body=body,
                rating=Decimal(rng.randint(0, 10)) / 2,
                status="published",
                published_at=now - datetime.timedelta(hours=i * 3 + 1),
                featured=i % 500 == 0,
            )
            for i, f in enumerate(rng.sample(film_ids, N_REVIEWS))
        ]
        Review.objects.bulk_create(reviews, batch_size=BATCH)
        review_ids = list(Review.objects.values_list("pk", flat=True))
        CriticQuote.objects.bulk_create(
            [
                CriticQuote(review_id=r, quote="Bench quote.", critic=f"Critic {n}", order=n)
                for r in review_ids
                for n in range(2)
            ],
            batch_size=BATCH,
        )
        tags = Tag.objects.bulk_create([Tag(name=f"tag {i}", slug=f"tag-{i}") for i in range(50)])
        review_type = ContentType.objects.get_for_model(Review)
        TaggedItem.objects.bulk_create(
            [
                TaggedItem(tag=t, content_type=review_type, object_id=r)
                for r in review_ids
                for t in rng.sample(tags, 2)
            ],
            batch_size=BATCH,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Built in {time.perf_counter() - start:.0f} s.", flush=True)


def pages():
    """The pages to time, chosen to be the heaviest of their kind."""
    published = Review.objects.published()
    busiest = (
        Credit.objects.filter(role="director", film__reviews__in=published)
        .values("person_id")
        .annotate(n=django.db.models.Count("film", distinct=True))
        .order_by("-n")
        .first()
    )
    director = Person.objects.get(pk=busiest["person_id"])
    review = published.filter(film__credits__person=director, film__credits__role="director")[0]
    return {
        "review": review.get_absolute_url(),
        "film": review.film.get_absolute_url(),
        "person": director.get_absolute_url(),
        "home": "/",
        "search": "/search/?q=night",
        "feed": "/feeds/rss/",
        "author": review.author.get_absolute_url(),
        "genre": Genre.objects.filter(parent=None).first().get_absolute_url(),
    }


def measure(client, url, n):
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times, queries = [], []
    for _ in range(n):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
        queries.append(len(captured))
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[max(0, int(round(0.95 * len(times))) - 1)],
        "queries": max(queries),
    }


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} CPUs; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; "
        f"Django {django.get_version()}"
    )


def main():
    call_command("migrate", verbosity=0)
    if os.environ.get("BENCH_REBUILD") or Film.objects.count() < N_FILMS:
        build()
    counts = {
        "films": Film.objects.count(),
        "people": Person.objects.count(),
        "credits": Credit.objects.count(),
        "reviews": Review.objects.count(),
    }
    n = int(os.environ.get("BENCH_REQUESTS", "50"))
    static = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(
        STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, **static},
        ALLOWED_HOSTS=["testserver"],
    ):
        client = Client()
        results = {name: (url, measure(client, url, n)) for name, url in pages().items()}

    lines = [
        "# Public pages: server time on the synthetic catalogue",
        "",
        "How to run: `make bench` (first run builds `bench/bench.sqlite3`, a few minutes; "
        "`BENCH_REBUILD=1 make bench` rebuilds it, `BENCH_REQUESTS=100` times more requests). "
        "Pages are requested in-process with Django's test Client, DEBUG off; times are "
        "server time (URL resolution, views, queries, templates), without network.",
        "",
        f"- Date: {timezone.now():%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        f"- Database: SQLite (`{os.environ['DATABASE_URL'].split('/')[-1]}`)",
        "- Catalogue: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()),
        f"- Requests per page: {n} after 3 warm-up requests",
        "",
        "| page | URL | median (ms) | p95 (ms) | queries |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for name, (url, r) in results.items():
        lines.append(f"| {name} | `{url}` | {r['median']:.1f} | {r['p95']:.1f} | {r['queries']} |")
    worst = max(r["median"] for _, r in results.values())
    lines += [
        "",
        f"Target: every median under 50 ms — {'met' if worst < 50 else 'NOT met'} "
        f"(slowest median {worst:.1f} ms).",
        "",
    ]
    (BENCH_DIR / "results.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
