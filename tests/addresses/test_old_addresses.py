"""Every public address that ever worked keeps working: 301 when it moved, 410 when it went."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from addresses.models import Redirect
from people.models import Person
from tests.factories import make_author, make_film, make_genre, make_person, make_review
from tests.reviews.test_admin_permissions import change_form

pytestmark = pytest.mark.django_db


def publish_fields(review):
    local = timezone.localtime(review.published_at)
    return {
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
    }


def redirect_target(client, path):
    response = client.get(path)
    assert response.status_code == 301, (path, response.status_code)
    return response["Location"]


class TestReview:
    def test_a_slug_changed_in_the_admin_keeps_the_old_address(self, client, editor):
        review = make_review(
            headline="Amélie twenty-five years on", slug="amelie-twenty-five-years-on"
        )
        old = review.get_absolute_url()
        assert client.get(old).status_code == 200
        client.force_login(editor)
        data = change_form(review, slug="amelie-25-years-on", **publish_fields(review))
        response = client.post(reverse("admin:reviews_review_change", args=[review.pk]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        client.logout()
        review.refresh_from_db()
        assert review.slug == "amelie-25-years-on" and review.is_public
        assert redirect_target(client, old) == "/reviews/amelie-25-years-on/"
        assert redirect_target(client, f"{old}?utm_source=digest") == (
            "/reviews/amelie-25-years-on/?utm_source=digest"
        )
        assert client.get("/reviews/amelie-25-years-on/").status_code == 200

    def test_chains_collapse_to_one_hop_and_a_path_live_again_leads_nowhere(self, client):
        review = make_review(slug="a")
        for slug in ("b", "c"):
            review.slug = slug
            review.save()
        assert redirect_target(client, "/reviews/a/") == "/reviews/c/"
        assert redirect_target(client, "/reviews/b/") == "/reviews/c/"
        review.slug = "a"
        review.save()
        assert client.get("/reviews/a/").status_code == 200
        assert redirect_target(client, "/reviews/b/") == "/reviews/a/"
        assert redirect_target(client, "/reviews/c/") == "/reviews/a/"
        assert not Redirect.objects.filter(old_path="/reviews/a/").exists()

    def test_a_deleted_review_answers_410_and_so_do_its_old_addresses(self, client, editor):
        review = make_review(slug="first")
        review.slug = "second"
        review.save()
        client.force_login(editor)
        response = client.post(
            reverse("admin:reviews_review_delete", args=[review.pk]), {"post": "yes"}
        )
        assert response.status_code == 302
        client.logout()
        for path in ("/reviews/second/", "/reviews/first/"):
            response = client.get(path)
            assert response.status_code == 410
            assert "taken down" in response.content.decode()
        assert client.get("/reviews/never-was/").status_code == 404

    def test_feeds_and_sitemap_give_the_new_address_only(self, client):
        review = make_review(slug="old-name")
        review.slug = "new-name"
        review.save()
        for path in ("/feeds/rss/", "/feeds/atom/", "/sitemap.xml"):
            content = client.get(path).content.decode()
            assert "/reviews/new-name/" in content, path
            assert "/reviews/old-name/" not in content, path


@pytest.mark.parametrize(
    ("make", "old_paths", "new_paths"),
    [
        (lambda: make_film(title="Crash", slug="crash"), ["/films/crash/"], ["/films/moved/"]),
        (
            lambda: make_person(name="Agnès Varda", slug="varda"),
            ["/people/varda/"],
            ["/people/moved/"],
        ),
        (lambda: make_genre(name="Noir", slug="noir"), ["/genres/noir/"], ["/genres/moved/"]),
        (
            lambda: make_author(display_name="Iris", slug="iris"),
            ["/authors/iris/", "/feeds/authors/iris/rss/", "/feeds/authors/iris/atom/"],
            ["/authors/moved/", "/feeds/authors/moved/rss/", "/feeds/authors/moved/atom/"],
        ),
        (
            lambda: Tag.objects.create(name="Heist", slug="heist"),
            ["/tags/heist/", "/feeds/tags/heist/rss/", "/feeds/tags/heist/atom/"],
            ["/tags/moved/", "/feeds/tags/moved/rss/", "/feeds/tags/moved/atom/"],
        ),
    ],
    ids=["film", "person", "genre", "author", "tag"],
)
def test_every_kind_of_page_keeps_its_old_addresses(client, make, old_paths, new_paths):
    obj = make()
    obj.slug = "moved"
    obj.save()
    for old, new in zip(old_paths, new_paths, strict=True):
        assert redirect_target(client, old) == new


def test_a_genre_and_a_tag_renamed_in_the_admin(admin_client, client):
    genre = make_genre(name="Thriller")
    response = admin_client.post(
        reverse("admin:reviews_genre_change", args=[genre.pk]),
        {"name": "Thrillers", "slug": "thrillers", "parent": ""},
    )
    assert response.status_code == 302
    tag = Tag.objects.create(name="Road movie", slug="road-movie")
    response = admin_client.post(
        reverse("admin:taggit_tag_change", args=[tag.pk]),
        {
            "name": "Road movies",
            "slug": "road-movies",
            "taggit-taggeditem-content_type-object_id-TOTAL_FORMS": "0",
            "taggit-taggeditem-content_type-object_id-INITIAL_FORMS": "0",
            "taggit_taggeditem_items-TOTAL_FORMS": "0",
            "taggit_taggeditem_items-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert redirect_target(client, "/genres/thriller/") == "/genres/thrillers/"
    assert redirect_target(client, "/tags/road-movie/") == "/tags/road-movies/"


class TestAdmin:
    def test_old_addresses_are_listed(self, admin_client):
        review = make_review(slug="listed-before")
        review.slug = "listed-after"
        review.save()
        content = admin_client.get(reverse("admin:addresses_redirect_changelist")).content.decode()
        assert "/reviews/listed-before/" in content and "/reviews/listed-after/" in content

    def test_an_editor_adds_one_and_a_target_that_moved_is_followed(self, admin_client, client):
        review = make_review(slug="target-old")
        review.slug = "target-new"
        review.save()
        response = admin_client.post(
            reverse("admin:addresses_redirect_add"),
            {"old_path": "/best-of-2012/", "new_path": "/reviews/target-old/", "reason": ""},
        )
        assert response.status_code == 302
        assert redirect_target(client, "/best-of-2012/") == "/reviews/target-new/"

    def test_an_editor_points_one_elsewhere_or_marks_it_gone(self, admin_client, client):
        make_review(slug="one")
        make_review(slug="two")
        redirect = Redirect.objects.create(old_path="/old/", new_path="/reviews/one/")
        url = reverse("admin:addresses_redirect_change", args=[redirect.pk])
        admin_client.post(url, {"old_path": "/old/", "new_path": "/reviews/two/", "reason": ""})
        assert redirect_target(client, "/old/") == "/reviews/two/"
        admin_client.post(url, {"old_path": "/old/", "new_path": "", "reason": "Withdrawn"})
        assert client.get("/old/").status_code == 410

    @pytest.mark.parametrize(
        ("old", "new", "message"),
        [
            ("reviews/x/", "/reviews/y/", "starting with one slash"),
            ("/x/", "//evil.example/", "starting with one slash"),
            ("/x/", "https://evil.example/", "starting with one slash"),
            ("/x/", "/x/", "must differ"),
        ],
    )
    def test_bad_addresses_are_refused_with_a_message(self, admin_client, old, new, message):
        response = admin_client.post(
            reverse("admin:addresses_redirect_add"), {"old_path": old, "new_path": new}
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Redirect.objects.exists()

    def test_a_circle_is_refused(self, admin_client):
        Redirect.objects.create(old_path="/b/", new_path="/a/")
        response = admin_client.post(
            reverse("admin:addresses_redirect_add"), {"old_path": "/a/", "new_path": "/b/"}
        )
        assert "round in circles" in response.content.decode()


class TestCost:
    """The table of old addresses is read only for a path that answered 404."""

    def test_a_page_that_is_found_never_reads_it(self, client):
        review = make_review(slug="found")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(review.get_absolute_url()).status_code == 200
        assert not [q for q in queries if "addresses_redirect" in q["sql"]]

    def test_a_page_from_the_page_cache_runs_no_query_at_all(self, client):
        review = make_review(slug="cached")
        client.get(review.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(review.get_absolute_url())
        assert response["X-Page-Cache"] == "hit"
        assert len(queries) == 0

    def test_an_old_address_costs_one_query(self, client):
        review = make_review(slug="before")
        review.slug = "after"
        review.save()
        with CaptureQueriesContext(connection) as queries:
            client.get("/reviews/before/")
        assert len([q for q in queries if "addresses_redirect" in q["sql"]]) == 1


def test_renaming_records_nothing_when_the_slug_stays(client):
    film = make_film(title="Stays")
    film.title = "Stays the same address"
    film.save()
    person = Person.objects.create(name="New Person")
    person.save()
    assert not Redirect.objects.exists()
