"""
The model fields the apps share.

``HttpsURLField``: a URL field whose form reads "example.com" as
https://example.com.

``SafeImageField``: validated image uploads.

Django's ImageField already refuses files that Pillow cannot read, but a
"decompression bomb" (a small file that expands to billions of pixels) only
shows up as a generic "corrupted image" error, or worse as a worker that runs
out of memory. ``SafeImageField`` checks the byte size and the pixel count from
the image header, before anything is decoded, and says what is wrong. Then it
decodes the whole image, so that a truncated file is refused here rather than
failing later when a rendition is made, and it accepts only the formats and
depths the renditions handle: JPEG, PNG, GIF and WebP at 8 bits per channel.
"""

import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from PIL import Image

ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP"}
# Pillow's modes for 8-bit images; "I;16", "I" and "F" are 16- and 32-bit.
ACCEPTED_MODES = {"1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr"}
IMAGE_HELP_TEXT = "A JPEG, PNG, GIF or WebP picture, at most {size} and {pixels} megapixels."


def image_help_text():
    return IMAGE_HELP_TEXT.format(
        size=filesizeformat(settings.MAX_IMAGE_UPLOAD_BYTES),
        pixels=settings.MAX_IMAGE_PIXELS // 1_000_000,
    )


def check_image_upload(data):
    """Raise ValidationError if ``data`` (an uploaded file) is too large to accept."""
    if data is None or not hasattr(data, "size"):
        return
    max_bytes = settings.MAX_IMAGE_UPLOAD_BYTES
    if data.size > max_bytes:
        raise ValidationError(
            "This file is %(size)s; images may be at most %(max)s.",
            code="file_too_large",
            params={"size": filesizeformat(data.size), "max": filesizeformat(max_bytes)},
        )
    max_pixels = settings.MAX_IMAGE_PIXELS
    position = data.tell() if hasattr(data, "tell") else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(data) as image:
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            "This image has far too many pixels to be processed safely "
            "(it looks like a decompression bomb). Upload a smaller image.",
            code="decompression_bomb",
        ) from exc
    except Exception:
        # Not an image at all: Django's own ImageField check gives the message.
        return
    finally:
        if position is not None:
            data.seek(position)
    if width * height > max_pixels:
        raise ValidationError(
            "This image is %(width)s × %(height)s pixels; images may have at most "
            "%(max)s megapixels.",
            code="too_many_pixels",
            params={"width": width, "height": height, "max": max_pixels // 1_000_000},
        )
    check_image_contents(data)


def check_image_contents(data):
    """Refuse formats and depths the renditions cannot use, and truncated files."""
    position = data.tell() if hasattr(data, "tell") else None
    try:
        with Image.open(data) as image:
            kind, mode = image.format, image.mode
            if kind not in ACCEPTED_FORMATS:
                raise ValidationError(
                    "This is a %(kind)s image; upload a JPEG, PNG, GIF or WebP picture.",
                    code="unsupported_format",
                    params={"kind": kind or "unknown"},
                )
            if mode not in ACCEPTED_MODES:
                raise ValidationError(
                    "This image has more than 8 bits per channel (%(mode)s); save it as an "
                    "ordinary 8-bit JPEG or PNG and upload that.",
                    code="unsupported_depth",
                    params={"mode": mode},
                )
            image.load()  # decodes every pixel: a truncated file fails here
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            "This image file is incomplete or damaged (it may have been cut short while "
            "uploading). Upload it again, or save it anew as a JPEG or PNG.",
            code="damaged_image",
        ) from exc
    finally:
        if position is not None:
            data.seek(position)


class SafeImageFormField(forms.ImageField):
    default_error_messages = {
        "invalid_image": (
            "This file is not an image we can use. Upload a JPEG, PNG, GIF or WebP picture."
        ),
    }

    def to_python(self, data):
        if data not in self.empty_values:
            check_image_upload(data)
        return super().to_python(data)


class SafeImageField(models.ImageField):
    """An ImageField whose form refuses oversized files and decompression bombs."""

    def formfield(self, **kwargs):
        kwargs = {"form_class": SafeImageFormField, **kwargs}
        field = super().formfield(**kwargs)
        if not field.help_text:
            field.help_text = image_help_text()
        return field


class HttpsURLField(models.URLField):
    """A URL field whose form reads "example.com" as https://example.com."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
