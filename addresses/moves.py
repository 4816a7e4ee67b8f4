"""
Keeping every public address that ever worked: when a review, film, person,
author, genre or tag changes its slug, each of its public paths (its page, and
an author's or tag's feeds) answers 301 to the new one; when one is deleted,
410. Whatever saved it (the admin, the account page, an import, a script), the
model's save is the one place all of them pass, so the rows are written from
its signals.

Chains collapse as they are written: when B moves on to C, whatever led to B
leads straight to C, and a path that is live again leads nowhere.
"""

import urllib.parse
import weakref

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from addresses.models import Redirect
from core import links

# The public routes that take each model's slug.
ROUTES = {
    "reviews.Review": ["reviews:review-detail"],
    "reviews.Film": ["reviews:film-detail"],
    "reviews.Genre": ["reviews:genre-detail"],
    "people.Person": ["people:person-detail"],
    "people.AuthorProfile": ["people:author-detail", "feeds:author-rss", "feeds:author-atom"],
    "taggit.Tag": ["reviews:tag-detail", "feeds:tag-rss", "feeds:tag-atom"],
}


def paths(model, slug):
    """The public paths of the object of ``model`` with ``slug``, as request.path spells them."""
    return [urllib.parse.unquote(links.url(route, slug)) for route in ROUTES[model._meta.label]]


def moved(old_path, new_path, *, reason=""):
    """``old_path`` now lives at ``new_path``: 301 from it, and from whatever led to it."""
    if old_path == new_path:
        return
    with transaction.atomic():
        # The new path is live again: it is nobody's old address any more.
        Redirect.objects.filter(old_path=new_path).delete()
        for redirect in Redirect.objects.filter(new_path=old_path):
            redirect.new_path = new_path
            redirect.save(update_fields=["new_path", "updated_at"])
        Redirect.objects.update_or_create(
            old_path=old_path, defaults={"new_path": new_path, "reason": reason[:200]}
        )


def gone(path, *, reason=""):
    """``path`` is gone for good: 410 from it, and from whatever led to it."""
    with transaction.atomic():
        for redirect in Redirect.objects.filter(new_path=path):
            redirect.new_path = ""
            redirect.save(update_fields=["new_path", "updated_at"])
        Redirect.objects.update_or_create(
            old_path=path, defaults={"new_path": "", "reason": reason[:200]}
        )


def where(path):
    """The Redirect answering ``path``, or None: one indexed lookup."""
    return Redirect.objects.filter(old_path=path).only("new_path").first()


# --- The signals: the one place every save of a tracked model passes ---------

# The slug an instance being saved had in the database: {id: (weak ref, slug)}.
_before = {}


def _remember(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if stored and stored != instance.slug:
        _before[id(instance)] = (weakref.ref(instance), stored)


def _record(sender, instance, raw=False, **kwargs):
    ref, old_slug = _before.pop(id(instance), (None, None))
    # The id of a save that failed may be reused by another object: the ref tells.
    if raw or ref is None or ref() is not instance:
        return
    what = f"{sender._meta.verbose_name} “{instance}”"
    for old, new in zip(paths(sender, old_slug), paths(sender, instance.slug), strict=True):
        moved(old, new, reason=f"The address of {what} changed")


def _record_gone(sender, instance, **kwargs):
    if not instance.slug:
        return
    for path in paths(sender, instance.slug):
        gone(path, reason=f"{sender._meta.verbose_name} “{instance}” was deleted")


def connect():
    for label in ROUTES:
        model = apps.get_model(label)
        uid = f"addresses-{label}"
        pre_save.connect(_remember, sender=model, dispatch_uid=f"{uid}-before")
        post_save.connect(_record, sender=model, dispatch_uid=f"{uid}-after")
        post_delete.connect(_record_gone, sender=model, dispatch_uid=f"{uid}-gone")
