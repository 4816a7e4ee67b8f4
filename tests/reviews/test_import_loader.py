"""Importing a film record: people matched, genres mapped, re-imports that never overwrite."""

import pytest

from people.models import Person
from reviews.importing import loader
from reviews.importing import sources as importing_sources
from reviews.models import Credit, Film, Genre, Review
from tests.factories import make_genre, make_person
from tests.reviews.replay import replay_server, sources  # noqa: F401

pytestmark = pytest.mark.django_db


def import_film(key, **decisions):
    source = importing_sources.get("tmdb")
    record = source.film(key)
    plan = loader.plan(record, source)
    poster = source.poster(record.poster_url) if record.poster_url else None
    return plan, loader.apply(plan, poster=poster, **decisions)


@pytest.fixture
def genres(db):
    return {name: make_genre(name=name) for name in ("Crime", "Drama", "Thriller")}


def test_a_film_arrives_with_its_facts_people_and_poster_and_nothing_published(sources, genres):  # noqa: F811
    _, result = import_film("275")
    film = Film.objects.get(pk=result.film.pk)
    assert result.created and (film.title, film.year, film.runtime) == ("Fargo", 1996, 98)
    assert (film.tmdb_id, film.imdb_id, film.certification) == (275, "tt0116282", "R")
    assert set(film.genres.values_list("name", flat=True)) == {"Crime", "Drama", "Thriller"}
    assert set(film.countries.values_list("code", flat=True)) == {"US", "GB"}
    assert film.releases.count() == 5
    assert film.poster.name.startswith("posters/fargo")
    joel = Person.objects.get(name="Joel Coen")
    assert (joel.tmdb_id, joel.imdb_id, joel.birth_year) == (1223, "nm0001054", 1954)
    assert set(joel.credits.values_list("role", flat=True)) == {"director", "writer"}
    marge = Credit.objects.get(film=film, character="Marge Gunderson")
    assert (marge.person.name, marge.order) == ("Frances McDormand", 0)
    assert not Review.objects.exists()


def test_the_second_coen_film_reuses_the_coens_and_deakins(sources, genres):  # noqa: F811
    import_film("275")
    plan, result = import_film("6977")
    assert not plan.needs_decisions
    for name in ("Joel Coen", "Ethan Coen", "Roger Deakins", "Carter Burwell"):
        person = Person.objects.get(name=name)
        assert set(person.credits.values_list("film__title", flat=True)) == {
            "Fargo",
            "No Country for Old Men",
        }
    # One Scott Rudin: the executive producer credit is not one the site keeps.
    assert Person.objects.filter(name="Scott Rudin").count() == 1


def test_a_person_of_the_same_name_is_offered_never_merged(sources, genres):  # noqa: F811
    entered = make_person(name="Roger Deakins", birth_year=1949)
    make_person(name="Joel Coen", birth_year=1960)  # another birth year: someone else
    plan = loader.plan(importing_sources.get("tmdb").film("275"), importing_sources.get("tmdb"))
    deakins = next(m for m in plan.people if m.record.name == "Roger Deakins")
    joel = next(m for m in plan.people if m.record.name == "Joel Coen")
    assert deakins.candidates == [entered] and deakins.person is None
    assert joel.candidates == []
    assert plan.needs_decisions
    with pytest.raises(ValueError, match="Roger Deakins"):
        loader.apply(plan)
    loader.apply(plan, choices={deakins.key: str(entered.pk)})
    entered.refresh_from_db()
    assert entered.tmdb_id == 151 and entered.imdb_id == "nm0005683"  # gaps filled
    assert Person.objects.filter(name="Roger Deakins").count() == 1


def test_the_editor_may_say_a_namesake_is_someone_new(sources, genres):  # noqa: F811
    make_person(name="Roger Deakins")
    plan = loader.plan(importing_sources.get("tmdb").film("275"), importing_sources.get("tmdb"))
    deakins = next(m for m in plan.people if m.record.name == "Roger Deakins")
    loader.apply(plan, choices={deakins.key: loader.NEW})
    assert Person.objects.filter(name="Roger Deakins").count() == 2


def test_unknown_genres_are_proposed_not_created(sources):  # noqa: F811
    make_genre(name="crime")  # matched whatever the case
    plan = loader.plan(importing_sources.get("tmdb").film("275"))
    assert plan.unknown_genres == ["Drama", "Thriller"]
    result = loader.apply(plan, create_genres=["Thriller"])
    assert set(result.film.genres.values_list("name", flat=True)) == {"crime", "Thriller"}
    assert not Genre.objects.filter(name="Drama").exists()


def test_a_reimport_fills_gaps_adds_credits_and_lists_disagreements(sources, genres):  # noqa: F811
    _, first = import_film("275")
    film = first.film
    Film.objects.filter(pk=film.pk).update(runtime=97, synopsis="", title="Fargo (1996)")
    film.refresh_from_db()
    film.credits.filter(character="Marge Gunderson").delete()
    editor_credit = Credit.objects.create(
        film=film, person=make_person(name="Someone Else"), role="editor"
    )
    plan = loader.plan(importing_sources.get("tmdb").film("275"))
    assert plan.film == film
    assert {(c.field, c.site, c.source) for c in plan.conflicts} == {
        ("runtime", 97, 98),
        ("title", "Fargo (1996)", "Fargo"),
    }
    result = loader.apply(plan, accept=["runtime"])
    film.refresh_from_db()
    assert (film.runtime, film.title) == (98, "Fargo (1996)")  # accepted, refused
    assert film.synopsis.startswith("A car salesman")  # the gap filled
    assert result.credits_added == 1 and film.credits.filter(character="Marge Gunderson").exists()
    assert Credit.objects.filter(pk=editor_credit.pk).exists()  # never removed
    assert Film.objects.count() == 1


def test_a_failure_half_way_leaves_nothing_behind(sources, genres, monkeypatch):  # noqa: F811
    plan = loader.plan(importing_sources.get("tmdb").film("275"))

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Credit.objects, "get_or_create", broken)
    with pytest.raises(RuntimeError):
        loader.apply(plan)
    assert not Film.objects.exists() and not Person.objects.exists()


def test_a_poster_that_is_not_an_image_is_refused_with_a_warning(sources, genres):  # noqa: F811
    source = importing_sources.get("tmdb")
    plan = loader.plan(source.film("275"))
    result = loader.apply(plan, poster=source.poster(f"{source.image_url}/broken.png"))
    assert not result.film.poster
    assert result.warnings == ["The poster was not kept: the file is not an image."]
