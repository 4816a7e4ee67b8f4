from django import template

from reviews.desk import sections_for

register = template.Library()


@register.simple_tag
def desk_sections(user):
    """The admin index's desk for ``user`` (see reviews/desk.py)."""
    return sections_for(user)
