"""JSONList: related rows as one JSON column, its SQL compiled once."""

import pytest
from django.db import connection
from django.db.models import OuterRef, Value
from django.db.models.functions import JSONObject

from filmblog.expressions import JSONList, JSONTextObject
from reviews.models import Credit, Film
from tests.factories import make_credit, make_film, make_person

pytestmark = pytest.mark.django_db


def films_with_cast():
    return Film.objects.annotate(
        cast=JSONList(
            Credit.objects.filter(film=OuterRef("pk"))
            .order_by()
            .values(item=JSONObject(name="person__name", order="order"))
        )
    ).order_by("title")


def test_each_row_gets_its_own_items_and_an_empty_list_for_none():
    heat, alien, empty = make_film(title="Heat"), make_film(title="Alien"), make_film(title="Zed")
    make_credit(film=heat, person=make_person(name="Al Pacino"), role="cast", order=0)
    make_credit(film=heat, person=make_person(name="Robert De Niro"), role="cast", order=1)
    make_credit(film=alien, person=make_person(name="Sigourney Weaver"), role="cast")
    films = {film.title: film.cast for film in films_with_cast()}
    assert sorted(films["Heat"], key=lambda item: item["order"]) == [
        {"name": "Al Pacino", "order": 0},
        {"name": "Robert De Niro", "order": 1},
    ]
    assert films["Alien"] == [{"name": "Sigourney Weaver", "order": 0}]
    assert films[empty.title] == []


def test_compiled_once_then_reused_by_every_copy_of_the_query():
    films = films_with_cast()
    make_credit(film=make_film(title="Heat"), person=make_person(name="Val Kilmer"))
    expression = films.query.annotations["cast"]
    assert expression.compiled == {}
    list(films.all())
    assert len(expression.compiled) == 1
    # A later change to the data is still seen: only the SQL is kept.
    make_credit(film=Film.objects.get(title="Heat"), person=make_person(name="Jon Voight"))
    assert len(films.get(title="Heat").cast) == 2


def test_a_copy_compiles_afresh():
    expression = films_with_cast().query.annotations["cast"]
    expression.compiled["x"] = ("SELECT 1", ())
    assert expression.copy().compiled == {}


def test_quotes_and_percent_signs_in_the_query_and_the_rows_survive():
    # On PostgreSQL the kept SQL carries its values as quoted literals.
    film = make_film(title="Heat")
    make_credit(film=film, person=make_person(name="O'Hara"), role="cast", character="50% 'Mr' X")
    lines = JSONList.of(
        Credit.objects.filter(film=OuterRef("pk"), character="50% 'Mr' X"),
        note=Value("it's 100%"),
        character="character",
        person=JSONTextObject(name="person__name"),
    )
    for _ in range(2):
        cast = Film.objects.annotate(cast=lines).get(pk=film.pk).cast
        expected = {"note": "it's 100%", "character": "50% 'Mr' X", "person": {"name": "O'Hara"}}
        assert cast == [expected]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL inlines the values")
def test_the_review_page_query_sends_only_its_own_values():
    from django.utils import timezone

    from reviews.views import REVIEW_PAGES

    query = REVIEW_PAGES(slug="heat", at=timezone.now()).query
    assert "heat" in query.compiled_params
    assert len(query.compiled_params) <= 6
