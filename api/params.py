"""
The query parameters of the list endpoints, validated by pydantic against the
same constraints the OpenAPI document states: a value outside them is a 400
that names the parameter (api/errors.py), never a 500 and never ignored.
"""

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field, field_validator

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
# No list is this long; the cap keeps an offset the database can take.
MAX_PAGE = 100_000

SLUG = r"^[-a-zA-Z0-9_]+$"
# Tags may have Unicode slugs (the tag archive's uslug converter).
UNICODE_SLUG = r"^[-\w]+$"


def slug(description, pattern=SLUG):
    return Field(None, pattern=pattern, max_length=220, description=description)


def names_pattern(names):
    """A comma-separated list of ``names``: the pattern of ``fields=`` and ``include=``."""
    one = "(" + "|".join(sorted(names)) + ")"
    return f"^{one}(,{one})*$"


class Paging(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="The page number, from 1.")
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, at most {MAX_LIMIT}."
    )


class CatalogueFilters(Schema):
    """What both reviews and films are filtered by."""

    director: str | None = slug("Films directed by the person with this slug.")
    person: str | None = slug("Films with the person with this slug in any role.")
    author: str | None = slug("Reviewed by the author with this slug.")
    genre: str | None = slug("Films of the genre with this slug, its sub-genres included.")
    tag: str | None = slug("Reviews tagged with the tag with this slug.", UNICODE_SLUG)
    country: str | None = Field(
        None, pattern=r"^[A-Za-z]{2}$", description="Films made in this country (ISO code, FR)."
    )
    year_min: int | None = Field(None, ge=1870, le=2100, description="Films released from.")
    year_max: int | None = Field(None, ge=1870, le=2100, description="Films released until.")
    rating_min: float | None = Field(
        None, ge=0, le=5, allow_inf_nan=False, description="Editorial rating at least (stars)."
    )
    rating_max: float | None = Field(
        None, ge=0, le=5, allow_inf_nan=False, description="Editorial rating at most (stars)."
    )
    updated_since: datetime | None = Field(
        None,
        description="Changed at or after this ISO 8601 time (UTC when it names no offset).",
    )

    @field_validator("updated_since", mode="before")
    @classmethod
    def iso_only(cls, value):
        # pydantic would also read a bare number as a Unix time; the API says ISO 8601.
        if isinstance(value, str) and value.strip().lstrip("-+").replace(".", "").isdigit():
            raise ValueError("Give an ISO 8601 time, such as 2024-05-01T12:00:00Z.")
        return value


REVIEW_FIELDS = {
    "slug",
    "url",
    "headline",
    "standfirst",
    "body_html",
    "rating",
    "reader_rating",
    "tags",
    "author",
    "film",
    "critic_quotes",
    "hero_image",
    "published_at",
    "updated_at",
}
FILM_FIELDS = {
    "slug",
    "url",
    "title",
    "original_title",
    "original_language",
    "year",
    "runtime",
    "certification",
    "synopsis",
    "poster",
    "genres",
    "countries",
    "releases",
    "credits",
    "external_ids",
    "reviews",
    "updated_at",
}
PERSON_FIELDS = {
    "slug",
    "url",
    "name",
    "bio",
    "birth_year",
    "photo",
    "external_ids",
    "credits",
    "reviews",
    "updated_at",
}
AUTHOR_FIELDS = {
    "slug",
    "url",
    "name",
    "bio",
    "photo",
    "favourite_film",
    "favourite_director",
    "guilty_pleasure",
    "links",
    "review_count",
}
GENRE_FIELDS = {"slug", "url", "name", "parent", "film_count"}
TAG_FIELDS = {"slug", "url", "name", "review_count"}


def fields_param(names):
    return Field(
        None,
        pattern=names_pattern({"id", *names}),
        description="Only these properties, comma-separated (id always comes): "
        + ", ".join(sorted(names))
        + ".",
    )


def include_param(names, what):
    return Field(None, pattern=names_pattern(names), description=what)


class ReviewShape(Schema):
    fields: str | None = fields_param(REVIEW_FIELDS)
    include: str | None = include_param(
        {"film", "author"},
        "Expand, comma-separated: film (facts, genres, countries, releases, credits), "
        "author (profile).",
    )


class ReviewListParams(Paging, CatalogueFilters, ReviewShape):
    film: str | None = slug("Reviews of the film with this slug.")
    order: Literal["-published_at", "published_at", "-rating", "rating", "title", "-title"] = (
        Field(
            "-published_at",
            description="published_at (publish time), rating (editorial), title (the film's); "
            "a leading - for descending.",
        )
    )


class FilmShape(Schema):
    fields: str | None = fields_param(FILM_FIELDS)


class FilmListParams(Paging, CatalogueFilters, FilmShape):
    q: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="Title search, with the site's search engine (titles, people, synopsis).",
    )
    order: Literal[
        "title", "-title", "-year", "year", "-published_at", "published_at", "-rating", "rating"
    ] = Field(
        "title",
        description="title, year, published_at (the latest review's), rating (the average "
        "editorial rating of its reviews); a leading - for descending.",
    )


class PersonShape(Schema):
    fields: str | None = fields_param(PERSON_FIELDS)
    include: str | None = include_param(
        {"reviews"}, "Expand: reviews (published reviews of their films)."
    )


class PersonListParams(Paging, PersonShape):
    pass


class AuthorShape(Schema):
    fields: str | None = fields_param(AUTHOR_FIELDS)


class AuthorListParams(Paging, AuthorShape):
    pass


class GenreShape(Schema):
    fields: str | None = fields_param(GENRE_FIELDS)


class GenreListParams(Paging, GenreShape):
    pass


class TagShape(Schema):
    fields: str | None = fields_param(TAG_FIELDS)


class TagListParams(Paging, TagShape):
    pass


def names(value):
    """``fields=`` or ``include=`` as a set of names (empty: everything / nothing)."""
    return frozenset(value.split(",")) if value else frozenset()
