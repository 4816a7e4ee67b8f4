"""PreparedQuery: a queryset compiled once, run with each call's values."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from filmblog.prepared import PreparedQuery
from reviews.models import Film, Review
from tests.factories import make_film, make_review

pytestmark = pytest.mark.django_db

TITLE = Film._meta.get_field("title")
YEAR = Film._meta.get_field("year")
PUBLISHED_AT = Review._meta.get_field("published_at")


def films_of(year, title):
    return Film.objects.filter(year__lte=year, title=title).order_by("year")


FILMS = PreparedQuery(films_of, year=(YEAR, 1901, 1902), title=(TITLE, "sample", "other"))


def test_each_call_runs_with_its_own_values_and_gives_what_the_queryset_gives():
    make_film(title="Heat", year=1995)
    make_film(title="Heaven", year=1995)
    make_film(title="Heat", year=1986)
    for year, title in [(1995, "Heat"), (1986, "Heat"), (1995, "Heaven"), (1990, "Heaven")]:
        assert list(FILMS(year=year, title=title)) == list(films_of(year, title))


def test_it_is_compiled_once_and_runs_one_query():
    make_film(title="Heat", year=1995)
    list(FILMS(year=1995, title="Alien"))
    with CaptureQueriesContext(connection) as run:
        assert [film.year for film in FILMS(year=2000, title="Heat")] == [1995]
    assert len(run) == 1
    assert "Heat" in run.captured_queries[0]["sql"]


def test_the_time_is_a_value_of_each_call_not_of_the_compilation():
    now = timezone.now()
    review = make_review(status="scheduled", published_at=now + timedelta(hours=1))
    pages = PreparedQuery(
        lambda at: Review.objects.published(at=at),
        at=(PUBLISHED_AT, datetime(2001, 1, 1, tzinfo=UTC), datetime(2002, 2, 2, tzinfo=UTC)),
    )
    assert list(pages(at=now)) == []
    assert list(pages(at=now + timedelta(hours=2))) == [review]


def test_a_value_that_changes_the_sql_is_refused():
    shapes = PreparedQuery(
        lambda titles: Film.objects.filter(title__in=titles), titles=(TITLE, ["a"], ["a", "b"])
    )
    with pytest.raises(ValueError, match="changes the query's SQL"):
        shapes(titles=["x"])


def test_a_value_the_lookup_rewrites_is_refused():
    # "startswith" sends "a%", not the value itself.
    prefixes = PreparedQuery(
        lambda title: Film.objects.filter(title__startswith=title), title=(TITLE, "a", "b")
    )
    with pytest.raises(ValueError, match="does not reach"):
        prefixes(title="x")


def test_a_value_the_query_does_not_use_is_refused():
    unused = PreparedQuery(lambda title: Film.objects.all(), title=(TITLE, "a", "b"))
    with pytest.raises(ValueError, match="does not reach"):
        unused(title="x")


def test_every_value_must_be_given():
    with pytest.raises(TypeError, match="expected values"):
        FILMS(year=1995)


@pytest.mark.django_db(transaction=True)
def test_a_query_prepared_in_one_thread_runs_in_another():
    # A threaded server prepares it once and serves it from every thread.
    make_film(title="Heat", year=1995)
    threads = PreparedQuery(films_of, year=(YEAR, 1901, 1902), title=(TITLE, "a", "b"))
    assert [film.year for film in threads(year=2000, title="Heat")] == [1995]
    found = []

    def run():
        try:
            found.extend(film.year for film in threads(year=2000, title="Heat"))
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert found == [1995]
