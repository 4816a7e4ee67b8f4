"""
Resized renditions of uploaded images.

Pages never serve an uploaded original: a poster may be a 20-megapixel scan.
``rendition(field_file, "thumb")`` returns the small versions of an image that
a page offers the browser, made with Pillow the first time they are asked for
and kept in the same storage as the original (a local folder or object
storage), next to nothing in the database, so a page that shows forty posters
costs no queries for them. Whether a rendition exists is remembered in the
cache so storage is not asked on every request.

A rendition comes in each format in ``formats()``, best first: AVIF when the
installed Pillow can write it, WebP, and a JPEG that every browser and every
social network reads (its ``url`` is the page's ``src`` and the sharing
image). Each format is made at the size asked for (1x) and, when the original
has the pixels for it, at up to twice that size for sharp screens, so that
the templates' ``picture`` macro can offer ``<source>`` and ``srcset``.

A cropped rendition keeps the image's focal point in frame: the point an
editor clicked in the admin (``<field>_focus_x`` and ``<field>_focus_y`` on
the image's model, 0..1, see ``core.fields.FocusField``), centred in the crop
as far as the picture's edges allow. A point other than the centre is part
of the rendition's name, so moving it makes new renditions.
"""

import hashlib
import io
import logging
import math
import mimetypes
import posixpath
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.signals import setting_changed
from PIL import Image, ImageOps, features

from core.cache_outage import CACHE_ERRORS, cache_failed, cache_usable

logger = logging.getLogger(__name__)

# name: (width, height, crop). Cropped renditions fill the box exactly; the
# others fit inside it and keep their proportions.
SIZES = {
    "thumb": (120, 180, True),  # poster thumbnail in lists
    "card": (240, 360, True),  # poster on cards and in the facts box
    "poster": (480, 720, True),  # film page poster and social previews
    "hero": (1280, 640, True),  # a review's wide header image and its social preview
    "social": (1200, 630, True),  # an editor's own social card image (og:image)
    "avatar": (96, 96, True),  # small author or person photo
    "portrait": (240, 240, True),  # author and person pages
    "feed": (720, 720, False),  # the picture of a feed item, in its own shape
    # Pictures in a review body, in their own shape, by layout.
    "column": (720, 1080, False),
    "wide": (1280, 1080, False),
    "beside": (360, 540, False),
    "preview": (480, 480, False),  # the admin's focal point picker
    "tile": (200, 150, True),  # the media library's list and the editor's picture chooser
}
CENTRE = (0.5, 0.5)
# format: (file extension, MIME type, save options). Qualities chosen so the
# three look alike; AVIF and WebP come out at a half to a third of the JPEG.
# The encoders' fast settings keep a page's first view, which makes its
# renditions, to a second or two (AVIF's default effort takes five for a header).
FORMATS = {
    "avif": ("avif", "image/avif", {"quality": 50, "speed": 9}),
    "webp": ("webp", "image/webp", {"quality": 78, "method": 2}),
    "jpeg": ("jpg", "image/jpeg", {"quality": 82, "optimize": True, "progressive": True}),
}
# Storage backends label files by their extension; Python learnt ".avif" only in 3.13.
mimetypes.add_type("image/avif", ".avif")
# The sharpest copy made: twice the size asked for. Smaller originals give a
# copy at their own scale when it is worth sending (at least 1.5x), else none.
MAX_DENSITY = 2
MIN_DENSITY = 1.5
VERSION = "3"  # bump to regenerate every rendition after changing the recipe
# What this process knows of the renditions it has shown, by cache key (the
# oldest forgotten first beyond SEEN_MAX): the same tuple the shared cache holds.
_seen = {}
SEEN_MAX = 4096


def formats():
    """The formats made here, best first; JPEG, the fallback, always last."""
    return tuple(name for name in FORMATS if name != "avif" or features.check("avif"))


@dataclass(frozen=True)
class Source:
    """One format of a rendition: its MIME type and its ``srcset``."""

    type: str
    srcset: str


@dataclass(frozen=True)
class Rendition:
    url: str  # the 1x JPEG
    width: int
    height: int
    srcset: str = ""  # the JPEG at 1x and, when made, the sharper copy
    sources: tuple = ()  # Source for each better format, best first

    def __str__(self):
        return self.url


def focus_of(field_file):
    """
    The focal point of an image field's file, (x, y) in 0..1: read from the
    ``<field>_focus_x`` and ``_focus_y`` fields of its model, else the centre.
    """
    instance = getattr(field_file, "instance", None)
    field = getattr(field_file, "field", None)
    if instance is None or field is None:
        return CENTRE
    x = getattr(instance, f"{field.name}_focus_x", None)
    y = getattr(instance, f"{field.name}_focus_y", None)
    if x is None or y is None:
        return CENTRE
    return (min(max(float(x), 0.0), 1.0), min(max(float(y), 0.0), 1.0))


def rendition_name(name, size, fmt="jpeg", sharp=False, focus=CENTRE):
    """Where the ``fmt`` copy of ``name``'s ``size`` rendition is kept (``sharp``: the 2x)."""
    width, height, crop = SIZES[size]
    recipe = f"{name}|{width}x{height}|{crop}|{','.join(formats())}|{VERSION}"
    if crop and focus != CENTRE:
        recipe += f"|{focus[0]:.3f},{focus[1]:.3f}"
    digest = hashlib.sha1(recipe.encode()).hexdigest()[:10]
    stem = posixpath.splitext(posixpath.basename(name))[0]
    suffix = "-2x" if sharp else ""
    return f"renditions/{size}/{stem}-{digest}{suffix}.{FORMATS[fmt][0]}"


def rendition(field_file, size):
    """The ``size`` rendition of an image field's file, or None when there is no image."""
    if not field_file or not field_file.name:
        return None
    storage = field_file.storage
    focus = focus_of(field_file) if SIZES[size][2] else CENTRE
    cache_key = f"rendition:{rendition_name(field_file.name, size, focus=focus)}"
    known = _seen.get(cache_key)
    if known is None and cache_usable():
        try:
            known = cache.get(cache_key)
        except CACHE_ERRORS:
            cache_failed("rendition lookup")
    if known is None:
        known = _find(storage, field_file.name, size, focus)
        if known is None:
            try:
                known = _make(storage, field_file.name, size, focus)
            except (OSError, ValueError, Image.DecompressionBombError):
                logger.warning("Could not make a rendition of %s", field_file.name)
                return None
        if cache_usable():
            try:
                cache.set(cache_key, known, None)
            except CACHE_ERRORS:
                cache_failed("remembering a rendition")
    if cache_key not in _seen:
        if len(_seen) >= SEEN_MAX:
            del _seen[next(iter(_seen))]
        _seen[cache_key] = known
    names, width, height, density = known
    return _rendition(storage, names, width, height, density)


def _rendition(storage, names, width, height, density):
    """``names``: format -> (1x name, sharp name or None)."""
    srcsets = {}
    for fmt, (name, sharp) in names.items():
        srcset = f"{storage.url(name)} 1x"
        if sharp:
            srcset += f", {storage.url(sharp)} {density:g}x"
        srcsets[fmt] = srcset
    return Rendition(
        url=storage.url(names["jpeg"][0]),
        width=width,
        height=height,
        srcset=srcsets["jpeg"],
        sources=tuple(
            Source(type=FORMATS[fmt][1], srcset=srcsets[fmt]) for fmt in names if fmt != "jpeg"
        ),
    )


def _find(storage, name, size, focus):
    """
    What an earlier request made, or None. The 1x JPEG is saved last, so when
    it exists every other copy does too; the sharp copy's size gives its density.
    """
    plain = rendition_name(name, size, focus=focus)
    if not storage.exists(plain):
        return None
    with storage.open(plain) as f, Image.open(f) as image:
        width, height = image.size
    density = None
    sharp = rendition_name(name, size, sharp=True, focus=focus)
    if storage.exists(sharp):
        with storage.open(sharp) as f, Image.open(f) as image:
            density = image.size[0] / width
    names = {
        fmt: (
            rendition_name(name, size, fmt, focus=focus),
            rendition_name(name, size, fmt, sharp=True, focus=focus) if density else None,
        )
        for fmt in formats()
    }
    return names, width, height, density


def _make(storage, name, size, focus):
    width, height, crop = SIZES[size]
    with storage.open(name) as f, Image.open(f) as image:
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, (255, 255, 255))
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        image = image.convert("RGB")
        plain = _resize(image, (width, height), crop, focus)
        # How much sharper than 1x the original allows, in quarter steps.
        density = min(MAX_DENSITY, image.width / plain.width, image.height / plain.height)
        density = math.floor(density * 4) / 4
        sharp = None
        if density >= MIN_DENSITY:
            box = (round(plain.width * density), round(plain.height * density))
            sharp = _resize(image, box, True, focus)
        else:
            density = None
    names = {}
    # The 1x JPEG last: its presence tells _find() that the rest is there.
    for fmt in formats():
        made = []
        for copy, is_sharp in ((sharp, True), (plain, False)):
            if copy is None:
                made.append(None)
                continue
            buffer = io.BytesIO()
            copy.save(buffer, format=fmt.upper(), **FORMATS[fmt][2])
            # Two requests may race to make the same rendition; either copy will do.
            made.append(
                storage.save(
                    rendition_name(name, size, fmt, sharp=is_sharp, focus=focus),
                    ContentFile(buffer.getvalue()),
                )
            )
        names[fmt] = (made[1], made[0])
    return names, plain.width, plain.height, density


def crop_box(size, box, focus=CENTRE):
    """
    The part of an image of ``size`` (width, height) that a crop to the
    proportions of ``box`` keeps: as large as it can be, centred on ``focus``
    (x, y in 0..1) unless that would run past an edge, where it stops.
    """
    width, height = size
    ratio = box[0] / box[1]
    if width / height > ratio:
        crop_width, crop_height = height * ratio, height
    else:
        crop_width, crop_height = width, width / ratio
    left = min(max(focus[0] * width - crop_width / 2, 0), width - crop_width)
    top = min(max(focus[1] * height - crop_height / 2, 0), height - crop_height)
    return (left, top, left + crop_width, top + crop_height)


def _resize(image, box, crop, focus=CENTRE):
    if crop:
        return image.resize(box, Image.Resampling.LANCZOS, box=crop_box(image.size, box, focus))
    copy = image.copy()
    copy.thumbnail(box, Image.Resampling.LANCZOS)
    return copy


def _storage_changed(setting, **kwargs):
    # Another media folder or storage (tests switch them): its renditions are unknown here.
    if setting in ("MEDIA_ROOT", "MEDIA_URL", "STORAGES"):
        _seen.clear()


setting_changed.connect(_storage_changed, dispatch_uid="renditions-storage")
