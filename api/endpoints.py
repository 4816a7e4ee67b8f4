"""
The content API, version 1: read-only, published content only.

Each list answers ``{"data": [...], "meta": {"pagination": {...}}}`` and each
item ``{"data": {...}}``; the shapes are in api/schemas.py and the query
parameters in api/params.py. Keys, rate limits, CORS and caching happen
around these views, in api/middleware.py.
"""

import math

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse
from ninja import NinjaAPI, Path, Query
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import APIKeyQuery, HttpBearer

from api import keys, params, queries, serialize
from api.errors import error_response, validation_errors
from api.schemas import (
    ERRORS,
    AuthorOut,
    FilmOut,
    GenreResource,
    PersonOut,
    ReviewOut,
    TagResource,
    envelopes,
)
from core import links
from core.pagecache import CATALOGUE_TAG, tag

ID = Path(..., ge=1, le=2**63 - 1, description="The stable id.")


def slug_path(example):
    return Path(
        ...,
        pattern=params.SLUG,
        max_length=220,
        description="The address slug (it may change; the id does not).",
        examples=[example],
    )


# ApiMiddleware has checked the key already; ninja's schemes are for the
# OpenAPI document, and fall back to the check where the middleware is absent.
def checked_key(request, key):
    return getattr(request, "api_key", None) or keys.authenticate(key)


class BearerKey(HttpBearer):
    def authenticate(self, request, token):
        return checked_key(request, token)


class QueryKey(APIKeyQuery):
    param_name = "key"

    def authenticate(self, request, key):
        return checked_key(request, key)


api = NinjaAPI(
    title="filmblog content API",
    version="1",
    description="Published reviews, films, people, authors, genres and tags, read-only. "
    "Send a key as `Authorization: Bearer <key>` or `?key=<key>`.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs/",
    auth=[BearerKey(), QueryKey()],
)


@api.exception_handler(ValidationError)
def bad_parameter(request, exc):
    return validation_errors(exc)


@api.exception_handler(Http404)
def not_found(request, exc):
    return error_response(404, str(exc) or "Not found.")


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    return error_response(
        401, "A valid API key is required.", headers={"WWW-Authenticate": "Bearer"}
    )


def answer(payload):
    """
    The answer as JSON, serialised here: the dictionaries already have the
    documented shape (api/serialize.py), and validating each one again with
    pydantic cost more than the queries. The suite and scripts/api-contract.sh
    check the answers against the OpenAPI document instead.
    """
    return JsonResponse(payload, encoder=DjangoJSONEncoder)


def each(serialize_one, rows, **shape):
    """``serialize_one(row, **shape)`` for each row, reading the site's routes once for all."""
    with links.same_routing():
        return [serialize_one(row, **shape) for row in rows]


def cache_tags(request, *tags):
    """What the response depends on, for api/middleware.py's cache."""
    request.api_cache_tags = (CATALOGUE_TAG, *dict.fromkeys(tags))


def page_of(queryset, paging):
    total = queryset.count()
    pages = max(1, math.ceil(total / paging.limit))
    start = (paging.page - 1) * paging.limit
    rows = list(queryset[start : start + paging.limit]) if start < total else []
    return rows, {
        "pagination": {
            "page": paging.page,
            "limit": paging.limit,
            "pages": pages,
            "total": total,
            "next": paging.page + 1 if paging.page < pages else None,
            "prev": paging.page - 1 if paging.page > 1 else None,
        }
    }


def one(queryset, what, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        by = "id" if "pk" in lookup else next(iter(lookup))
        raise Http404(f"No {what} with this {by}.")
    return found


# --- Reviews ----------------------------------------------------------------------

ReviewList, ReviewSingle = envelopes(ReviewOut)


def _review_items(request, rows, shape):
    fields, include = params.names(shape.fields), params.names(shape.include)
    if not fields or "tags" in fields:
        queries.attach_tags(rows)
    if not fields or "critic_quotes" in fields:
        queries.attach_quotes(rows)
    # The reader rating on each comes with its review's page: its tag expires both.
    cache_tags(request, *(tag("review", review.pk, "readers") for review in rows))
    return each(serialize.review, rows, fields=fields, include=include)


@api.get(
    "/reviews/",
    response={200: ReviewList, **ERRORS},
    exclude_unset=True,
    tags=["reviews"],
    summary="Published reviews",
)
def list_reviews(request, filters: Query[params.ReviewListParams]):
    fields, include = params.names(filters.fields), params.names(filters.include)
    reviews = queries.load_reviews(queries.review_list(filters), fields=fields, include=include)
    rows, meta = page_of(reviews, filters)
    return answer({"data": _review_items(request, rows, filters), "meta": meta})


def _review(request, shape, **lookup):
    fields, include = params.names(shape.fields), params.names(shape.include)
    reviews = queries.load_reviews(queries.published(), fields=fields, include=include)
    review = one(reviews, "published review", **lookup)
    return answer({"data": _review_items(request, [review], shape)[0]})


@api.get(
    "/reviews/{review_id}/",
    response={200: ReviewSingle, **ERRORS},
    exclude_unset=True,
    tags=["reviews"],
    summary="A published review by id",
)
def get_review(request, shape: Query[params.ReviewShape], review_id: int = ID):
    return _review(request, shape, pk=review_id)


@api.get(
    "/reviews/slug/{slug}/",
    response={200: ReviewSingle, **ERRORS},
    exclude_unset=True,
    tags=["reviews"],
    summary="A published review by slug",
)
def get_review_by_slug(
    request,
    shape: Query[params.ReviewShape],
    slug: str = slug_path("a-prophet-an-education-behind-bars"),
):
    return _review(request, shape, slug=slug)


# --- Films --------------------------------------------------------------------------

FilmList, FilmSingle = envelopes(FilmOut)


@api.get(
    "/films/",
    response={200: FilmList, **ERRORS},
    exclude_unset=True,
    tags=["films"],
    summary="Films, with their facts, credits and published reviews",
)
def list_films(request, filters: Query[params.FilmListParams]):
    rows, meta = page_of(queries.load_films(queries.film_list(filters)), filters)
    fields = params.names(filters.fields)
    cache_tags(request)
    return answer({"data": each(serialize.film, rows, fields=fields), "meta": meta})


def _film(request, shape, **lookup):
    film = one(queries.load_films(queries.films()), "film", **lookup)
    cache_tags(request)
    return answer({"data": serialize.film(film, fields=params.names(shape.fields))})


@api.get(
    "/films/{film_id}/",
    response={200: FilmSingle, **ERRORS},
    exclude_unset=True,
    tags=["films"],
    summary="A film by id",
)
def get_film(request, shape: Query[params.FilmShape], film_id: int = ID):
    return _film(request, shape, pk=film_id)


@api.get(
    "/films/slug/{slug}/",
    response={200: FilmSingle, **ERRORS},
    exclude_unset=True,
    tags=["films"],
    summary="A film by slug",
)
def get_film_by_slug(request, shape: Query[params.FilmShape], slug: str = slug_path("a-prophet")):
    return _film(request, shape, slug=slug)


# --- People ---------------------------------------------------------------------------

PersonList, PersonSingle = envelopes(PersonOut)


def _people_items(request, rows, shape):
    fields, include = params.names(shape.fields), params.names(shape.include)
    if "reviews" in include:
        queries.attach_reviews(rows)
    cache_tags(request)
    return each(serialize.person, rows, fields=fields, include=include)


@api.get(
    "/people/",
    response={200: PersonList, **ERRORS},
    exclude_unset=True,
    tags=["people"],
    summary="People credited on films, with their credits",
)
def list_people(request, filters: Query[params.PersonListParams]):
    rows, meta = page_of(queries.load_people(queries.people()), filters)
    return answer({"data": _people_items(request, rows, filters), "meta": meta})


def _person(request, shape, **lookup):
    person = one(queries.load_people(queries.people()), "person", **lookup)
    return answer({"data": _people_items(request, [person], shape)[0]})


@api.get(
    "/people/{person_id}/",
    response={200: PersonSingle, **ERRORS},
    exclude_unset=True,
    tags=["people"],
    summary="A person by id",
)
def get_person(request, shape: Query[params.PersonShape], person_id: int = ID):
    return _person(request, shape, pk=person_id)


@api.get(
    "/people/slug/{slug}/",
    response={200: PersonSingle, **ERRORS},
    exclude_unset=True,
    tags=["people"],
    summary="A person by slug",
)
def get_person_by_slug(
    request, shape: Query[params.PersonShape], slug: str = slug_path("jacques-audiard")
):
    return _person(request, shape, slug=slug)


# --- Authors, genres, tags ----------------------------------------------------------------

AuthorList, AuthorSingle = envelopes(AuthorOut)
GenreList, GenreSingle = envelopes(GenreResource)
TagList, TagSingle = envelopes(TagResource)


def _simple_list(request, queryset, filters, serialize_one):
    rows, meta = page_of(queryset, filters)
    fields = params.names(filters.fields)
    cache_tags(request)
    return answer({"data": each(serialize_one, rows, fields=fields), "meta": meta})


def _simple_one(request, queryset, shape, serialize_one, what, **lookup):
    found = one(queryset, what, **lookup)
    cache_tags(request)
    return answer({"data": serialize_one(found, fields=params.names(shape.fields))})


@api.get(
    "/authors/",
    response={200: AuthorList, **ERRORS},
    exclude_unset=True,
    tags=["authors"],
    summary="The site's authors: public profiles",
)
def list_authors(request, filters: Query[params.AuthorListParams]):
    return _simple_list(request, queries.authors(), filters, serialize.author)


@api.get(
    "/authors/{author_id}/",
    response={200: AuthorSingle, **ERRORS},
    exclude_unset=True,
    tags=["authors"],
    summary="An author by id",
)
def get_author(request, shape: Query[params.AuthorShape], author_id: int = ID):
    return _simple_one(request, queries.authors(), shape, serialize.author, "author", pk=author_id)


@api.get(
    "/authors/slug/{slug}/",
    response={200: AuthorSingle, **ERRORS},
    exclude_unset=True,
    tags=["authors"],
    summary="An author by slug",
)
def get_author_by_slug(
    request, shape: Query[params.AuthorShape], slug: str = slug_path("iris-marchetti")
):
    return _simple_one(request, queries.authors(), shape, serialize.author, "author", slug=slug)


@api.get(
    "/genres/",
    response={200: GenreList, **ERRORS},
    exclude_unset=True,
    tags=["genres"],
    summary="Genres and sub-genres",
)
def list_genres(request, filters: Query[params.GenreListParams]):
    return _simple_list(request, queries.genres(), filters, serialize.genre_resource)


@api.get(
    "/genres/{genre_id}/",
    response={200: GenreSingle, **ERRORS},
    exclude_unset=True,
    tags=["genres"],
    summary="A genre by id",
)
def get_genre(request, shape: Query[params.GenreShape], genre_id: int = ID):
    return _simple_one(
        request, queries.genres(), shape, serialize.genre_resource, "genre", pk=genre_id
    )


@api.get(
    "/tags/",
    response={200: TagList, **ERRORS},
    exclude_unset=True,
    tags=["tags"],
    summary="Tags of published reviews",
)
def list_tags(request, filters: Query[params.TagListParams]):
    return _simple_list(request, queries.tags(), filters, serialize.tag_resource)


@api.get(
    "/tags/{tag_id}/",
    response={200: TagSingle, **ERRORS},
    exclude_unset=True,
    tags=["tags"],
    summary="A tag by id",
)
def get_tag(request, shape: Query[params.TagShape], tag_id: int = ID):
    return _simple_one(request, queries.tags(), shape, serialize.tag_resource, "tag", pk=tag_id)
