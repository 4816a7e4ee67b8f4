"""
The shapes of the API's answers, as the OpenAPI document describes them.

Every object has a stable ``id`` (its database key, never reused) and a
``slug``, and addresses are absolute. A property may be missing when the
client trimmed it with ``fields=``; the nested film and author gain their
details with ``include=film`` and ``include=author``.
"""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

# --- Small pieces ---------------------------------------------------------------


class Image(Schema):
    url: str = Field(description="The original picture's absolute address.")
    alt: str = Field("", description="What the picture shows.")
    credit: str = Field("", description="Who took or owns it.")


class ExternalIds(Schema):
    tmdb: int | None = None
    imdb: str | None = None
    wikidata: str | None = None


class TagRef(Schema):
    id: int
    slug: str
    name: str
    url: str = Field(description="The tag's archive page.")


class GenreRef(Schema):
    id: int
    slug: str
    name: str
    url: str


class GenreOut(GenreRef):
    parent: GenreRef | None = Field(description="The top genre of a sub-genre, or null.")


class CountryOut(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2.")
    name: str
    url: str


class ReleaseOut(Schema):
    date: date
    country: CountryOut
    kind: str
    note: str


class PersonRef(Schema):
    id: int
    slug: str
    name: str
    url: str


class FilmRef(Schema):
    id: int
    slug: str
    title: str
    year: int
    url: str


class FilmCredit(Schema):
    person: PersonRef
    role: str
    character: str
    billing: int = Field(description="Billing order: lower comes first.")


class PersonCredit(Schema):
    film: FilmRef
    role: str
    character: str
    billing: int


class ReviewRef(Schema):
    id: int
    slug: str
    headline: str
    rating: float | None
    published_at: datetime
    url: str


class AuthorLinkOut(Schema):
    label: str
    url: str


class ReaderRating(Schema):
    average: float | None = Field(description="In stars, to one decimal; null before a vote.")
    count: int


class CriticQuoteOut(Schema):
    quote: str
    critic: str
    publication: str
    url: str


# --- Resources ------------------------------------------------------------------


class FilmDetails(Schema):
    """A film's facts, shared by the films resource and ``include=film`` on a review."""

    original_title: str = ""
    original_language: str = ""
    runtime: int | None = Field(None, description="Minutes.")
    certification: str = ""
    synopsis: str = ""
    poster: Image | None = None
    genres: list[GenreOut] = []
    countries: list[CountryOut] = []
    releases: list[ReleaseOut] = []
    credits: list[FilmCredit] = []
    external_ids: ExternalIds | None = None


class ReviewFilm(FilmDetails, FilmRef):
    """The film of a review: its reference, and its facts with ``include=film``."""


class AuthorRef(Schema):
    id: int
    slug: str
    name: str
    url: str


class AuthorDetails(Schema):
    bio: str = ""
    photo: Image | None = None
    favourite_film: str = ""
    favourite_director: str = ""
    guilty_pleasure: str = ""
    links: list[AuthorLinkOut] = []


class ReviewAuthor(AuthorDetails, AuthorRef):
    """The author of a review: a reference, and the profile with ``include=author``."""


class ReviewOut(Schema):
    id: int
    slug: str = ""
    url: str = ""
    headline: str = ""
    standfirst: str = ""
    body_html: str = Field("", description="The review's body, sanitised HTML.")
    rating: float | None = Field(None, description="The editorial rating, 0 to 5 stars.")
    reader_rating: ReaderRating | None = None
    tags: list[TagRef] = []
    author: ReviewAuthor | None = None
    film: ReviewFilm | None = None
    critic_quotes: list[CriticQuoteOut] = []
    hero_image: Image | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None


class FilmHead(Schema):
    id: int
    slug: str = ""
    url: str = ""
    title: str = ""
    year: int = 0


class FilmOut(FilmDetails, FilmHead):
    reviews: list[ReviewRef] = Field([], description="Its published reviews, newest first.")
    updated_at: datetime | None = None


class PersonOut(Schema):
    id: int
    slug: str = ""
    url: str = ""
    name: str = ""
    bio: str = ""
    birth_year: int | None = None
    photo: Image | None = None
    external_ids: ExternalIds | None = None
    credits: list[PersonCredit] = []
    reviews: list[ReviewRef] = Field(
        [], description="With include=reviews: published reviews of their films, newest first."
    )
    updated_at: datetime | None = None


class AuthorHead(Schema):
    id: int
    slug: str = ""
    url: str = ""
    name: str = ""


class AuthorOut(AuthorDetails, AuthorHead):
    review_count: int = Field(0, description="Published reviews.")


class GenreResource(Schema):
    id: int
    slug: str = ""
    name: str = ""
    url: str = ""
    parent: GenreRef | None = Field(None, description="The top genre of a sub-genre, or null.")
    film_count: int = 0


class TagResource(Schema):
    id: int
    slug: str = ""
    name: str = ""
    url: str = Field("", description="The tag's archive page.")
    review_count: int = Field(0, description="Published reviews.")


# --- Envelopes ------------------------------------------------------------------


class Pagination(Schema):
    page: int
    limit: int
    pages: int
    total: int
    next: int | None = Field(description="The next page's number, or null on the last.")
    prev: int | None


class Meta(Schema):
    pagination: Pagination


class Error(Schema):
    status: int
    message: str
    parameter: str | None = Field(None, description="The query parameter at fault, if any.")


class Errors(Schema):
    errors: list[Error]


def envelopes(resource):
    """The list and single envelopes of ``resource``."""
    name = resource.__name__.removesuffix("Out").removesuffix("Resource")
    fields = {"data": list[resource], "meta": Meta}
    many = type(f"{name}List", (Schema,), {"__annotations__": fields})
    one = type(f"{name}Single", (Schema,), {"__annotations__": {"data": resource}})
    return many, one


ERRORS = {400: Errors, 401: Errors, 404: Errors, 429: Errors}
