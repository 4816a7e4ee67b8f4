"""Importing from the film list and the film form, as an editor does it."""

import pytest

from people.models import Person
from reviews.models import Film, Review
from tests.factories import make_genre, make_person
from tests.reviews.replay import replay_server, sources  # noqa: F401

pytestmark = pytest.mark.django_db

SEARCH = "/admin/reviews/film/import/"


@pytest.fixture
def genres(db):
    return [make_genre(name=name) for name in ("Crime", "Drama", "Thriller")]


def test_without_a_source_the_button_explains_how_to_turn_it_on(admin_client, settings):
    settings.TMDB_TOKEN = ""
    settings.WIKIDATA_IMPORT = False
    page = admin_client.get("/admin/reviews/film/").content.decode()
    assert f'href="{SEARCH}"' in page
    page = admin_client.get(SEARCH).content.decode()
    assert "Set TMDB_TOKEN" in page and "WIKIDATA_IMPORT=1" in page


def test_the_add_form_offers_the_search(admin_client, sources):  # noqa: F811
    page = admin_client.get("/admin/reviews/film/add/").content.decode()
    assert f'action="{SEARCH}"' in page and '<option value="tmdb"' in page


def test_search_pick_and_land_on_the_filled_form(admin_client, sources, genres):  # noqa: F811
    page = admin_client.get(SEARCH, {"source": "tmdb", "title": "Fargo", "year": 1996})
    text = page.content.decode()
    assert "Joel Coen, Ethan Coen" in text and "/t/p/w780/fargo.png" in text
    assert "This product uses the TMDB API but is not endorsed or certified by TMDB." in text
    response = admin_client.post(f"{SEARCH}tmdb/275/")
    film = Film.objects.get(tmdb_id=275)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/reviews/film/{film.pk}/change/"
    form = admin_client.get(response["Location"]).content.decode()
    assert "was imported from TMDB with" in form and "nothing is published" in form
    assert 'value="Fargo"' in form and "Refresh from TMDB" in form
    assert not Review.objects.exists()


def test_a_namesake_is_asked_about(admin_client, sources, genres):  # noqa: F811
    deakins = make_person(name="Roger Deakins", birth_year=1949)
    page = admin_client.post(f"{SEARCH}tmdb/275/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Roger Deakins, born 1949 is…" in text
    assert not Film.objects.exists()
    # Not answering is not an answer.
    page = admin_client.post(f"{SEARCH}tmdb/275/", {"confirm": "yes"})
    assert "This field is required." in page.content.decode()
    response = admin_client.post(
        f"{SEARCH}tmdb/275/", {"confirm": "yes", "person-151": str(deakins.pk)}
    )
    assert response.status_code == 302
    assert Person.objects.filter(name="Roger Deakins").count() == 1
    assert deakins.credits.get().film.title == "Fargo"


def test_a_reimport_lists_disagreements_and_keeps_the_sites_facts(admin_client, sources, genres):  # noqa: F811
    admin_client.post(f"{SEARCH}tmdb/275/")
    Film.objects.update(runtime=97)
    page = admin_client.get(f"{SEARCH}tmdb/275/").content.decode()
    assert "Runtime (minutes): 97 → 98" in page
    admin_client.post(f"{SEARCH}tmdb/275/", {"confirm": "yes"})
    assert Film.objects.get().runtime == 97
    admin_client.post(f"{SEARCH}tmdb/275/", {"confirm": "yes", "accept": ["runtime"]})
    assert Film.objects.get().runtime == 98


def test_a_failing_source_is_explained_and_nothing_is_imported(admin_client, sources):  # noqa: F811
    response = admin_client.get(SEARCH, {"source": "tmdb", "title": "Busy"}, follow=True)
    assert "TMDB is rate-limiting us (HTTP 429)" in response.content.decode()
    response = admin_client.post(f"{SEARCH}tmdb/1/", follow=True)
    assert "TMDB does not know this record" in response.content.decode()
    assert not Film.objects.exists()


def test_an_author_may_not_import(client, sources):  # noqa: F811
    from tests.factories import make_user

    user = make_user(is_staff=True)
    client.force_login(user)
    assert client.get(SEARCH).status_code == 403
    assert client.post(f"{SEARCH}tmdb/275/").status_code == 403
