"""
The model fields the apps share.

``HttpsURLField``: a URL field for https addresses only: its form reads
"example.com" as https://example.com and refuses any other scheme
(http://, ftp://) with a message, and the model refuses them too.

``SafeImageField``: validated image uploads.

``FocusField``: one coordinate of an image's focal point, 0 (left or top) to 1
(right or bottom). An image field ``photo`` has its point in ``photo_focus_x``
and ``photo_focus_y``; every crop in ``core.renditions`` keeps it in frame.

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
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
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


HTTPS_ONLY_MESSAGE = "Enter an address starting with https:// (https addresses only)."
https_only = URLValidator(schemes=["https"], message=HTTPS_ONLY_MESSAGE)


class HttpsURLFormField(forms.URLField):
    default_validators = [https_only]
    default_error_messages = {"invalid": HTTPS_ONLY_MESSAGE}


class HttpsURLField(models.URLField):
    """A URL field for https addresses; "example.com" is read as https://example.com."""

    default_validators = [https_only]

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": HttpsURLFormField, "assume_scheme": "https", **kwargs}
        )


class FocusField(models.FloatField):
    """A focal point coordinate, 0..1, the centre (0.5) unless the editor set one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", 0.5)
        kwargs.setdefault("validators", [MinValueValidator(0.0), MaxValueValidator(1.0)])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        defaults = {"form_class": FocusFormField, "min_value": 0.0, "max_value": 1.0}
        return super().formfield(**{**defaults, **kwargs})


class FocusFormField(forms.FloatField):
    """Left empty, the focal point is the centre."""

    def __init__(self, *args, **kwargs):
        kwargs["required"] = False
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return 0.5 if value is None else value


def focus_check(image_field, name):
    """The CheckConstraint that keeps ``image_field``'s focal point inside the picture."""
    x, y = f"{image_field}_focus_x", f"{image_field}_focus_y"
    return models.CheckConstraint(
        condition=models.Q(**{f"{x}__gte": 0, f"{x}__lte": 1, f"{y}__gte": 0, f"{y}__lte": 1}),
        name=name,
        violation_error_message="The focal point lies inside the picture (0 to 1 each way).",
    )


class FocusPickerWidget(forms.NumberInput):
    """
    The across coordinate of a focal point, shown with the picture: one click
    on it sets both coordinates (static/js/focus-picker.js); the arrow keys move
    the point, and both numbers stay typeable. ``image_url`` is a preview of
    the stored picture, if any; a newly chosen file shows once picked.
    """

    template_name = "widgets/focus_picker.html"

    def __init__(self, image_field, attrs=None):
        super().__init__({"step": "0.01", "min": "0", "max": "1", **(attrs or {})})
        self.image_field = image_field
        self.image_url = ""
        # Names the picture, when a form has two ("the poster", "the social card image").
        self.picture = "the picture"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        prefix = name[: -len(f"{self.image_field}_focus_x")]
        context["widget"]["focus"] = {
            "image_url": self.image_url,
            "picture": self.picture,
            "file_input": f"id_{prefix}{self.image_field}",
            "y_input": f"id_{prefix}{self.image_field}_focus_y",
        }
        return context


def use_focus_pickers(form, preview):
    """
    Give each focal point of ``form`` its picker: ``preview(field_file)`` is the
    address of a picture to click on (a rendition), or None.
    """
    for name in list(form.fields):
        if not name.endswith("_focus_x"):
            continue
        image_field = name[: -len("_focus_x")]
        widget = FocusPickerWidget(image_field)
        field_file = getattr(form.instance, image_field, None)
        widget.image_url = (preview(field_file) or "") if field_file else ""
        if image_field in form.fields and form.fields[image_field].label:
            widget.picture = f"the {form.fields[image_field].label.lower()}"
        form.fields[name].widget = widget
        y = f"{image_field}_focus_y"
        if y in form.fields:
            form.fields[y].widget.attrs.update({"step": "0.01", "min": "0", "max": "1"})


def preview_url(field_file):
    """The address of the picture the focal point picker shows, or None."""
    from core.renditions import rendition

    image = rendition(field_file, "preview")
    return image.url if image else None


class FocusPickerAdminMixin:
    """For a ModelAdmin whose model has focal points: their pickers and script."""

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class FormWithPickers(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                use_focus_pickers(self, preview_url)

        FormWithPickers.__name__ = form_class.__name__
        return FormWithPickers

    @property
    def media(self):
        return super().media + forms.Media(js=["js/focus-picker.js"])
