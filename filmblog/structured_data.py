"""
schema.org descriptions of reviews and films, for search engines (JSON-LD).

They read the same prefetched film as the page (FilmQuerySet.with_facts()), so
they cost no queries of their own.
"""

import json

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from filmblog.links import absolute
from filmblog.renditions import rendition

# The characters json_script escapes, so a title cannot close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _person(person, url=None):
    return {
        "@type": "Person",
        "name": str(person),
        "url": absolute(url or person.get_absolute_url()),
    }


def film_data(film):
    releases = list(film.releases.all())
    data = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": film.title,
        "url": absolute(film.get_absolute_url()),
        "dateCreated": min(r.date for r in releases).isoformat() if releases else str(film.year),
        "director": [_person(p) for p in film.directors],
        "actor": [_person(credit.person) for credit in film.top_cast],
        "genre": [genre.name for genre in film.genres.all()],
        "countryOfOrigin": [
            {"@type": "Country", "name": country.name} for country in film.countries.all()
        ],
    }
    if film.aka:
        data["alternateName"] = film.aka
    if film.runtime:
        data["duration"] = f"PT{film.runtime}M"
    if film.synopsis:
        data["description"] = film.synopsis
    if film.certification and film.certification != "NR":
        data["contentRating"] = film.certification
    same_as = [address for _, address in film.external_links()]
    if same_as:
        data["sameAs"] = same_as
    poster = rendition(film.poster, "poster")
    if poster:
        data["image"] = absolute(poster.url)
    return data


def review_data(review):
    movie = film_data(review.film)
    del movie["@context"]
    data = {
        "@context": "https://schema.org",
        "@type": "Review",
        "name": review.headline,
        "url": absolute(review.get_absolute_url()),
        "datePublished": review.published_at.isoformat() if review.published_at else None,
        "dateModified": review.updated_at.isoformat() if review.updated_at else None,
        "author": _person(review.author),
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL,
        },
        "itemReviewed": movie,
    }
    if review.standfirst:
        data["description"] = review.standfirst
    if review.rating_count:
        # Readers' ratings, from the counters on the review (no rows are read).
        movie["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": f"{review.reader_rating_average.normalize():f}",
            "ratingCount": review.rating_count,
            "bestRating": "5",
            "worstRating": "0.5",
        }
    if review.rating is not None:
        data["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": f"{review.rating.normalize():f}",
            "bestRating": "5",
            "worstRating": "0",
        }
    return {key: value for key, value in data.items() if value is not None}


def _json_ld(data):
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def review_json_ld(review):
    """The review's description as a ``<script type="application/ld+json">`` element."""
    return _json_ld(review_data(review))


def film_json_ld(film):
    """The film's description as a ``<script type="application/ld+json">`` element."""
    return _json_ld(film_data(film))
