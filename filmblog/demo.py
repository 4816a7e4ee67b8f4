"""
Loading the demo catalogue (its content is in ``filmblog/demo_content.py``).

``load_demo()`` can run any number of times and never overwrites what someone
changed: it creates what is missing and leaves every row that is already there
as it is, with everything hanging off it (an existing film keeps its credits,
an author her bio, photo, favourites and links, a review its words and tags).
Rows are found by their natural keys. Pictures are drawn only for rows created
now, or where a row still names the demo's own file and that file is gone; no
file is ever deleted. It returns what it created and what it left, by kind.
"""

import posixpath
from collections import Counter
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from filmblog.demo_art import (
    BODY_STILL_FOCUS,
    make_body_still,
    make_portrait,
    make_poster,
    make_still,
)
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
    Picture,
    Rating,
    Release,
    Review,
)
from reviews.roles import sync_groups
from subscriptions import mail
from subscriptions.models import Subscriber


class Tally:
    """What a load created and what it left as it was, by kind of row."""

    def __init__(self):
        self.created = Counter()
        self.left = Counter()

    def ensure(self, model, lookup, defaults=None):
        """The row found by ``lookup``, created with ``defaults`` if missing; never changed."""
        obj = model._default_manager.filter(**lookup).first()
        label = model._meta.verbose_name_plural
        if obj is not None:
            self.left[label] += 1
            return obj, False
        self.created[label] += 1
        return model._default_manager.create(**lookup, **(defaults or {})), True


def _ensure_image(obj, field_name, filename, make, *, created):
    """
    Draw the demo's picture for a row created now, or where the row still names
    the demo's own file and the file is gone (a media folder wiped since). A
    picture someone chose (or removed) is theirs; nothing is deleted.
    """
    image_field = getattr(obj, field_name)
    stem = posixpath.splitext(filename)[0]
    if not created:
        ours = image_field and posixpath.basename(image_field.name).startswith(stem)
        if not ours or image_field.storage.exists(image_field.name):
            return
    image_field.save(filename, ContentFile(make()), save=True)


def _ensure_user(tally, username, *, email, superuser):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        tally.left["users"] += 1
        return user, False
    create = User.objects.create_superuser if superuser else User.objects.create_user
    user = create(username=username, email=email, password=DEMO_PASSWORD)
    if not superuser:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    tally.created["users"] += 1
    return user, True


def _genre(tally, spec):
    if isinstance(spec, tuple):
        parent, name = spec
        parent_genre, _ = tally.ensure(Genre, {"name": parent, "parent": None})
        genre, _ = tally.ensure(Genre, {"name": name, "parent": parent_genre})
        return genre
    genre, _ = tally.ensure(Genre, {"name": spec, "parent": None})
    return genre


def _reader_contributions(tally, review):
    """
    One of each thing readers leave, so the moderation list, the reader rating
    and the subscribers' list have something to show: an approved comment, a
    rating from a reader's cookie id, and a confirmed subscriber. Each only if
    missing: a comment an editor has since rejected stays rejected.
    """
    comment, created = tally.ensure(
        Comment,
        {"review": review, "email": DEMO_READER["email"]},
        {"name": DEMO_READER["name"], "text": DEMO_READER["comment"]},
    )
    if created:
        reader_actions.moderate(
            Comment.objects.filter(pk=comment.pk), status=Comment.Status.APPROVED, by=None
        )
    reader = reader_actions.Reader(reader_id=DEMO_READER["reader_id"])
    if Rating.objects.filter(review=review, **reader.lookup()).exists():
        tally.left["ratings"] += 1
    else:
        reader_actions.rate(review, reader=reader, value=Decimal(DEMO_READER["rating"]))
        tally.created["ratings"] += 1
    if Subscriber.objects.filter(email=DEMO_READER["email"]).exists():
        tally.left["subscribers"] += 1
    else:
        subscriber = Subscriber.objects.create(
            email=DEMO_READER["email"],
            name=DEMO_READER["name"],
            consent_at=timezone.now(),
            consent_version=mail.CONSENT_VERSION,
        )
        mail.confirm(subscriber=subscriber)
        tally.created["subscribers"] += 1


def _author(tally):
    editor, _ = _ensure_user(tally, EDITOR_USERNAME, email="editor@example.com", superuser=True)
    tally.ensure(AuthorProfile, {"user": editor}, {"display_name": "The Editors"})
    author_user, _ = _ensure_user(
        tally, AUTHOR_USERNAME, email="iris@example.com", superuser=False
    )
    # The groups come with migrate; sync again for a database that was flushed.
    editors, authors = sync_groups(Group, Permission)
    if not editor.groups.exists():
        editor.groups.add(editors)
    if not author_user.groups.exists():
        author_user.groups.add(authors)
    profile_values = {k: v for k, v in AUTHOR.items() if k != "links"}
    author, created = tally.ensure(AuthorProfile, {"user": author_user}, profile_values)
    if created:
        for order, (label, url) in enumerate(AUTHOR["links"]):
            tally.ensure(
                AuthorLink, {"author": author, "url": url}, {"label": label, "order": order}
            )
    _ensure_image(
        author,
        "photo",
        "iris-marchetti-portrait.png",
        lambda: make_portrait("Iris Marchetti"),
        created=created,
    )
    return author


def _people(tally):
    people, created_now = {}, set()
    for name, birth_year in PEOPLE.items():
        person, created = tally.ensure(Person, {"name": name}, {"birth_year": birth_year})
        people[name] = person
        if created:
            created_now.add(name)
    for name in ("Jacques Audiard", "Marion Cotillard", "Tahar Rahim"):
        _ensure_image(
            people[name],
            "photo",
            f"{people[name].slug}-portrait.png",
            lambda n=name: make_portrait(n),
            created=name in created_now,
        )
    return people


def _film(tally, spec, people):
    """The demo film, with its countries, genres, poster, credits and releases if it is new."""
    film, created = tally.ensure(
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
    _ensure_image(
        film, "poster", f"{film.slug}-poster.jpg", lambda: make_poster(spec), created=created
    )
    if not created:
        return film
    film.countries.set(Country.objects.filter(code__in=spec.countries))
    film.genres.set([_genre(tally, g) for g in spec.genres])
    for role, names in spec.crew.items():
        for order, name in enumerate(names):
            tally.ensure(
                Credit,
                {"film": film, "person": people[name], "role": role, "character": ""},
                {"order": order},
            )
    for order, (name, character) in enumerate(spec.cast):
        tally.ensure(
            Credit,
            {"film": film, "person": people[name], "role": "cast", "character": character},
            {"order": order},
        )
    for code, date, kind, note in spec.releases:
        tally.ensure(
            Release,
            {"film": film, "country": Country.objects.get(code=code), "date": date, "kind": kind},
            {"note": note},
        )
    return film


def _body_still(tally, spec, film_spec):
    """The library picture a demo review shows in its text, its focal point on the subject."""
    alt, caption, credit = spec["body_still"]
    focus_x, focus_y = BODY_STILL_FOCUS
    picture, created = tally.ensure(
        Picture,
        {"alt": alt},
        {"caption": caption, "credit": credit, "image_focus_x": focus_x, "image_focus_y": focus_y},
    )
    _ensure_image(
        picture,
        "image",
        f"{film_spec.title.lower().replace(' ', '-')}-body-still.jpg",
        lambda: make_body_still(film_spec),
        created=created,
    )
    return picture


def _review(tally, spec, film, author, film_spec):
    """
    The demo review of ``film`` by ``author``, with its tags, quotes and still
    if it is new. Found by film and author, so a review whose headline an
    editor rewrote is still the demo's, not a reason to write a second one.
    """
    alt, credit = spec["still"] or ("", "")
    body = spec["body"]
    if spec.get("body_still"):
        body = body.replace("{picture}", str(_body_still(tally, spec, film_spec).pk))
    if spec.get("trailer"):
        body = body.replace("{trailer}", spec["trailer"])
    review, created = tally.ensure(
        Review,
        {"film": film, "author": author},
        {
            "headline": spec["headline"],
            "standfirst": spec["standfirst"],
            "body": body,
            "rating": Decimal(spec["rating"]),
            "status": Review.Status.PUBLISHED,
            "published_at": spec["published_at"],
            "featured": spec["featured"],
            "hero_image_alt": alt,
            "hero_image_credit": credit,
        },
    )
    if spec["still"]:
        _ensure_image(
            review,
            "hero_image",
            f"{review.slug}-still.jpg",
            lambda: make_still(film_spec),
            created=created,
        )
    if created:
        review.tags.set(spec["tags"])
        for order, (quote, critic, publication) in enumerate(spec["quotes"]):
            tally.ensure(
                CriticQuote,
                {"review": review, "critic": critic},
                {"quote": quote, "publication": publication, "order": order},
            )
    return review


@transaction.atomic
def load_demo():
    """
    Load the demo catalogue, or what is missing of it. Returns a summary: the
    rows ``created`` and ``left`` as they were (Counters by kind), and the logins.
    """
    tally = Tally()
    Country.objects.add_missing()  # they come with migrate, but not back after a flush
    author = _author(tally)
    people = _people(tally)
    films = {spec.title: _film(tally, spec, people) for spec in FILMS}
    film_specs = {spec.title: spec for spec in FILMS}
    reviews = [
        _review(tally, spec, films[spec["film"]], author, film_specs[spec["film"]])
        for spec in REVIEWS
    ]
    _reader_contributions(tally, reviews[0])
    return {
        "created": tally.created,
        "left": tally.left,
        "films": len(films),
        "reviews": len(reviews),
        "editor": EDITOR_USERNAME,
        "author": AUTHOR_USERNAME,
    }
