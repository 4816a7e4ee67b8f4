"""The importer never drops a credit, and makes slugs by the site's one rule."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from people.models import Person
from reviews.importing import files
from reviews.models import Credit, Film, PendingCredit
from tests.factories import make_film, make_person

pytestmark = pytest.mark.django_db

HEADER = ["title", "year", "imdb_id", "directors", "writers", "cast"]
JEUNET_FILMS = [
    ["Delicatessen", "1991", "tt0101700", "Jean-Pierre Jeunet", "Jean-Pierre Jeunet", ""],
    ["Amélie", "2001", "tt0211915", "Jean-Pierre Jeunet", "Jean-Pierre Jeunet", ""],
    ["Micmacs", "2009", "tt1149361", "Jean-Pierre Jeunet", "", ""],
]


def write_csv(path, rows):
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def run_command(path):
    out = io.StringIO()
    call_command("import_films", str(path), "--no-progress", "--restart", stdout=out)
    return out.getvalue()


def test_one_person_of_a_name_is_that_person_and_a_rerun_says_unchanged(tmp_path):
    jeunet = make_person(name="Jean-Pierre Jeunet")
    path = write_csv(tmp_path / "jeunet.csv", JEUNET_FILMS)
    out = run_command(path)
    assert jeunet.credits.count() == 5  # three films directed, two written
    assert Person.objects.filter(name="Jean-Pierre Jeunet").count() == 1
    assert "5 credits added" in out
    assert "several people" not in out and "waiting" not in out

    again = run_command(path)
    assert jeunet.credits.count() == 5
    assert "0 credits added" in again
    assert "Credits already on the site, left unchanged: 5." in again
    assert "waiting" not in again


def test_someone_the_run_created_is_the_same_person_on_a_rerun(tmp_path):
    path = write_csv(tmp_path / "jeunet.csv", JEUNET_FILMS)
    run_command(path)
    assert Person.objects.get(name="Jean-Pierre Jeunet").credits.count() == 5
    again = run_command(path)
    assert Person.objects.filter(name="Jean-Pierre Jeunet").count() == 1
    assert "left unchanged: 5." in again and "waiting" not in again


def test_a_birth_year_that_rules_the_namesake_out_makes_someone_new(tmp_path):
    older = make_person(name="John Smith", birth_year=1931)
    path = tmp_path / "smith.jsonl"
    path.write_text(
        '{"title": "Clerks", "year": 1994, "imdb_id": "tt0109445", "credits": '
        '[{"role": "editor", "name": "John Smith", "birth_year": 1970}]}'
    )
    files.run(path)
    assert not older.credits.exists()
    assert Person.objects.get(name="John Smith", birth_year=1970).credits.count() == 1


@pytest.fixture
def namesakes():
    return [
        make_person(name="Jean-Pierre Jeunet", birth_year=1953),
        make_person(name="Jean-Pierre Jeunet", birth_year=1980),
    ]


def test_real_namesakes_wait_on_the_desk_and_a_rerun_adds_none(tmp_path, namesakes):
    path = write_csv(tmp_path / "jeunet.csv", JEUNET_FILMS)
    out = run_command(path)
    assert not Credit.objects.filter(person__in=namesakes).exists()
    waiting = PendingCredit.objects.order_by("film__year", "role")
    assert waiting.count() == 5
    first = waiting.first()
    assert (first.film.title, first.role) == ("Delicatessen", "director")
    assert set(first.candidates.all()) == set(namesakes)
    assert first.source.startswith("jeunet.csv")
    assert (
        "Credits waiting for an editor to say who is meant: 5 (5 new, 0 from an earlier run)"
        in out
    )

    again = run_command(path)
    assert PendingCredit.objects.count() == 5
    assert "(0 new, 5 from an earlier run)" in again


def test_the_editor_settles_a_credit_in_one_click(tmp_path, namesakes, admin_client):
    run_command(write_csv(tmp_path / "jeunet.csv", JEUNET_FILMS[:1]))
    changelist = admin_client.get(reverse("admin:reviews_pendingcredit_changelist"))
    content = changelist.content.decode()
    assert "Jean-Pierre Jeunet" in content and "Delicatessen" in content
    assert "This is Jean-Pierre Jeunet, born 1953 (0 credits)" in content
    assert "Someone new of this name" in content
    desk = admin_client.get(reverse("admin:index")).content.decode()
    assert "Credits waiting for an editor" in desk

    director = PendingCredit.objects.get(role="director")
    settle = reverse("admin:reviews_pendingcredit_settle", args=[director.pk])
    assert f'formaction="{settle}"' in content
    response = admin_client.post(settle, {"person": namesakes[0].pk})
    assert response.status_code == 302
    credit = Credit.objects.get(role="director")
    assert credit.person == namesakes[0] and credit.film.title == "Delicatessen"
    assert not PendingCredit.objects.filter(pk=director.pk).exists()
    message = admin_client.get(response["Location"]).content.decode()
    assert "is now credited as director of Delicatessen" in message

    writer = PendingCredit.objects.get(role="writer")
    settle = reverse("admin:reviews_pendingcredit_settle", args=[writer.pk])
    admin_client.post(settle, {"person": "new"})
    assert Person.objects.filter(name="Jean-Pierre Jeunet").count() == 3
    assert not PendingCredit.objects.exists()
    # A second click on a settled one does no harm.
    response = admin_client.post(settle, {"person": "new"})
    assert response.status_code == 302
    assert Person.objects.filter(name="Jean-Pierre Jeunet").count() == 3


def test_a_choice_outside_the_candidates_is_refused(tmp_path, namesakes, admin_client):
    run_command(write_csv(tmp_path / "jeunet.csv", JEUNET_FILMS[2:]))
    pending = PendingCredit.objects.get()
    stranger = make_person(name="Someone Else")
    settle = reverse("admin:reviews_pendingcredit_settle", args=[pending.pk])
    assert admin_client.post(settle, {"person": stranger.pk}).status_code == 404
    admin_client.post(settle, {"person": "x"})
    assert admin_client.get(settle).status_code == 405
    assert PendingCredit.objects.filter(pk=pending.pk).exists()


def test_an_author_cannot_settle_credits(tmp_path, namesakes, client, writer):
    run_command(write_csv(tmp_path / "jeunet.csv", JEUNET_FILMS[2:]))
    pending = PendingCredit.objects.get()
    client.force_login(writer)
    settle = reverse("admin:reviews_pendingcredit_settle", args=[pending.pk])
    client.post(settle, {"person": namesakes[0].pk})
    assert PendingCredit.objects.filter(pk=pending.pk).exists()


class TestOneSlugRule:
    """The admin (a model's save) and the importer choose the same slug."""

    def crowd(self):
        make_film(title="Crash", year=1996)  # crash
        make_film(title="Crash", year=2004, imdb_id="tt0375679")  # crash-2004

    def test_a_third_crash_of_2004_from_the_admin(self, admin_client):
        self.crowd()
        data = {
            "title": "Crash",
            "year": "2004",
            "slug": "",
            "certification": "NR",
            "original_title": "",
            "original_language": "",
        }
        for prefix in ("credits", "releases", "critic_quotes"):
            data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
        response = admin_client.post(reverse("admin:reviews_film_add"), data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert Film.objects.filter(title="Crash", year=2004).order_by("pk").last().slug == (
            "crash-2004-2"
        )

    def test_a_third_crash_of_2004_from_an_import(self, tmp_path):
        self.crowd()
        path = write_csv(tmp_path / "crash.csv", [["Crash", "2004", "tt9999991", "", "", ""]])
        run_command(path)
        assert Film.objects.get(imdb_id="tt9999991").slug == "crash-2004-2"

    def test_both_paths_agree_in_a_crowd(self, tmp_path):
        self.crowd()
        Film.objects.create(title="Crash", year=2004, slug="crash-2004-2")
        by_save = Film.objects.create(title="Crash", year=2004)
        slug = by_save.slug
        by_save.delete()
        path = write_csv(tmp_path / "crash.csv", [["Crash", "2004", "tt9999992", "", "", ""]])
        run_command(path)
        assert Film.objects.get(imdb_id="tt9999992").slug == slug == "crash-2004-3"

    def test_people_without_a_birth_year(self, tmp_path):
        make_person(name="Joel Coen")
        assert Person.objects.create(name="Joel Coen").slug == "joel-coen-2"
