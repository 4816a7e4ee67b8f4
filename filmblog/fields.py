from django.db import models


class HttpsURLField(models.URLField):
    """A URL field whose form reads "example.com" as https://example.com."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
