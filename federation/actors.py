"""
Our actors: the blog (``@reviews@host``, FEDERATION_BLOG_USERNAME) and each
author (``@<author-slug>@host``). An author whose slug is the blog's username
is reachable by the address of their actor, not by that handle: the blog keeps it.

Each actor's key pair is made the first time it is needed and kept in its
``LocalActor`` row; ``rotate_key()`` replaces it (``manage.py
rotate_federation_keys`` or the admin's action).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone

from core import links
from federation import keys
from federation.models import LocalActor
from people.models import AuthorProfile


def enabled():
    return settings.FEDERATION


def host():
    """The host (and port, if any) of the public site: the part after the @ of a handle."""
    return urlsplit(settings.SITE_URL).netloc


def username(actor):
    if actor.kind == LocalActor.Kind.BLOG:
        return settings.FEDERATION_BLOG_USERNAME
    return actor.author.slug


def handle(actor):
    return f"@{username(actor)}@{host()}"


def path(actor, view="actor"):
    """Our site path of ``actor``'s document (``view``: actor, inbox, outbox, followers)."""
    if actor.kind == LocalActor.Kind.BLOG:
        return links.url(f"federation:blog-{view}")
    return links.url(f"federation:author-{view}", actor.author.slug)


def actor_id(actor, view="actor"):
    return links.absolute(path(actor, view))


def key_id(actor):
    return actor_id(actor) + "#main-key"


def _create(**fields):
    private, public = keys.new_key_pair()
    try:
        with transaction.atomic():
            return LocalActor.objects.create(
                **fields,
                private_key_pem=private,
                public_key_pem=public,
                key_created_at=timezone.now(),
            )
    except IntegrityError:  # made at the same moment by another request
        return LocalActor.objects.select_related("author").get(**fields)


def blog_actor():
    actor = LocalActor.objects.filter(kind=LocalActor.Kind.BLOG).first()
    return actor or _create(kind=LocalActor.Kind.BLOG)


def author_actor(author):
    actor = LocalActor.objects.select_related("author").filter(author=author).first()
    return actor or _create(kind=LocalActor.Kind.AUTHOR, author=author)


def by_username(name):
    """The actor with handle ``@name@host``, or None."""
    name = (name or "").lower()
    if name == settings.FEDERATION_BLOG_USERNAME.lower():
        return blog_actor()
    author = AuthorProfile.objects.filter(slug=name).first()
    return author_actor(author) if author else None


def by_slug(slug):
    """The actor of the author with ``slug``, or None."""
    author = AuthorProfile.objects.filter(slug=slug).first()
    return author_actor(author) if author else None


def resolve_site_url(url):
    """Django's match for an address on this site (SITE_URL), or None."""
    if not isinstance(url, str) or not url.startswith(settings.SITE_URL + "/"):
        return None
    site_path = urlsplit(url[len(settings.SITE_URL) :]).path
    try:
        return resolve(site_path)
    except Resolver404:
        return None


def by_id(url):
    """Which of our actors ``url`` names (its id, or its profile page), or None."""
    match = resolve_site_url(url)
    if match is None:
        return None
    if match.view_name in {"federation:blog-actor", "reviews:home"}:
        return blog_actor()
    if match.view_name in {"federation:author-actor", "people:author-detail"}:
        return by_slug(match.kwargs["slug"])
    return None


def rotate_key(actor):
    """Give ``actor`` a new key pair; followers' servers fetch it again from the actor."""
    actor.private_key_pem, actor.public_key_pem = keys.new_key_pair()
    actor.key_created_at = timezone.now()
    actor.save(update_fields=["private_key_pem", "public_key_pem", "key_created_at"])
    return actor
