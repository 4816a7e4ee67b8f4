"""
The reviews app's models, split by concern: the catalogue (films, people's
credits, genres, countries, releases), the review itself with its critic
quotes, and reader contributions (comments, ratings, likes). Import them from
here: ``from reviews.models import Film, Review``.
"""

from reviews.models.autosave import ReviewAutosave
from reviews.models.catalogue import (
    TOP_BILLED,
    Certification,
    Country,
    Credit,
    CreditQuerySet,
    Film,
    FilmQuerySet,
    Genre,
    Release,
    favourite_slugs,
)
from reviews.models.choices import CommentStatus, CreditRole, ReleaseKind, ReviewStatus
from reviews.models.contributions import (
    READER_RATING_VALUES,
    Comment,
    CommentQuerySet,
    Like,
    Rating,
)
from reviews.models.media import Picture, PictureQuerySet
from reviews.models.pending import PendingCredit
from reviews.models.review import (
    PUBLIC_STATUSES,
    RATING_CHOICES,
    RATING_VALUES,
    READER_COUNTERS,
    REVIEW_BODY_EXTENSIONS,
    CriticQuote,
    Review,
    ReviewQuerySet,
)

__all__ = [
    "PUBLIC_STATUSES",
    "READER_COUNTERS",
    "READER_RATING_VALUES",
    "RATING_CHOICES",
    "RATING_VALUES",
    "REVIEW_BODY_EXTENSIONS",
    "TOP_BILLED",
    "Certification",
    "Comment",
    "CommentQuerySet",
    "CommentStatus",
    "Country",
    "Credit",
    "CreditQuerySet",
    "CreditRole",
    "CriticQuote",
    "Film",
    "FilmQuerySet",
    "Genre",
    "Like",
    "Picture",
    "PictureQuerySet",
    "PendingCredit",
    "Rating",
    "Release",
    "ReleaseKind",
    "Review",
    "ReviewAutosave",
    "ReviewQuerySet",
    "ReviewStatus",
    "favourite_slugs",
]
