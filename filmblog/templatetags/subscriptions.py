from django import template

from filmblog.forms import SubscriberForm

register = template.Library()


@register.simple_tag
def new_subscribe_form():
    """An empty sign-up form, so any page can show it without help from its view."""
    return SubscriberForm()
