"""
No input gives a 500: whatever a visitor puts in an address or a form, or an
author in the admin, the answer is a clear 4xx or a form error, and what was
saved stays whole.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from reviews.models import Review
from tests.factories import image_file, make_review, make_writer
from tests.people.test_accounts import PROFILE_URL, profile_data
from tests.reviews.test_admin import admin_url, film_form, review_form

pytestmark = pytest.mark.django_db

NUL_VARIANTS = [
    "/search/?q=%00",
    "/search/?q=a%00b",
    "/search/?q=film&kind=%00",
    "/search/?%00=x",
    "/?page=%00",
    "/archive/?page=1%00",
    "/feeds/rss/?q=%00",
    "/search/?q=%00&kind=films&page=2",
]


@pytest.mark.parametrize("url", NUL_VARIANTS)
def test_a_nul_byte_in_the_query_string_is_a_400_page(client, review, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "A garbled reel" in response.content.decode()


@pytest.mark.parametrize(
    "page", ["%C2%B2", "%D9%A1", "%E2%91%A0", "1010101010101010101010101010", "-1", "0", "1.5"]
)
def test_odd_page_numbers_are_404s(client, review, page):
    for url in (
        f"/?page={page}",
        f"/search/?q=paris&kind=reviews&page={page}",
        f"{review.get_absolute_url()}?comments={page}",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("value", ["%C2%B2", "99999999999999999999999", "-3"])
def test_odd_numbers_elsewhere_in_addresses(client, review, admin_client, value):
    assert client.get(f"{review.get_absolute_url()}?reply={value}").status_code == 200
    assert client.get(f"/years/{value}/").status_code in (200, 404)
    compare = admin_url("reviews", "review", "compare", review.pk)
    assert admin_client.get(f"{compare}?old={value}&new=1").status_code == 404
    films = admin_url("reviews", "film", "changelist")
    assert admin_client.get(f"{films}?decade={value}").status_code in (200, 302)


def test_a_huge_parent_id_in_a_comment_is_a_form_error(client, review):
    response = client.post(
        f"{review.get_absolute_url()}comments/",
        {"name": "A", "email": "a@example.com", "text": "Hi", "parent": "9" * 30},
    )
    assert response.status_code == 400


class TestTags:
    def post(self, admin_client, tags):
        review = make_review(status="draft")
        data = review_form(
            review.film,
            tags=tags,
            slug=review.slug,
            headline=review.headline,
            author=str(review.author.pk),
            edit_version=str(review.version),
        )
        return review, admin_client.post(admin_url("reviews", "review", "change", review.pk), data)

    @pytest.mark.parametrize("tag", ["🎬", ">", "---", "  ,  ,🎞️"])
    def test_a_tag_without_letters_is_a_form_error(self, admin_client, tag):
        review, response = self.post(admin_client, f"drama, {tag}")
        assert response.status_code == 200
        assert "A tag needs at least one letter or digit" in response.content.decode()
        assert list(review.tags.names()) == []

    def test_a_tag_over_the_column_length_is_a_form_error(self, admin_client):
        review, response = self.post(admin_client, "x" * 101)
        assert "A tag may have at most 100 characters" in response.content.decode()

    def test_thousands_of_tags_are_refused_quickly(
        self, admin_client, django_assert_max_num_queries
    ):
        tags = ", ".join(f"tag {n}" for n in range(3000))
        # 42: two of them rewrite the review's SQLite search row (search.sqlite).
        with django_assert_max_num_queries(42):
            review, response = self.post(admin_client, tags)
        assert "A review may have at most 30 tags; this has 3000." in response.content.decode()

    def test_tags_in_any_script_have_pages(self, client, admin_client):
        review, response = self.post(admin_client, "Amélie, 東京, drama")
        assert response.status_code == 302
        Review.objects.filter(pk=review.pk).update(status="published", published_at=timezone.now())
        page = client.get(review.get_absolute_url())
        assert page.status_code == 200
        for slug in ("amélie", "東京"):
            assert client.get(reverse("reviews:tag-detail", args=[slug])).status_code == 200
            assert client.get(reverse("feeds:tag-rss", args=[slug])).status_code == 200
        assert client.get("/archive/").status_code == 200


def jpeg_bytes(size=(200, 150)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def truncated_jpeg():
    data = jpeg_bytes((400, 300))
    return SimpleUploadedFile("cut.jpg", data[: len(data) // 2], content_type="image/jpeg")


def tiff():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30)).save(buffer, format="TIFF")
    return SimpleUploadedFile("scan.tif", buffer.getvalue(), content_type="image/tiff")


def png_16_bit():
    buffer = io.BytesIO()
    Image.new("I;16", (40, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("deep.png", buffer.getvalue(), content_type="image/png")


BAD_IMAGES = {
    "truncated": (truncated_jpeg, "incomplete or damaged"),
    "tiff": (tiff, "This is a TIFF image"),
    "16-bit": (png_16_bit, "more than 8 bits per channel"),
}


class TestImages:
    @pytest.mark.parametrize("kind", BAD_IMAGES)
    def test_an_authors_photo(self, client, kind):
        writer = make_writer()
        client.force_login(writer)
        make_upload, message = BAD_IMAGES[kind]
        response = client.post(PROFILE_URL, profile_data(photo=make_upload()))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not writer.author_profile.photo

    @pytest.mark.parametrize("kind", BAD_IMAGES)
    def test_a_poster_in_the_admin(self, admin_client, kind):
        make_upload, message = BAD_IMAGES[kind]
        response = admin_client.post(
            admin_url("reviews", "film", "add"), film_form(poster=make_upload())
        )
        assert response.status_code == 200
        assert message in response.content.decode()

    def test_a_good_image_is_still_accepted(self, admin_client):
        response = admin_client.post(
            admin_url("reviews", "film", "add"), film_form(poster=image_file(fmt="PNG"))
        )
        assert response.status_code == 302

    def test_the_help_text_names_the_formats(self, admin_client):
        page = admin_client.get(admin_url("reviews", "film", "add")).content.decode()
        assert "A JPEG, PNG, GIF or WebP picture, at most 10" in page


def test_a_body_over_the_size_limit_is_a_readable_413(client, review, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(
        f"{review.get_absolute_url()}comments/",
        {"name": "A", "email": "a@example.com", "text": "x" * 20_000},
    )
    assert response.status_code == 413
    assert "larger than this site accepts" in response.content.decode()


def test_a_stale_comment_form_must_be_sent_again(client, review, settings):
    import time_machine

    from reviews.forms import started_token

    review.comments_open = True
    token = started_token()
    with time_machine.travel(settings.COMMENT_FORM_MAX_AGE + 3600 + __import__("time").time()):
        response = client.post(
            f"{review.get_absolute_url()}comments/",
            {"name": "A", "email": "a@example.com", "text": "Late.", "started": token},
        )
    assert response.status_code == 400
    assert "please send your comment again" in response.content.decode()
    assert not review.comments.exists()


def _autocomplete_boxes():
    """(model admin, form field name) of every autocomplete box, inlines' included."""
    from django.apps import apps
    from django.contrib import admin
    from django.test import RequestFactory

    class Editor:
        is_active = is_staff = is_superuser = True

        def has_perm(self, perm, obj=None):
            return True

    request = RequestFactory().get("/")
    request.user = Editor()
    boxes = []
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        if not model_admin.has_add_permission(request):
            continue  # made by the site only (credits an import left waiting)
        for name in model_admin.autocomplete_fields:
            boxes.append((model, name))
        for inline_class in model_admin.inlines:
            inline = inline_class(model, admin.site)
            for name in inline.get_autocomplete_fields(request):
                prefix = inline.get_formset(request).get_default_prefix()
                boxes.append((model, f"{prefix}-0-{name}"))
    return boxes


@pytest.mark.parametrize("model, field", _autocomplete_boxes(), ids=lambda v: str(v))
def test_a_value_that_is_no_key_in_an_autocomplete_box_is_a_form_error(admin_client, model, field):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    data = {field: "abc"}
    if "-0-" in field:
        prefix = field.split("-0-")[0]
        data |= {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"}
    response = admin_client.post(url, data)
    assert response.status_code == 200
