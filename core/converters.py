"""
URL converters. Imported by the URL configurations that use them; Django keeps
one registry, so each is registered here once.
"""

from django.urls import register_converter


class UnicodeSlugConverter:
    """
    A slug in any script, as ``slugify(..., allow_unicode=True)`` makes them:
    taggit slugs "Amélie" as ``amélie`` and "東京" as ``東京``, which Django's
    ``slug`` converter does not match.
    """

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")
