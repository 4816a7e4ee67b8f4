from django.apps import AppConfig

# What a card of each shows: a credit's or a byline's name and link.
CARD_FIELDS = {"person": {"name", "slug"}, "author": {"display_name", "slug"}}


def pages_showing(model, instance, change):
    """
    The tags a change of a person, an author or an author's link purges (the
    vocabulary is in reviews/pagetags.py): ``person:<id>`` and ``author:<id>``
    for their own pages and author boxes, with ``:card`` when their name or
    address changed.
    """
    from core.pagecache import CATALOGUE_TAG, tag
    from people.models import AuthorLink, AuthorProfile, Person

    if model is AuthorLink:
        return {tag("author", instance.author_id), CATALOGUE_TAG}
    kind = {Person: "person", AuthorProfile: "author"}.get(model)
    if kind is None:
        return None
    tags = {tag(kind, instance.pk), CATALOGUE_TAG}
    if change.touches(CARD_FIELDS[kind]):
        tags.add(tag(kind, instance.pk, "card"))
    return tags


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "people"
    verbose_name = "People"

    def ready(self):
        from core import purges
        from people.models import AuthorProfile, Person

        # Names, bios, photos and links show on credits, bylines and author boxes.
        purges.expire_on_change("people", pages_showing, track=(Person, AuthorProfile))
