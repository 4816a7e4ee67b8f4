"""
Resized renditions of uploaded images.

Pages never serve an uploaded original: a poster may be a 20-megapixel scan.
``rendition(field_file, "thumb")`` returns a small JPEG made with Pillow the
first time it is asked for and kept in the same storage as the original (a
local folder or object storage), next to nothing in the database, so a page
that shows forty posters costs no queries for them. Whether a rendition exists
is remembered in the cache so storage is not asked on every request.
"""

import hashlib
import io
import logging
import posixpath
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from filmblog.cache import CACHE_ERRORS, cache_failed, cache_usable

logger = logging.getLogger(__name__)

# name: (width, height, crop). Cropped renditions fill the box exactly; the
# others fit inside it and keep their proportions.
SIZES = {
    "thumb": (120, 180, True),  # poster thumbnail in lists
    "card": (240, 360, True),  # poster on cards and in the facts box
    "poster": (480, 720, True),  # film page poster and social previews
    "hero": (1280, 640, True),  # a review's wide header image and its social preview
    "avatar": (96, 96, True),  # small author or person photo
    "portrait": (240, 240, True),  # author and person pages
}
QUALITY = 82
VERSION = "1"  # bump to regenerate every rendition after changing the recipe


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int

    def __str__(self):
        return self.url


def rendition_name(name, size):
    width, height, crop = SIZES[size]
    digest = hashlib.sha1(f"{name}|{width}x{height}|{crop}|{VERSION}".encode()).hexdigest()[:10]
    stem = posixpath.splitext(posixpath.basename(name))[0]
    return f"renditions/{size}/{stem}-{digest}.jpg"


def rendition(field_file, size):
    """The ``size`` rendition of an image field's file, or None when there is no image."""
    if not field_file or not field_file.name:
        return None
    width, height, crop = SIZES[size]
    storage = field_file.storage
    name = rendition_name(field_file.name, size)
    cache_key = f"rendition:{name}"
    known = None
    if cache_usable():
        try:
            known = cache.get(cache_key)
        except CACHE_ERRORS:
            cache_failed("rendition lookup")
    if known is None:
        if not storage.exists(name):
            try:
                made = _make(storage, field_file.name, width, height, crop)
            except (OSError, ValueError, Image.DecompressionBombError):
                logger.warning("Could not make a rendition of %s", field_file.name)
                return None
            # Two requests may race to make the same rendition; either copy will do.
            name = storage.save(name, ContentFile(made[0]))
            known = (name, *made[1])
        else:
            with storage.open(name) as f, Image.open(f) as image:
                known = (name, *image.size)
        if cache_usable():
            try:
                cache.set(cache_key, known, None)
            except CACHE_ERRORS:
                cache_failed("remembering a rendition")
    name, width, height = known
    return Rendition(url=storage.url(name), width=width, height=height)


def _make(storage, name, width, height, crop):
    with storage.open(name) as f, Image.open(f) as image:
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, (255, 255, 255))
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        if crop:
            image = ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)
        else:
            image = image.copy()
            image.thumbnail((width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="JPEG", quality=QUALITY, optimize=True)
        return buffer.getvalue(), image.size
