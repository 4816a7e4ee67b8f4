import pytest
from django.core.files.base import ContentFile

from filmblog.renditions import rendition
from tests.factories import image_file, make_film

pytestmark = pytest.mark.django_db


def test_a_poster_thumbnail_is_a_small_jpeg_next_to_the_original(media_root):
    film = make_film(poster=image_file("big.png", size=(900, 1350)))
    thumb = rendition(film.poster, "thumb")
    assert (thumb.width, thumb.height) == (120, 180)
    assert thumb.url.startswith("/media/renditions/thumb/big") and thumb.url.endswith(".jpg")
    assert (media_root / thumb.url.removeprefix("/media/")).exists()
    assert rendition(film.poster, "thumb") == thumb  # made once, then found


def test_no_image_and_a_broken_image_give_no_rendition():
    film = make_film()
    assert rendition(film.poster, "thumb") is None
    film.poster.save("broken.png", ContentFile(b"not a picture"), save=True)
    assert rendition(film.poster, "thumb") is None
