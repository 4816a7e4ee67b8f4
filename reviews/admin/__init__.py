"""
The editorial desk for the reviews app, split by concern like the models:
the catalogue, reviews with their workflow, reader contributions, and the
credits an import left for an editor.
Importing the package registers every ModelAdmin.
"""

from reviews.admin import catalogue, media, moderation, pending, review

__all__ = ["catalogue", "media", "moderation", "pending", "review"]
