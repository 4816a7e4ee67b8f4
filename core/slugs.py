"""Slugs built from titles and names, unique within a model's table."""

from django.utils.text import slugify


def unique_slug(instance, *candidates, field="slug", max_length=None):
    """
    Return the first free slug among ``candidates`` (e.g. the title, then the
    title with its year), falling back to the first one with "-2", "-3", ...

    Accented text is folded to ASCII ("Stéphane" -> "stephane") so URLs stay
    readable everywhere; text with nothing left after folding falls back to the
    model name.
    """
    model = type(instance)
    max_length = max_length or model._meta.get_field(field).max_length
    others = (
        model._default_manager.exclude(pk=instance.pk)
        if instance.pk
        else (model._default_manager.all())
    )
    slugs = [slugify(str(c))[:max_length].strip("-") for c in candidates if c]
    slugs = [s for s in slugs if s] or [model._meta.model_name]
    for slug in slugs:
        if not others.filter(**{field: slug}).exists():
            return slug
    base = slugs[0]
    n = 2
    while True:
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        if not others.filter(**{field: slug}).exists():
            return slug
        n += 1
