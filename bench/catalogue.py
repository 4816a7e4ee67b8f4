"""
The synthetic catalogue the benches measure, at any size.

``build(films)`` fills an empty, migrated database with bulk_create: for each
film 5 people, 20 credits (1 director, 2 writers, 1 cinematographer,
1 composer, 15 cast), one release, one or two countries and two genres; one
film in four has a published review with two critic quotes and two tags. Every
director has exactly ten films, so a director's page, and a review's "More by",
hold the same amount whatever the catalogue's size: only the size of the tables
around them grows. ``pages()`` picks the addresses the benches request.

Django must be set up before this module is imported.
"""

import contextlib
import datetime
import io
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command, get_commands
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from people.models import AuthorProfile, Person
from reviews.models import Country, Credit, CriticQuote, Film, Genre, Release, Review

PEOPLE_PER_FILM = 5
FILMS_PER_DIRECTOR = 10
FILMS_PER_REVIEW = 4
AUTHORS = 25
BATCH = 5_000
# A word in about one title in twenty, and one in three titles only, at every size.
SEARCH = "night"
RARE_SEARCH = "pickpocket"
RARE_TITLES = ["Pickpocket", "The Last Pickpocket", "Pickpocket in Winter"]
# The review page shown is of a film whose director has this many reviewed
# films (or the nearest number, in a small catalogue).
REVIEWED_FILMS_OF_DIRECTOR = 4

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


def sizes(films):
    """How many rows of each kind a catalogue of ``films`` films holds."""
    return {
        "films": films,
        "people": films * PEOPLE_PER_FILM,
        "credits": films * 20,
        "reviews": films // FILMS_PER_REVIEW,
    }


def counts():
    """How many rows of each kind the database holds."""
    return {
        "films": Film.objects.count(),
        "people": Person.objects.count(),
        "credits": Credit.objects.count(),
        "reviews": Review.objects.count(),
    }


def is_built(films):
    """Whether the database holds this module's catalogue of ``films`` films."""
    rare = Film.objects.filter(title__in=RARE_TITLES).count()
    return counts() == sizes(films) and rare == len(RARE_TITLES)


def update_search_index():
    """Fill search columns after bulk loads, where the project has a command for it."""
    if "update_search_index" in get_commands():
        call_command("update_search_index", verbosity=0, stdout=io.StringIO())


@contextlib.contextmanager
def without_indexes(models):
    """
    On PostgreSQL, load ``models``' tables without their secondary indexes and
    constraints, then build them again in one pass each: much quicker than
    keeping millions of index entries up to date row by row. Inside a
    transaction, so a failed load leaves the tables as they were.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        # No triggers either (they would keep search columns up to date row by
        # row): update_search_index() fills them afterwards, in bulk.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f')
            """,
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _ in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        # Unique constraints first: the foreign keys of other tables may need them.
        for table, name, definition in sorted(constraints, key=lambda c: "FOREIGN" in c[2]):
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def vacuum():
    """Statistics for the planner and, on PostgreSQL, a visibility map, as on a settled site."""
    # VACUUM cannot run in a transaction (a test's, for one); ANALYZE can.
    full = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if full else "ANALYZE")


def build(films, *, seed=2024, log=print):
    """Fill an empty, migrated database with a catalogue of ``films`` films."""
    rng = random.Random(seed)
    size = sizes(films)
    n_directors = max(1, films // FILMS_PER_DIRECTOR)
    start = time.perf_counter()
    log(f"Building a catalogue of {films:,} films in {connection.settings_dict['NAME']}…")
    countries = list(Country.objects.values_list("pk", flat=True))

    FilmCountry, FilmGenre = Film.countries.through, Film.genres.through
    bulk = [Person, Film, FilmCountry, FilmGenre, Credit, Release, Review, CriticQuote, TaggedItem]
    with transaction.atomic(), without_indexes(bulk):
        top = Genre.objects.bulk_create(
            [Genre(name=f"Genre {i}", slug=f"genre-{i}") for i in range(20)]
        )
        subs = Genre.objects.bulk_create(
            [
                Genre(name=f"Sub-genre {i}", slug=f"sub-genre-{i}", parent=top[i % 20])
                for i in range(40)
            ]
        )

        Person.objects.bulk_create(
            (
                Person(
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    slug=f"person-{i}",
                    birth_year=rng.randint(1920, 2000),
                )
                for i in range(size["people"])
            ),
            batch_size=BATCH,
        )
        person_ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
        directors, others = person_ids[:n_directors], person_ids[n_directors:]

        Film.objects.bulk_create(
            (
                Film(
                    title=" ".join(rng.sample(WORDS, rng.randint(1, 3))).title(),
                    original_title="",
                    slug=f"film-{i}",
                    year=rng.randint(1950, 2024),
                    runtime=rng.randint(80, 180),
                    certification=rng.choice(["G", "PG", "PG-13", "R", "NR"]),
                    synopsis="A synthetic film made for the speed bench. " * 4,
                )
                for i in range(films)
            ),
            batch_size=BATCH,
        )
        # Spread over the catalogue, so they are neither the first nor the last rows.
        for n, title in enumerate(RARE_TITLES):
            Film.objects.filter(slug=f"film-{(2 * n + 1) * films // 7}").update(title=title)
        film_ids = list(Film.objects.order_by("pk").values_list("pk", flat=True))
        log(f"  people and films: {time.perf_counter() - start:.0f} s")

        FilmCountry.objects.bulk_create(
            (
                FilmCountry(film_id=f, country_id=c)
                for f in film_ids
                for c in rng.sample(countries, rng.randint(1, 2))
            ),
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
        for i, f in enumerate(film_ids):
            crew = rng.sample(others, 19)
            director = directors[i % n_directors]
            credits.append(Credit(film_id=f, person_id=director, role="director"))
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
        log(f"  credits: {time.perf_counter() - start:.0f} s")

        Release.objects.bulk_create(
            (
                Release(
                    film_id=f,
                    country_id=rng.choice(countries),
                    date=datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randint(0, 9000)),
                    kind=rng.choice(["wide", "limited", "festival", "streaming"]),
                )
                for f in film_ids
            ),
            batch_size=BATCH,
        )

        User = get_user_model()
        User.objects.bulk_create(
            [User(username=f"bench{i}", email=f"bench{i}@example.com") for i in range(AUTHORS)]
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
        Review.objects.bulk_create(
            (
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
                for i, f in enumerate(rng.sample(film_ids, size["reviews"]))
            ),
            batch_size=BATCH,
        )
        review_ids = list(Review.objects.values_list("pk", flat=True))
        CriticQuote.objects.bulk_create(
            (
                CriticQuote(review_id=r, quote="Bench quote.", critic=f"Critic {n}", order=n)
                for r in review_ids
                for n in range(2)
            ),
            batch_size=BATCH,
        )
        tags = Tag.objects.bulk_create([Tag(name=f"tag {i}", slug=f"tag-{i}") for i in range(50)])
        review_type = ContentType.objects.get_for_model(Review)
        TaggedItem.objects.bulk_create(
            (
                TaggedItem(tag=t, content_type=review_type, object_id=r)
                for r in review_ids
                for t in rng.sample(tags, 2)
            ),
            batch_size=BATCH,
        )
        log(f"  rows: {time.perf_counter() - start:.0f} s")
    log(f"  indexes: {time.perf_counter() - start:.0f} s")
    update_search_index()
    vacuum()
    log(f"Built in {time.perf_counter() - start:.0f} s.")


def pages():
    """The pages the benches request, the same kind of page at every catalogue size."""
    published = Review.objects.published()
    reviewed = (
        Credit.objects.filter(role="director", film__reviews__in=published)
        .values("person_id")
        .annotate(n=Count("film", distinct=True))
    )
    # The director with the most reviewed films up to the wanted number, or the fewest above it.
    chosen = min(
        reviewed.order_by("person_id"),
        key=lambda row: (
            row["n"] > REVIEWED_FILMS_OF_DIRECTOR,
            abs(row["n"] - REVIEWED_FILMS_OF_DIRECTOR),
        ),
    )
    director = Person.objects.get(pk=chosen["person_id"])
    review = published.filter(
        film__credits__person=director, film__credits__role="director"
    ).first()
    return {
        "review": review.get_absolute_url(),
        "film": review.film.get_absolute_url(),
        "person": director.get_absolute_url(),
        "home": "/",
        "search": f"/search/?q={SEARCH}",
        "search-rare": f"/search/?q={RARE_SEARCH}",
        "feed": "/feeds/rss/",
        "author": review.author.get_absolute_url(),
        # An archive with nothing published is a 404: the first genre that has a review.
        "genre": Genre.objects.filter(parent=None, films__reviews__in=Review.objects.published())
        .order_by("pk")
        .first()
        .get_absolute_url(),
    }
