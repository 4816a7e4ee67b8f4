import io

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image, features

from core import renditions
from core.renditions import rendition
from tests.factories import image_file, make_film, make_review

pytestmark = pytest.mark.django_db


def stored(media_root, address):
    """The image a rendition address points at, opened from the media folder."""
    path = media_root / address.removeprefix("/media/")
    return Image.open(io.BytesIO(path.read_bytes()))


def srcset(value):
    """``"a 1x, b 2x"`` as {"1x": "a", "2x": "b"}."""
    return {density: url for url, density in (part.split() for part in value.split(", "))}


def test_a_poster_thumbnail_is_a_small_jpeg_next_to_the_original(media_root):
    film = make_film(poster=image_file("big.png", size=(900, 1350)))
    thumb = rendition(film.poster, "thumb")
    assert (thumb.width, thumb.height) == (120, 180)
    assert thumb.url.startswith("/media/renditions/thumb/big") and thumb.url.endswith(".jpg")
    assert (media_root / thumb.url.removeprefix("/media/")).exists()
    assert rendition(film.poster, "thumb") == thumb  # made once, then found


def test_sharp_screens_get_a_2x_copy_in_every_format(media_root):
    film = make_film(poster=image_file("big.png", size=(900, 1350)))
    card = rendition(film.poster, "card")
    jpegs = srcset(card.srcset)
    assert jpegs["1x"] == card.url
    assert stored(media_root, jpegs["2x"]).size == (480, 720)
    assert stored(media_root, jpegs["2x"]).format == "JPEG"
    expected = ["image/webp"] if not features.check("avif") else ["image/avif", "image/webp"]
    assert [source.type for source in card.sources] == expected
    for source in card.sources:
        copies = srcset(source.srcset)
        assert stored(media_root, copies["1x"]).size == (240, 360)
        assert stored(media_root, copies["2x"]).size == (480, 720)
        assert stored(media_root, copies["1x"]).format == source.type.split("/")[1].upper()


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow cannot write AVIF")
def test_avif_and_webp_are_smaller_than_the_jpeg(media_root):
    noisy = Image.effect_noise((900, 1350), 40).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, format="PNG")
    film = make_film(poster=image_file("noisy.png"))
    film.poster.save("noisy.png", ContentFile(buffer.getvalue()), save=True)
    card = rendition(film.poster, "card")
    jpeg = (media_root / card.url.removeprefix("/media/")).stat().st_size
    for source in card.sources:
        url = srcset(source.srcset)["1x"]
        assert (media_root / url.removeprefix("/media/")).stat().st_size < jpeg, source.type


def test_without_avif_support_webp_and_jpeg_are_made(media_root, monkeypatch):
    real_check = features.check
    monkeypatch.setattr(features, "check", lambda name: name != "avif" and real_check(name))
    film = make_film(poster=image_file("big.png", size=(900, 1350)))
    card = rendition(film.poster, "card")
    assert [source.type for source in card.sources] == ["image/webp"]
    assert not list((media_root / "renditions").rglob("*.avif"))


def test_a_small_original_is_not_blown_up_into_a_2x_copy(media_root):
    film = make_film(poster=image_file("small.png", size=(300, 450)))
    card = rendition(film.poster, "card")
    assert card.srcset == f"{card.url} 1x"
    assert all(", " not in source.srcset for source in card.sources)
    # An original between 1.5x and 2x gives a copy at its own density.
    film = make_film(title="Medium", poster=image_file("medium.png", size=(420, 630)))
    card = rendition(film.poster, "card")
    assert stored(media_root, srcset(card.srcset)["1.75x"]).size == (420, 630)


def test_renditions_made_earlier_are_found_when_the_cache_forgets_them(media_root, monkeypatch):
    film = make_film(poster=image_file("big.png", size=(900, 1350)))
    made = rendition(film.poster, "card")
    files = sorted(path.name for path in (media_root / "renditions").rglob("*"))
    # As another process would see them after the shared cache was emptied.
    cache.clear()
    monkeypatch.setattr(renditions, "_seen", {})
    assert rendition(film.poster, "card") == made
    assert sorted(path.name for path in (media_root / "renditions").rglob("*")) == files


def test_a_process_asks_neither_cache_nor_storage_again_for_a_rendition_it_has_shown(
    media_root, monkeypatch
):
    film = make_film(poster=image_file("big.png", size=(900, 1350)))
    made = rendition(film.poster, "card")

    def refused(*args, **kwargs):
        raise AssertionError("asked again")

    monkeypatch.setattr(cache, "get", refused)
    monkeypatch.setattr(film.poster.storage, "exists", refused)
    monkeypatch.setattr(film.poster.storage, "open", refused)
    assert rendition(film.poster, "card") == made


def test_a_new_recipe_version_makes_new_files(media_root, monkeypatch):
    film = make_film(poster=image_file("big.png", size=(900, 1350)))
    before = rendition(film.poster, "thumb")
    monkeypatch.setattr(renditions, "VERSION", renditions.VERSION + "-next")
    assert rendition(film.poster, "thumb").url != before.url


def test_no_image_and_a_broken_image_give_no_rendition():
    film = make_film()
    assert rendition(film.poster, "thumb") is None
    film.poster.save("broken.png", ContentFile(b"not a picture"), save=True)
    assert rendition(film.poster, "thumb") is None


def test_pages_offer_the_better_formats_and_the_2x_copies(client, media_root):
    film = make_film(poster=image_file("big.png", size=(900, 1350)))
    review = make_review(film=film)
    html = client.get("/").content.decode()
    card = rendition(film.poster, "card")
    sources = "".join(f'<source type="{s.type}" srcset="{s.srcset}">' for s in card.sources)
    assert f'<picture>{sources}<img src="{card.url}" srcset="{card.srcset}"' in html
    assert "2x" in card.srcset and "image/webp" in sources
    html = client.get(review.get_absolute_url()).content.decode()
    assert f'<img src="{card.url}" srcset="{card.srcset}" width="240" height="360"' in html


def test_the_featured_card_leads_with_the_header_still_or_else_the_poster(client, media_root):
    film = make_film(poster=image_file("poster.png", size=(480, 720)))
    review = make_review(
        film=film, featured=True, hero_image=image_file("still.png", size=(1920, 960))
    )
    featured = client.get("/").content.decode().split('<section class="featured"')[1]
    still = rendition(review.hero_image, "hero")
    assert 'class="card card-featured has-still"' in featured
    assert f'<img src="{still.url}" srcset="{still.srcset}"' in featured
    assert 'fetchpriority="high"' in featured and "/renditions/card/" not in featured

    review.hero_image = ""
    review.save()
    featured = client.get("/").content.decode().split('<section class="featured"')[1]
    assert "has-still" not in featured and "/renditions/card/poster" in featured
