"""
Loading the demo catalogue (its content is in ``filmblog/demo_content.py``):
``load_demo()`` can run any number of times: rows are found by their natural
keys and only written when something differs. The posters and portraits are
drawn here.
"""

import posixpath
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from filmblog.demo_art import make_portrait, make_poster, make_still
from filmblog.demo_content import (
    AUTHOR,
    AUTHOR_USERNAME,
    DEMO_PASSWORD,
    DEMO_READER,
    EDITOR_USERNAME,
    FILMS,
    PEOPLE,
    REVIEWS,
)
from people.models import AuthorLink, AuthorProfile, Person
from reviews import reader_actions
from reviews.models import (
    Comment,
    Country,
    Credit,
    CriticQuote,
    Film,
    Genre,
    Rating,
    Release,
    Review,
)
from reviews.roles import sync_groups
from subscriptions import mail
from subscriptions.models import Subscriber


def _upsert(model, lookup, values):
    """Get or create a row by ``lookup``; save only the fields that differ."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
    return obj, False


def _ensure_image(obj, field_name, filename, make):
    """Draw the picture unless it is there; one named otherwise is from an older demo."""
    image_field = getattr(obj, field_name)
    stem = posixpath.splitext(filename)[0]
    if (
        image_field
        and posixpath.basename(image_field.name).startswith(stem)
        and image_field.storage.exists(image_field.name)
    ):
        return
    image_field.save(filename, ContentFile(make()), save=True)


def _ensure_user(username, *, email, superuser):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(username=username, email=email, password=DEMO_PASSWORD)
        if not superuser:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return user


def _genre(spec):
    if isinstance(spec, tuple):
        parent, name = spec
        parent_genre, _ = _upsert(Genre, {"name": parent, "parent": None}, {})
        genre, _ = _upsert(Genre, {"name": name, "parent": parent_genre}, {})
        return genre
    genre, _ = _upsert(Genre, {"name": spec, "parent": None}, {})
    return genre


def _reader_contributions(review):
    """
    One of each thing readers leave, so the moderation list, the reader rating
    and the subscribers' list have something to show: an approved comment, a
    rating from a reader's cookie id, and a confirmed subscriber.
    """
    created = 0
    comment, was_created = _upsert(
        Comment,
        {"review": review, "email": DEMO_READER["email"]},
        {"name": DEMO_READER["name"], "text": DEMO_READER["comment"]},
    )
    created += was_created
    if comment.status != Comment.Status.APPROVED:
        reader_actions.moderate(
            Comment.objects.filter(pk=comment.pk), status=Comment.Status.APPROVED, by=None
        )
    reader = reader_actions.Reader(reader_id=DEMO_READER["reader_id"])
    if not Rating.objects.filter(review=review, **reader.lookup()).exists():
        reader_actions.rate(review, reader=reader, value=Decimal(DEMO_READER["rating"]))
        created += 1
    if not Subscriber.objects.filter(email=DEMO_READER["email"]).exists():
        subscriber = Subscriber.objects.create(
            email=DEMO_READER["email"],
            name=DEMO_READER["name"],
            consent_at=timezone.now(),
            consent_version=mail.CONSENT_VERSION,
        )
        mail.confirm(subscriber=subscriber)
        created += 1
    return created


@transaction.atomic
def load_demo():
    """Load (or refresh) the demo catalogue. Returns a summary dict."""
    created = 0
    Country.objects.add_missing()  # they come with migrate, but not back after a flush

    editor = _ensure_user(EDITOR_USERNAME, email="editor@example.com", superuser=True)
    _upsert(AuthorProfile, {"user": editor}, {"display_name": "The Editors"})
    author_user = _ensure_user(AUTHOR_USERNAME, email="iris@example.com", superuser=False)
    # The groups come with migrate; sync again for a database that was flushed.
    editors, authors = sync_groups(Group, Permission)
    editor.groups.add(editors)
    author_user.groups.add(authors)
    profile_values = {k: v for k, v in AUTHOR.items() if k != "links"}
    author, was_created = _upsert(AuthorProfile, {"user": author_user}, profile_values)
    created += was_created
    for order, (label, url) in enumerate(AUTHOR["links"]):
        _upsert(AuthorLink, {"author": author, "url": url}, {"label": label, "order": order})
    _ensure_image(
        author, "photo", "iris-marchetti-portrait.png", lambda: make_portrait("Iris Marchetti")
    )

    people = {}
    for name, birth_year in PEOPLE.items():
        person, was_created = _upsert(Person, {"name": name}, {"birth_year": birth_year})
        created += was_created
        people[name] = person
    for name in ("Jacques Audiard", "Marion Cotillard", "Tahar Rahim"):
        _ensure_image(
            people[name],
            "photo",
            f"{people[name].slug}-portrait.png",
            lambda n=name: make_portrait(n),
        )

    films = {}
    for spec in FILMS:
        film, was_created = _upsert(
            Film,
            {"title": spec.title, "year": spec.year},
            {
                "original_title": spec.original_title,
                "original_language": spec.original_language,
                "runtime": spec.runtime,
                "certification": spec.certification,
                "synopsis": spec.synopsis,
            },
        )
        created += was_created
        films[spec.title] = film
        film.countries.set(Country.objects.filter(code__in=spec.countries))
        film.genres.set([_genre(g) for g in spec.genres])
        _ensure_image(
            film,
            "poster",
            f"{film.slug}-poster.jpg",
            lambda s=spec: make_poster(s),
        )
        for role, names in spec.crew.items():
            for order, name in enumerate(names):
                _upsert(
                    Credit,
                    {"film": film, "person": people[name], "role": role, "character": ""},
                    {"order": order},
                )
        for order, (name, character) in enumerate(spec.cast):
            _upsert(
                Credit,
                {"film": film, "person": people[name], "role": "cast", "character": character},
                {"order": order},
            )
        for code, date, kind, note in spec.releases:
            _upsert(
                Release,
                {
                    "film": film,
                    "country": Country.objects.get(code=code),
                    "date": date,
                    "kind": kind,
                },
                {"note": note},
            )

    film_specs = {spec.title: spec for spec in FILMS}
    for spec in REVIEWS:
        film = films[spec["film"]]
        alt, credit = spec["still"] or ("", "")
        review, was_created = _upsert(
            Review,
            {"film": film, "author": author, "headline": spec["headline"]},
            {
                "standfirst": spec["standfirst"],
                "body": spec["body"],
                "rating": Decimal(spec["rating"]),
                "status": Review.Status.PUBLISHED,
                "published_at": spec["published_at"],
                "featured": spec["featured"],
                "hero_image_alt": alt,
                "hero_image_credit": credit,
            },
        )
        created += was_created
        if spec["still"]:
            _ensure_image(
                review,
                "hero_image",
                f"{review.slug}-still.jpg",
                lambda f=film_specs[spec["film"]]: make_still(f),
            )
        if sorted(review.tags.names()) != sorted(spec["tags"]):
            review.tags.set(spec["tags"])
        for order, (quote, critic, publication) in enumerate(spec["quotes"]):
            _upsert(
                CriticQuote,
                {"review": review, "critic": critic},
                {"quote": quote, "publication": publication, "order": order},
            )

    created += _reader_contributions(Review.objects.get(headline=REVIEWS[0]["headline"]))
    return {
        "created": created,
        "films": len(films),
        "reviews": len(REVIEWS),
        "editor": EDITOR_USERNAME,
        "author": AUTHOR_USERNAME,
    }
