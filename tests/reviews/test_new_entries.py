"""New people and genres added from the film form itself, without a pop-up."""

import pytest

from people.models import Person
from reviews.models import Film, Genre
from tests.factories import make_person
from tests.reviews.test_admin import _inline_management, admin_url, film_form

pytestmark = pytest.mark.django_db


def credit_rows(*people):
    data = _inline_management("credits", total=len(people))
    for index, (person, role) in enumerate(people):
        data.update(
            {
                f"credits-{index}-person": person,
                f"credits-{index}-role": role,
                f"credits-{index}-character": "",
                f"credits-{index}-order": str(index),
            }
        )
    return data


def test_a_film_with_new_people_and_genres_in_one_save(admin_client):
    data = film_form(
        title="Paper Lanterns",
        genres=["new:Slow cinema", "new:Drama › Family drama"],
        **credit_rows(
            ("new:Mira  Okafor", "director"),
            ("new:Mira Okafor", "writer"),
            ("new:Tomas Lindqvist", "cast"),
        ),
    )
    response = admin_client.post(admin_url("reviews", "film", "add"), data)
    assert response.status_code == 302, [
        (formset.formset.errors, formset.formset.non_form_errors())
        for formset in response.context["inline_admin_formsets"]
    ]
    film = Film.objects.get(title="Paper Lanterns")
    assert sorted(film.credits.values_list("person__name", "role")) == [
        ("Mira Okafor", "director"),
        ("Mira Okafor", "writer"),
        ("Tomas Lindqvist", "cast"),
    ]
    # One person however many rows name them, with a slug of their own.
    assert Person.objects.filter(name="Mira Okafor").count() == 1
    assert Person.objects.get(name="Tomas Lindqvist").slug == "tomas-lindqvist"
    family = Genre.objects.get(name="Family drama")
    assert family.parent.name == "Drama"
    assert set(film.genres.values_list("name", flat=True)) == {"Slow cinema", "Family drama"}


def test_a_name_the_catalogue_has_once_is_that_person(admin_client):
    jeunet = make_person(name="Jean-Pierre Jeunet")
    data = film_form(title="Delicatessen", **credit_rows(("new:jean-pierre jeunet", "director")))
    response = admin_client.post(admin_url("reviews", "film", "add"), data)
    assert response.status_code == 302
    assert Film.objects.get(title="Delicatessen").credits.get().person == jeunet
    assert Person.objects.filter(name__iexact="Jean-Pierre Jeunet").count() == 1


def test_namesakes_are_for_the_editor_to_pick_and_the_typed_name_comes_back(admin_client):
    make_person(name="John Smith", birth_year=1950)
    make_person(name="John Smith", birth_year=1980)
    data = film_form(title="Namesakes", **credit_rows(("new:John Smith", "cast")))
    response = admin_client.post(admin_url("reviews", "film", "add"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "The catalogue has 2 people called John Smith" in content
    assert 'value="new:John Smith" selected>John Smith (new)</option>' in content
    assert not Film.objects.filter(title="Namesakes").exists()
    # Nothing the failed save would have added stays behind.
    assert not Person.objects.filter(name="Ada Newcomer").exists()
    assert not Genre.objects.filter(name="Ensemble piece").exists()


def test_an_existing_genre_typed_again_is_not_duplicated(admin_client):
    Genre.objects.create(name="Thriller")
    data = film_form(title="Night Train", genres=["new:thriller"])
    response = admin_client.post(admin_url("reviews", "film", "add"), data)
    assert response.status_code == 302
    assert Genre.objects.filter(name__iexact="thriller").count() == 1
    assert list(Film.objects.get(title="Night Train").genres.values_list("name", flat=True)) == [
        "Thriller"
    ]


def test_the_film_form_offers_adding_from_the_boxes(admin_client):
    content = admin_client.get(admin_url("reviews", "film", "add")).content.decode()
    assert content.count('data-allow-new="true"') >= 2  # genres, and each credit row
    assert "js/desk-new-entries.js" in content


def test_only_those_who_may_add_people_and_genres_are_offered_it(client):
    from django.contrib.auth.models import Permission

    from tests.factories import make_user

    user = make_user(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_film", "change_film", "view_film"])
    )
    client.force_login(user)
    content = client.get(admin_url("reviews", "film", "add")).content.decode()
    assert 'data-allow-new="true"' not in content
    data = film_form(title="Paper Lanterns", genres=["new:Slow cinema"])
    response = client.post(admin_url("reviews", "film", "add"), data)
    assert response.status_code == 200  # refused, with the form and its message
    assert not Genre.objects.filter(name="Slow cinema").exists()
    assert not Film.objects.filter(title="Paper Lanterns").exists()
