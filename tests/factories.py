"""Plain factory functions: keyword arguments in, saved model instances out."""

import io
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from people.models import AuthorProfile, Person
from reviews.models import (
    Comment,
    Country,
    Credit,
    CriticQuote,
    Film,
    Genre,
    Release,
    Review,
)

_seq = itertools.count(1)


def make_user(*, username=None, password="pw", **kwargs):
    username = username or f"user{next(_seq)}"
    kwargs.setdefault("email", f"{username}@example.com")
    return get_user_model().objects.create_user(username=username, password=password, **kwargs)


def make_author(*, display_name=None, user=None, **kwargs):
    n = next(_seq)
    return AuthorProfile.objects.create(
        user=user or make_user(is_staff=True),
        display_name=display_name or f"Author {n}",
        **kwargs,
    )


def make_person(*, name=None, **kwargs):
    return Person.objects.create(name=name or f"Person {next(_seq)}", **kwargs)


def make_genre(*, name=None, parent=None, **kwargs):
    return Genre.objects.create(name=name or f"Genre {next(_seq)}", parent=parent, **kwargs)


def country(code):
    return Country.objects.get(code=code)


def make_film(*, title=None, year=2012, countries=(), genres=(), **kwargs):
    film = Film.objects.create(title=title or f"Film {next(_seq)}", year=year, **kwargs)
    if countries:
        film.countries.set([country(c) if isinstance(c, str) else c for c in countries])
    if genres:
        film.genres.set(genres)
    return film


def make_credit(*, film=None, person=None, role=Credit.Role.DIRECTOR, **kwargs):
    return Credit.objects.create(
        film=film or make_film(), person=person or make_person(), role=role, **kwargs
    )


def make_release(*, film=None, country_code="US", date=None, kind="wide", **kwargs):
    return Release.objects.create(
        film=film or make_film(),
        country=country(country_code),
        date=date or timezone.now().date(),
        kind=kind,
        **kwargs,
    )


def make_review(
    *, film=None, author=None, headline=None, status="published", published_at=None, **kwargs
):
    if published_at is None and status in ("published", "scheduled"):
        published_at = timezone.now() - timezone.timedelta(hours=1)
    kwargs.setdefault("rating", Decimal("3.5"))
    return Review.objects.create(
        film=film or make_film(),
        author=author or make_author(),
        headline=headline or f"Review {next(_seq)}",
        status=status,
        published_at=published_at,
        **kwargs,
    )


def make_quote(*, review=None, film=None, **kwargs):
    kwargs.setdefault("quote", "A film worth the trip.")
    kwargs.setdefault("critic", "Ada Critic")
    kwargs.setdefault("publication", "The Invented Gazette")
    if review is None and film is None:
        review = make_review()
    return CriticQuote.objects.create(review=review, film=film, **kwargs)


def image_file(name="picture.png", size=(40, 30), fmt="PNG"):
    """An uploaded-file object holding a real, small image."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 50, 50)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def _groups():
    from django.contrib.auth.models import Group, Permission

    from reviews.roles import sync_groups

    # The groups come from a data migration; a flushed (transactional) test
    # database has lost them, so make sure they are there.
    return sync_groups(Group, Permission)


def make_editor(**kwargs):
    """A staff user in the Editors group, with an author profile."""
    editors, _ = _groups()
    user = make_user(is_staff=True, **kwargs)
    user.groups.add(editors)
    make_author(user=user, display_name=f"Editor {user.username}")
    return user


def make_writer(**kwargs):
    """A staff user in the Authors group, with an author profile (``user.author_profile``)."""
    _, authors = _groups()
    user = make_user(is_staff=True, **kwargs)
    user.groups.add(authors)
    make_author(user=user, display_name=f"Writer {user.username}")
    return user


def make_comment(*, review=None, status="approved", name="Reader", text="Loved it.", **kwargs):
    """A comment as if a reader posted it and an editor moderated it; counts kept right."""
    from reviews.reader_actions import recount_comments

    kwargs.setdefault("email", f"reader{next(_seq)}@example.com")
    comment = Comment.objects.create(
        review=review or make_review(), status=status, name=name, text=text, **kwargs
    )
    recount_comments([comment.review_id])
    return comment
