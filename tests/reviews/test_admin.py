import struct
import zlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import AuthorProfile
from reviews.models import Film, Review
from tests.factories import image_file, make_author

pytestmark = pytest.mark.django_db

MODELS = {
    (model._meta.app_label, model._meta.model_name): model
    for model in apps.get_models()
    # The task queue's own admin (django-tasks-db) lists only what the worker left.
    if admin.site.is_registered(model) and model._meta.app_label != "django_tasks_database"
}
REGISTERED = sorted(MODELS)
# Rows that only come from outside the demo: an old address after a slug
# change, a key an editor makes, the fediverse, an import's namesakes.
FROM_OUTSIDE = {("addresses", "redirect"), ("api", "apikey"), ("reviews", "pendingcredit")} | {
    key for key in MODELS if key[0] == "federation"
}


def admin_url(app_label, model_name, view, *args):
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=args)


@pytest.mark.parametrize("app_label, model_name", REGISTERED)
def test_every_changelist_lists_the_demo_rows(demo, admin_client, app_label, model_name):
    response = admin_client.get(admin_url(app_label, model_name, "changelist"))
    assert response.status_code == 200
    changelist = response.context["cl"]
    if (app_label, model_name) in FROM_OUTSIDE:
        assert changelist.result_count == 0
        return
    # The demo has at least one row of every model the desk lists, shown on its page.
    assert changelist.result_count > 0
    first = changelist.result_list[0]
    assert admin_url(app_label, model_name, "change", first.pk) in response.content.decode()


@pytest.mark.parametrize("app_label, model_name", REGISTERED)
def test_every_add_page_answers(demo, admin_client, superuser, rf, app_label, model_name):
    request = rf.get("/")
    request.user = superuser
    # Some rows only come from readers (comments, ratings): their add page is refused.
    model_admin = admin.site.get_model_admin(MODELS[app_label, model_name])
    expected = 200 if model_admin.has_add_permission(request) else 403
    assert admin_client.get(admin_url(app_label, model_name, "add")).status_code == expected


@pytest.mark.parametrize("app_label, model_name", REGISTERED)
def test_every_change_page_answers(demo, admin_client, app_label, model_name):
    if (app_label, model_name) in FROM_OUTSIDE:
        pytest.skip("the demo has none: its changelist answers empty (above)")
    obj = MODELS[app_label, model_name]._default_manager.order_by("pk").first()
    assert obj is not None, f"the demo has no {model_name}"
    assert admin_client.get(admin_url(app_label, model_name, "change", obj.pk)).status_code == 200


def test_the_demo_films_are_listed_with_their_director(demo, admin_client):
    response = admin_client.get(admin_url("reviews", "film", "changelist"))
    content = response.content.decode()
    for title in ("Rust and Bone", "A Prophet", "The Beat That My Heart Skipped"):
        assert title in content
    assert "Jacques Audiard" in content


def test_searching_films_by_a_person_finds_their_films(demo, admin_client):
    response = admin_client.get(admin_url("reviews", "film", "changelist"), {"q": "Audiard"})
    assert response.context["cl"].result_count == 3


def test_the_film_changelist_does_not_query_per_row(
    demo, admin_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        admin_client.get(admin_url("reviews", "film", "changelist"))


def test_person_autocomplete_answers_for_credits(demo, admin_client):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "reviews", "model_name": "credit", "field_name": "person", "term": "Fonta"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Stéphane Fontaine"]


def test_the_credit_inline_uses_autocomplete_not_a_select_of_everyone(demo, admin_client):
    film = Film.objects.get(title="Rust and Bone")
    content = admin_client.get(admin_url("reviews", "film", "change", film.pk)).content.decode()
    assert 'data-model-name="person"' in content or "admin-autocomplete" in content
    # A plain select would list every person as an <option>; autocomplete lists only the chosen.
    assert content.count(">Niels Arestrup</option>") == 0


def _inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def film_form(**overrides):
    data = {
        "title": "Crash",
        "original_title": "",
        "slug": "",
        "year": "1996",
        "runtime": "100",
        "certification": "NC-17",
        "synopsis": "",
        **_inline_management("credits"),
        **_inline_management("releases"),
        **_inline_management("critic_quotes"),
    }
    data.update(overrides)
    return data


def test_an_editor_adds_a_film_with_a_credit_inline(admin_client):
    from tests.factories import make_person

    person = make_person(name="David Cronenberg")
    data = film_form(
        **_inline_management("credits", total=1),
        **{
            "credits-0-person": str(person.pk),
            "credits-0-role": "director",
            "credits-0-character": "",
            "credits-0-order": "0",
        },
    )
    response = admin_client.post(admin_url("reviews", "film", "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    film = Film.objects.get(title="Crash")
    assert film.slug == "crash"
    assert list(film.credits.values_list("person__name", "role")) == [
        ("David Cronenberg", "director")
    ]


def test_a_second_film_with_the_same_title_gets_its_own_slug(admin_client):
    admin_client.post(admin_url("reviews", "film", "add"), film_form())
    admin_client.post(admin_url("reviews", "film", "add"), film_form(year="2004"))
    assert sorted(Film.objects.values_list("slug", flat=True)) == ["crash", "crash-2004"]


def test_a_film_with_a_bad_year_re_renders_with_a_message(admin_client):
    response = admin_client.post(admin_url("reviews", "film", "add"), film_form(year="1700"))
    assert response.status_code == 200
    assert "Year must be between 1870 and 2100." in response.content.decode()
    assert 'value="Crash"' in response.content.decode()


class TestImageUploads:
    def post_poster(self, admin_client, upload):
        return admin_client.post(admin_url("reviews", "film", "add"), film_form(poster=upload))

    def test_a_real_image_is_accepted(self, admin_client):
        response = self.post_poster(admin_client, image_file("poster.png"))
        assert response.status_code == 302
        assert Film.objects.get().poster.name.startswith("posters/poster")

    def test_a_file_that_is_not_an_image_is_refused(self, admin_client):
        upload = SimpleUploadedFile("poster.png", b"#!/bin/sh\necho not an image\n")
        response = self.post_poster(admin_client, upload)
        assert response.status_code == 200
        assert "This file is not an image we can use" in response.content.decode()
        assert not Film.objects.exists()

    def test_a_decompression_bomb_is_refused(self, admin_client):
        response = self.post_poster(admin_client, SimpleUploadedFile("bomb.png", png_bomb()))
        assert response.status_code == 200
        assert "decompression bomb" in response.content.decode()
        assert not Film.objects.exists()

    def test_an_image_over_the_pixel_limit_is_refused(self, admin_client, settings):
        settings.MAX_IMAGE_PIXELS = 100
        response = self.post_poster(admin_client, image_file(size=(20, 20)))
        assert "20 × 20 pixels" in response.content.decode()
        assert not Film.objects.exists()

    def test_a_file_over_the_size_limit_is_refused(self, admin_client, settings):
        settings.MAX_IMAGE_UPLOAD_BYTES = 10
        response = self.post_poster(admin_client, image_file())
        assert "images may be at most 10\xa0bytes" in response.content.decode()


def png_bomb(width=60_000, height=60_000):
    """A tiny PNG whose header claims billions of pixels."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def review_form(film, **overrides):
    data = {
        "film": str(film.pk),
        "headline": "A new look at Rust and Bone",
        "slug": "",
        "author": "",
        "standfirst": "Short.",
        "body": "<p>Fine.</p>",
        "rating": "4.0",
        "tags": "drama",
        "hero_image_alt": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        **_inline_management("critic_quotes"),
    }
    data.update(overrides)
    return data


class TestReviewAdmin:
    def test_a_new_review_defaults_to_the_editor_as_author(self, demo, admin_client, superuser):
        profile = make_author(user=superuser, display_name="Boss")
        response = admin_client.get(admin_url("reviews", "review", "add"))
        assert response.context["adminform"].form.initial["author"] == profile.pk

    def test_a_review_saved_without_an_author_is_signed_by_the_editor(
        self, demo, admin_client, superuser
    ):
        film = Film.objects.get(title="Rust and Bone")
        response = admin_client.post(admin_url("reviews", "review", "add"), review_form(film))
        assert response.status_code == 302
        review = Review.objects.get(headline="A new look at Rust and Bone")
        assert review.author == AuthorProfile.objects.get(user=superuser)
        assert review.slug == "a-new-look-at-rust-and-bone"

    def test_the_body_is_sanitised_on_save_through_the_admin(self, demo, admin_client):
        film = Film.objects.get(title="Rust and Bone")
        body = (
            '<p>Good<script>alert(1)</script><img src=x onerror="alert(1)">'
            '<a href="javascript:alert(1)">link</a></p>'
        )
        admin_client.post(admin_url("reviews", "review", "add"), review_form(film, body=body))
        saved = Review.objects.get(headline="A new look at Rust and Bone").body
        assert "<script" not in saved
        assert "onerror" not in saved
        assert "javascript:" not in saved
        assert "Good" in saved

    def test_a_rating_off_the_half_star_scale_is_refused_with_a_message(self, demo, admin_client):
        film = Film.objects.get(title="Rust and Bone")
        response = admin_client.post(
            admin_url("reviews", "review", "add"), review_form(film, rating="7")
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()

    def test_publishing_a_new_review_with_the_button_publishes_now(self, demo, admin_client):
        film = Film.objects.get(title="Rust and Bone")
        response = admin_client.post(
            admin_url("reviews", "review", "add"), review_form(film, _move="publish")
        )
        assert response.status_code == 302
        assert Review.objects.get(headline="A new look at Rust and Bone").is_public

    def test_the_review_page_offers_the_rich_text_editor(self, demo, admin_client):
        review = Review.objects.first()
        content = admin_client.get(admin_url("reviews", "review", "change", review.pk))
        assert "django_prose_editor" in content.content.decode()

    def test_critic_quotes_are_inline_and_sortable(self, demo, admin_client):
        review = Review.objects.get(film__title="Rust and Bone")
        response = admin_client.get(admin_url("reviews", "review", "change", review.pk))
        content = response.content.decode()
        assert "The Critics Say" in content
        assert "Hélène Varga" in content
        assert "adminsortable2" in content
