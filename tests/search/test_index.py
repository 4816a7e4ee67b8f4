"""How the index keeps up with the catalogue, on whichever database the run uses."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from people.models import Person
from reviews.models import Film, Review
from search.engines import engine, index, search_results
from tests.factories import make_credit, make_film, make_genre, make_person, make_review
from tests.reviews.test_import_files import CSV_ROWS

pytestmark = pytest.mark.django_db


def found(q, kind):
    return [str(item) for item in search_results(q)[kind]]


def forget_everything():
    """Empty the index behind the engine's back, as a bulk load without it would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("UPDATE reviews_film SET search_vector = NULL")
            cursor.execute("UPDATE reviews_review SET search_vector = NULL")
        else:
            for table in ("search_film", "search_review", "search_person"):
                cursor.execute(f"DELETE FROM {table}")


def test_a_new_review_word_is_found_at_once(db):
    review = make_review(headline="Strings", body="<p>A zither plays.</p>")
    assert found("zither", "reviews") == ["Strings"]
    review.body = "<p>A lute plays.</p>"
    review.save()
    assert found("zither", "reviews") == []
    assert found("lute", "reviews") == ["Strings"]
    review.delete()
    assert found("lute", "reviews") == []


def test_a_film_is_found_by_its_people_and_characters_as_its_credits_change(db):
    film = make_film(title="Untitled Project", year=2024)
    review = make_review(film=film, headline="A first look")
    assert found("vesna", "films") == found("vesna", "reviews") == []

    person = make_person(name="Vesna Ortiz")
    credit = make_credit(film=film, person=person, role="cast", character="Ana Quillfeather")
    assert found("vesna", "films") == ["Untitled Project (2024)"]
    assert found("vesna", "reviews") == ["A first look"]
    assert found("quillfeather", "films") == ["Untitled Project (2024)"]

    credit.character = "Ana Marchbank"
    credit.save()
    assert found("quillfeather", "films") == []
    assert found("marchbank", "films") == ["Untitled Project (2024)"]

    person.name = "Vesna Oduya"
    person.save()
    assert found("ortiz", "films") == found("ortiz", "reviews") == found("ortiz", "people") == []
    assert found("oduya", "films") == ["Untitled Project (2024)"]
    assert found("oduya", "reviews") == [str(review)]

    credit.delete()
    assert found("oduya", "films") == found("oduya", "reviews") == []
    assert found("marchbank", "films") == []
    assert found("oduya", "people") == ["Vesna Oduya"]
    person.delete()
    assert found("oduya", "people") == []


def test_a_new_film_title_reaches_the_film_and_its_reviews(db):
    film = make_film(title="Working Title", year=2024)
    review = make_review(film=film, headline="Our verdict")
    film.title = "Marigold"
    film.save()
    assert found("working", "films") == found("working", "reviews") == []
    assert found("marigold", "films") == ["Marigold (2024)"]
    assert found("marigold", "reviews") == ["Our verdict"]
    review.delete()
    film.delete()
    assert found("marigold", "films") == found("marigold", "reviews") == []


def test_code_that_writes_in_bulk_brings_the_index_up_to_date_with_index(db):
    film = make_film(title="Marigold", year=2024)
    person = make_person(name="Ann Oldname")
    Film.objects.filter(pk=film.pk).update(title="Calendula")  # no signal
    Person.objects.filter(pk=person.pk).update(name="Ann Newname")
    index(films=[film.pk], people=[person.pk])
    assert found("calendula", "films") == ["Calendula (2024)"]
    assert found("newname", "people") == ["Ann Newname"]
    assert found("marigold", "films") == found("oldname", "people") == []


def test_update_search_index_rebuilds_the_whole_index(db):
    make_review(film=make_film(title="Marigold", year=2024), headline="Our verdict")
    forget_everything()
    assert found("marigold", "films") == found("marigold", "reviews") == []
    out = io.StringIO()
    call_command("update_search_index", "--batch-size", "1", stdout=out)
    assert "Search index rebuilt: 1 films, 1 reviews" in out.getvalue()
    assert found("marigold", "films") == ["Marigold (2024)"]
    assert found("marigold", "reviews") == ["Our verdict"]


def test_a_film_import_leaves_its_films_and_people_found(tmp_path):
    """Its bulk writes send no save signals; import_finished brings search up to date."""
    make_genre(name="Crime")
    path = tmp_path / "films.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(CSV_ROWS)
    call_command("import_films", str(path), "--no-progress", stdout=io.StringIO())
    # A character's name is only in the index, not in any title.
    assert found("gunderson", "films") == ["Fargo (1996)"]
    assert found("mcdormand", "films") == ["Fargo (1996)"]
    assert found("mcdormand", "people") == ["Frances McDormand"]


def test_the_import_signal_reaches_the_engine(db, monkeypatch):
    from reviews.signals import import_finished

    calls = []
    monkeypatch.setattr(type(engine()), "index_everything", lambda self: calls.append(self))
    import_finished.send(sender=None, report=None)
    assert calls == [engine()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")
def test_search_reads_the_indexes(db):
    author = make_review().author
    films = Film.objects.bulk_create(
        Film(title=f"Volume{i}", slug=f"volume-{i}", year=2000) for i in range(1000)
    )
    Review.objects.bulk_create(
        Review(
            film=film,
            author=author,
            headline=f"On volume{i}",
            slug=f"on-volume-{i}",
            status="published",
            published_at=timezone.now() - timezone.timedelta(days=1),
        )
        for i, film in enumerate(films)
    )
    Person.objects.bulk_create(Person(name=f"Extra{i}", slug=f"extra-{i}") for i in range(1000))
    with connection.cursor() as cursor:
        # As autovacuum would leave them: fresh entries merged into the indexes,
        # statistics up to date.
        for name in ("film_search_idx", "review_search_idx", "person_name_search_idx"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])
        cursor.execute("ANALYZE reviews_film, reviews_review, people_person")
        # A thousand rows fit in a few pages, which a planner may as well read
        # whole; without that choice, it shows the queries match the indexes.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    results = search_results("volume512")
    assert "Bitmap Index Scan on film_search_idx" in results["films"].explain()
    assert "Bitmap Index Scan on review_search_idx" in results["reviews"].explain()
    people = search_results("extra512")["people"]
    assert "Bitmap Index Scan on person_name_search_idx" in people.explain()
