"""
The editorial desk for the reviews app, split by concern like the models:
the catalogue, reviews with their workflow, and reader contributions.
Importing the package registers every ModelAdmin.
"""

from reviews.admin import catalogue, moderation, review

__all__ = ["catalogue", "moderation", "review"]
