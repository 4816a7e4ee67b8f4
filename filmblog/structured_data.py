"""
schema.org descriptions of reviews and films, for search engines (JSON-LD).

They read the same prefetched film as the page (FilmQuerySet.with_facts()), so
they cost no queries of their own.
"""

import json

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core import dates
from core.links import absolute
from core.renditions import rendition

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
        "dateCreated": dates.machine(min(r.date for r in releases))
        if releases
        else str(film.year),
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
    if film.meta_description or film.synopsis:
        data["description"] = film.meta_description or film.synopsis
    if film.certification and film.certification != "NR":
        data["contentRating"] = film.certification
    same_as = [address for _, address in film.external_links()]
    if same_as:
        data["sameAs"] = same_as
    image = rendition(film.social_image, "social") or rendition(film.poster, "poster")
    if image:
        data["image"] = absolute(image.url)
    return data


def review_data(review):
    movie = film_data(review.film)
    del movie["@context"]
    data = {
        "@context": "https://schema.org",
        "@type": "Review",
        "name": review.seo_title or review.headline,
        "url": absolute(review.get_absolute_url()),
        "datePublished": dates.machine(review.published_at) or None,
        "dateModified": dates.machine(review.updated_at) or None,
        "author": _person(review.author),
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL,
        },
        "itemReviewed": movie,
    }
    if review.meta_description or review.standfirst:
        data["description"] = review.meta_description or review.standfirst
    image = rendition(review.social_image, "social") or rendition(review.hero_image, "hero")
    if image:
        data["image"] = absolute(image.url)
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


def film_json_ld(film, reviews=()):
    """The film and its ``reviews`` as a ``<script type="application/ld+json">`` element."""
    return _json_ld(film_page_data(film, reviews))


def _reader_rating(reviews):
    """The readers' AggregateRating over ``reviews``, from their counters; None before a vote."""
    count = sum(review.rating_count for review in reviews)
    if not count:
        return None
    total = sum(review.rating_total for review in reviews)
    return {
        "@type": "AggregateRating",
        "ratingValue": f"{total / 2 / count:.1f}",
        "ratingCount": count,
        "bestRating": "5",
        "worstRating": "0.5",
    }


def film_page_data(film, reviews):
    """The film page's Movie, with its published ``reviews`` and their readers' rating."""
    data = film_data(film)
    if reviews:
        data["review"] = [
            {
                key: value
                for key, value in {
                    "@type": "Review",
                    "name": review.headline,
                    "url": absolute(review.get_absolute_url()),
                    "author": _person(review.author),
                    "datePublished": dates.machine(review.published_at),
                    "reviewRating": {
                        "@type": "Rating",
                        "ratingValue": f"{review.rating.normalize():f}",
                        "bestRating": "5",
                        "worstRating": "0",
                    }
                    if review.rating is not None
                    else None,
                }.items()
                if value is not None
            }
            for review in reviews
        ]
        rating = _reader_rating(reviews)
        if rating:
            data["aggregateRating"] = rating
    return data


def person_data(person):
    data = {"@context": "https://schema.org", **_person(person)}
    if person.bio:
        data["description"] = person.bio
    if person.birth_year:
        data["birthDate"] = str(person.birth_year)
    photo = rendition(person.photo, "portrait")
    if photo:
        data["image"] = absolute(photo.url)
    same_as = [address for _, address in person.external_links()]
    if same_as:
        data["sameAs"] = same_as
    return data


def author_data(author):
    """An author's page: a ProfilePage whose main entity is the Person."""
    person = _person(author)
    if author.bio:
        person["description"] = author.bio
    photo = rendition(author.photo, "portrait")
    if photo:
        person["image"] = absolute(photo.url)
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": absolute(author.get_absolute_url()),
        "mainEntity": person,
    }


def review_list_data(reviews):
    """The films of a list of reviews, as the ItemList a Movie carousel reads."""
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "url": absolute(review.get_absolute_url()),
                "item": {
                    "@type": "Movie",
                    "name": review.film.title,
                    "url": absolute(review.film.get_absolute_url()),
                    "dateCreated": str(review.film.year),
                    **(
                        {"image": absolute(poster.url)}
                        if (poster := rendition(review.film.poster, "poster"))
                        else {}
                    ),
                },
            }
            for position, review in enumerate(reviews, start=1)
        ],
    }


def person_json_ld(person):
    return _json_ld(person_data(person))


def author_json_ld(author):
    return _json_ld(author_data(author))


def review_list_json_ld(reviews):
    return _json_ld(review_list_data(reviews))
