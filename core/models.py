"""The abstract models the apps' models build on."""

from django.db import models


class Timestamped(models.Model):
    """When a row was added and last changed; the desk lists and filters by both."""

    created_at = models.DateTimeField("added", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("last changed", auto_now=True)

    class Meta:
        abstract = True
