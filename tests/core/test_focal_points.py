"""
Focal points: every crop keeps the point the editor clicked, the feed's
picture keeps its own shape, and the admin sets the point on every image.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.renditions import SIZES, crop_box, rendition
from reviews.models import Picture
from tests.factories import make_film, make_person, make_review

pytestmark = pytest.mark.django_db

# A wide picture, white, with a red mark near its top right corner.
MARK = (0.88, 0.18)
CROPS = [size for size, (_, _, crop) in SIZES.items() if crop]


def marked_image(name="marked.png", size=(1600, 900)):
    image = Image.new("RGB", size, (255, 255, 255))
    cx, cy = round(size[0] * MARK[0]), round(size[1] * MARK[1])
    r = size[1] // 30
    image.paste((230, 0, 0), (cx - r, cy - r, cx + r, cy + r))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def shows_the_mark(image_rendition, storage):
    """Whether the rendition's JPEG holds red pixels (the mark)."""
    name = image_rendition.url.split("/media/", 1)[1]
    with storage.open(name) as f, Image.open(f) as image:
        pixels = image.convert("RGB").tobytes()
    return any(
        r > 180 and g < 90 and b < 90
        for r, g, b in zip(pixels[0::3], pixels[1::3], pixels[2::3], strict=True)
    )


@pytest.mark.parametrize(
    "size, box",
    [((1600, 900), (240, 360)), ((900, 1600), (1280, 640)), ((1000, 1000), (1200, 630))],
)
@pytest.mark.parametrize("focus", [(0, 0), (1, 1), (0.9, 0.1), (0.5, 0.5), (0.03, 0.97)])
def test_the_crop_always_holds_the_point(size, box, focus):
    left, top, right, bottom = crop_box(size, box, focus)
    assert 0 <= left <= focus[0] * size[0] <= right <= size[0]
    assert 0 <= top <= focus[1] * size[1] <= bottom <= size[1]
    assert abs((right - left) / (bottom - top) - box[0] / box[1]) < 0.01


@pytest.mark.parametrize("size", CROPS)
def test_every_crop_keeps_the_marked_point(size):
    film = make_film()
    film.poster.save("poster.png", marked_image(), save=True)
    film.poster_focus_x, film.poster_focus_y = MARK
    film.save()
    image = rendition(film.poster, size)
    assert shows_the_mark(image, film.poster.storage), f"the {size} crop lost the point"


def test_cropped_by_the_centre_the_point_is_lost():
    # The test above can fail: without the point, the 2:3 poster crop of a wide
    # picture cuts the mark off.
    film = make_film()
    film.poster.save("poster.png", marked_image(), save=True)
    assert not shows_the_mark(rendition(film.poster, "poster"), film.poster.storage)


def test_moving_the_point_makes_new_renditions():
    film = make_film()
    film.poster.save("poster.png", marked_image(), save=True)
    centre = rendition(film.poster, "card").url
    film.poster_focus_x = 0.9
    film.save()
    assert rendition(film.poster, "card").url != centre


def test_every_image_field_has_a_point():
    review = make_review()
    person = make_person()
    for instance, field in [
        (review, "hero_image"),
        (review.film, "poster"),
        (person, "photo"),
        (review.author, "photo"),
        (review, "social_image"),
        (review.film, "social_image"),
    ]:
        assert getattr(instance, f"{field}_focus_x") == 0.5
        assert getattr(instance, f"{field}_focus_y") == 0.5
    assert {"image_focus_x", "image_focus_y"} <= {f.name for f in Picture._meta.fields}


def test_the_feed_picture_keeps_its_own_shape(client):
    review = make_review()
    review.hero_image.save("still.png", marked_image(size=(1600, 900)), save=True)
    xml = client.get(reverse("feeds:rss")).content.decode()
    assert 'width="720" height="405"' in xml  # 16:9, as uploaded; not a 2:3 poster


def test_the_social_card_is_1200_by_630_and_keeps_the_point(client):
    review = make_review()
    review.hero_image.save("still.png", marked_image(size=(1600, 1600)), save=True)
    review.hero_image_focus_x, review.hero_image_focus_y = MARK
    review.save()
    html = client.get(review.get_absolute_url()).content.decode()
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert shows_the_mark(rendition(review.hero_image, "social"), review.hero_image.storage)


def test_a_social_card_image_of_its_own_keeps_its_point(client):
    # A tall picture: cropped to 1200x630 by its centre, the mark near the top is lost.
    review = make_review(social_image_alt="The town square at dusk")
    review.social_image.save("card.png", marked_image(size=(900, 1600)), save=True)
    assert not shows_the_mark(
        rendition(review.social_image, "social"), review.social_image.storage
    )
    review.social_image_focus_x, review.social_image_focus_y = MARK
    review.save()
    card = rendition(review.social_image, "social")
    assert shows_the_mark(card, review.social_image.storage)
    assert card.url in client.get(review.get_absolute_url()).content.decode()


def test_the_review_form_sets_the_social_image_point(admin_client):
    review = make_review(social_image_alt="The town square at dusk")
    review.social_image.save("card.png", marked_image(), save=True)
    page = admin_client.get(reverse("admin:reviews_review_change", args=[review.pk])).content
    assert b'id="id_social_image_focus_x"' in page
    assert b"/media/renditions/preview/" in page  # the card's picture, to click on


def test_the_admin_shows_the_picker_and_saves_the_point(admin_client):
    film = make_film()
    film.poster.save("poster.png", marked_image(), save=True)
    url = reverse("admin:reviews_film_change", args=[film.pk])
    page = admin_client.get(url).content.decode()
    assert 'class="focus-picker"' in page
    assert "/media/renditions/preview/" in page
    assert "js/focus-picker.js" in page
    person = make_person()
    url = reverse("admin:people_person_change", args=[person.pk])
    data = {"name": person.name, "slug": person.slug, "photo_focus_x": "0.25"}
    data["photo_focus_y"] = "0.8"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.photo_focus_x, person.photo_focus_y) == (0.25, 0.8)


def test_a_point_outside_the_picture_is_refused(admin_client):
    person = make_person()
    url = reverse("admin:people_person_change", args=[person.pk])
    data = {"name": person.name, "slug": person.slug, "photo_focus_x": "1.5"}
    data["photo_focus_y"] = "0.5"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "less than or equal to 1" in response.content.decode()
    person.refresh_from_db()
    assert person.photo_focus_x == 0.5
