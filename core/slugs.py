"""
The one slug rule, for every path that makes one: a model's save() (the
admin, the account pages, scripts) calls ``unique_slug()``, and the importer,
which writes a thousand rows at a time, calls ``unique_slugs()``; both take
the model's own ``slug_candidates()`` and choose the same slug.

The rule: the first free slug among the candidates (the title, then the title
with its year), then the most specific candidate numbered: "-2", "-3", ... A
third "Crash" of 2004 is ``crash-2004-2``, never ``crash-2``, which reads as a
sequel. Accented text is folded to ASCII ("Stéphane" -> "stephane") so URLs
stay readable everywhere; text with nothing left after folding falls back to
the model name.
"""

import itertools

from django.db import connection
from django.utils.text import slugify

# Numbered options checked in one go by unique_slugs(); beyond them, one at a time.
BATCH_NUMBERS = 8


def _bases(model, candidates, max_length):
    bases = [slugify(str(c))[:max_length].strip("-") for c in candidates if c]
    bases = [b for b in bases if b] or [model._meta.model_name]
    return list(dict.fromkeys(bases))


def slug_options(model, candidates, *, field="slug"):
    """Every slug the rule would try, in order: the candidates, then the last one numbered."""
    max_length = model._meta.get_field(field).max_length
    bases = _bases(model, candidates, max_length)
    yield from bases
    for n in itertools.count(2):
        suffix = f"-{n}"
        yield f"{bases[-1][: max_length - len(suffix)].rstrip('-')}{suffix}"


def unique_slug(instance, *candidates, field="slug"):
    """The first of slug_options() that no other row of the instance's model has."""
    model = type(instance)
    others = model._default_manager.all()
    if instance.pk:
        others = others.exclude(pk=instance.pk)
    for slug in slug_options(model, candidates, field=field):
        if not others.filter(**{field: slug}).exists():
            return slug
    raise AssertionError("slug_options() never ends")


def unique_slugs(model, objects, *, field="slug"):
    """
    Give each new object of ``objects`` (unsaved, in order) the slug that
    unique_slug() would give it if they were saved one after another, with
    two or three queries for the whole batch: the slugs already taken among
    all their first options are read at once.
    """
    options = {
        id(obj): list(
            itertools.islice(
                slug_options(model, obj.slug_candidates(), field=field),
                len(obj.slug_candidates()) + BATCH_NUMBERS,
            )
        )
        for obj in objects
    }
    wanted = list({slug for slugs in options.values() for slug in slugs})
    taken = set()
    # Few round trips, within the database's limit on parameters.
    size = min(connection.features.max_query_params or 5000, 5000) - 10
    for start in range(0, len(wanted), size):
        taken.update(
            model._default_manager.filter(**{f"{field}__in": wanted[start : start + size]})
            .order_by()
            .values_list(field, flat=True)
        )
    for obj in objects:
        slug = next((s for s in options[id(obj)] if s not in taken), None)
        if slug is None:  # a crowded name: further numbers one query at a time
            slug = next(
                s
                for s in slug_options(model, obj.slug_candidates(), field=field)
                if s not in taken and not model._default_manager.filter(**{field: s}).exists()
            )
        setattr(obj, field, slug)
        taken.add(slug)
