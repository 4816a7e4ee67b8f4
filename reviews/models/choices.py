"""
The reviews app's choice enums. They stand outside their models so that the
models' constraints can name their values (a nested class is out of reach from
Meta), and in a module of their own so that any model module can use them.
"""

from django.db import models


class ReleaseKind(models.TextChoices):
    WIDE = "wide", "Wide"
    LIMITED = "limited", "Limited"
    FESTIVAL = "festival", "Festival"
    STREAMING = "streaming", "Streaming"


class CreditRole(models.TextChoices):
    DIRECTOR = "director", "Director"
    WRITER = "writer", "Writer"
    CINEMATOGRAPHER = "cinematographer", "Cinematographer"
    COMPOSER = "composer", "Composer"
    EDITOR = "editor", "Editor"
    PRODUCER = "producer", "Producer"
    CAST = "cast", "Cast"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Awaiting moderation"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"
