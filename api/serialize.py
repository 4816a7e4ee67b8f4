"""
Rows to the API's dictionaries (the shapes of api/schemas.py). Everything here
reads what api/queries.py loaded: no function runs a query of its own.
"""

from core import links


def address(obj):
    return links.absolute(obj.get_absolute_url())


def image(field, alt="", credit=""):
    if not field:
        return None
    return {"url": links.absolute(field.url), "alt": alt, "credit": credit}


def external_ids(obj):
    return {"tmdb": obj.tmdb_id, "imdb": obj.imdb_id or None, "wikidata": obj.wikidata_id or None}


def stars(value):
    return None if value is None else float(value)


def tag_ref(tag):
    return {
        "id": tag.pk,
        "slug": tag.slug,
        "name": tag.name,
        "url": links.absolute(links.url("reviews:tag-detail", tag.slug)),
    }


def genre_ref(genre):
    return {"id": genre.pk, "slug": genre.slug, "name": genre.name, "url": address(genre)}


def genre(genre):
    return {
        **genre_ref(genre),
        "parent": genre_ref(genre.parent) if genre.parent_id else None,
    }


def country(country):
    return {"code": str(country.code), "name": country.name, "url": address(country)}


def person_ref(person):
    return {"id": person.pk, "slug": person.slug, "name": person.name, "url": address(person)}


def film_ref(film):
    return {
        "id": film.pk,
        "slug": film.slug,
        "title": film.title,
        "year": film.year,
        "url": address(film),
    }


def review_ref(review):
    return {
        "id": review.pk,
        "slug": review.slug,
        "headline": review.headline,
        "rating": stars(review.rating),
        "published_at": review.published_at,
        "url": address(review),
    }


def film_details(film):
    """The facts of a film loaded with facts_prefetches()."""
    return {
        "original_title": film.original_title,
        "original_language": film.original_language,
        "runtime": film.runtime,
        "certification": film.certification,
        "synopsis": film.synopsis,
        "poster": image(film.poster, alt=f"Poster of {film.title}"),
        "genres": [genre(g) for g in film.genres.all()],
        "countries": [country(c) for c in film.countries.all()],
        "releases": [
            {
                "date": release.date,
                "country": country(release.country),
                "kind": release.kind,
                "note": release.note,
            }
            for release in film.releases.all()
        ],
        "credits": [
            {
                "person": person_ref(credit.person),
                "role": credit.role,
                "character": credit.character,
                "billing": credit.order,
            }
            for credit in film.credits.all()
        ],
        "external_ids": external_ids(film),
    }


def author_ref(author):
    return {
        "id": author.pk,
        "slug": author.slug,
        "name": author.display_name,
        "url": address(author),
    }


def author_details(author):
    """An author's public profile: never the login, e-mail or desk settings."""
    return {
        "bio": author.bio,
        "photo": image(author.photo, alt=author.display_name),
        "favourite_film": author.favourite_film,
        "favourite_director": author.favourite_director,
        "guilty_pleasure": author.guilty_pleasure,
        "links": [{"label": link.label, "url": link.url} for link in author.links.all()],
    }


def trimmed(item, fields):
    if not fields:
        return item
    return {key: value for key, value in item.items() if key == "id" or key in fields}


# --- Resources ------------------------------------------------------------------


def review(review, *, fields=(), include=()):
    wanted = (lambda name: name in fields) if fields else (lambda name: True)
    item = {
        "id": review.pk,
        "slug": review.slug,
        "url": address(review),
        "headline": review.headline,
        "standfirst": review.standfirst,
        "rating": stars(review.rating),
        "reader_rating": {
            "average": stars(review.reader_rating_average),
            "count": review.rating_count,
        },
        "hero_image": image(review.hero_image, review.hero_image_alt, review.hero_image_credit),
        "published_at": review.published_at,
        "updated_at": review.updated_at,
    }
    if wanted("body_html"):
        item["body_html"] = review.body
    if wanted("tags"):
        item["tags"] = [tag_ref(tag) for tag in review.tag_list]
    if wanted("author"):
        author = author_ref(review.author)
        if "author" in include:
            author.update(author_details(review.author))
        item["author"] = author
    if wanted("film"):
        film = film_ref(review.film)
        if "film" in include:
            film.update(film_details(review.film))
        item["film"] = film
    if wanted("critic_quotes"):
        item["critic_quotes"] = [
            {
                "quote": quote.quote,
                "critic": quote.critic,
                "publication": quote.publication,
                "url": quote.url,
            }
            for quote in review.quote_list
        ]
    return trimmed(item, fields)


def film(film, *, fields=(), include=()):
    item = {
        **film_ref(film),
        **film_details(film),
        "reviews": [review_ref(r) for r in film.public_reviews],
        "updated_at": film.updated_at,
    }
    return trimmed(item, fields)


def person(person, *, fields=(), include=()):
    item = {
        **person_ref(person),
        "bio": person.bio,
        "birth_year": person.birth_year,
        "photo": image(person.photo, alt=person.name),
        "external_ids": external_ids(person),
        "credits": [
            {
                "film": film_ref(credit.film),
                "role": credit.role,
                "character": credit.character,
                "billing": credit.order,
            }
            for credit in person.credits.all()
        ],
        "updated_at": person.updated_at,
    }
    if "reviews" in include:
        item["reviews"] = [review_ref(r) for r in person.public_reviews]
    return trimmed(item, fields)


def author(author, *, fields=(), include=()):
    item = {
        **author_ref(author),
        **author_details(author),
        "review_count": author.review_count,
    }
    return trimmed(item, fields)


def genre_resource(g, *, fields=(), include=()):
    return trimmed({**genre(g), "film_count": g.film_count}, fields)


def tag_resource(tag, *, fields=(), include=()):
    return trimmed({**tag_ref(tag), "review_count": tag.review_count}, fields)
