"""
The Jinja2 environment the site's templates (``templates/``) render with.

The public pages are rendered on every request the page cache misses, and
Jinja2 compiles a template to Python functions where Django's template
language walks a tree of nodes and resolves every variable by trial, several
times over. The admin keeps Django's templates (its own, and the overrides
under ``reviews/templates/admin/``).

What Django's built-in tags and our old template tags gave the templates is
here as globals and filters. Filters that Jinja2 also has are replaced by
Django's where the two disagree (``date``, ``striptags``, ``urlencode``,
``truncatewords``...), so a filter means what Django's documentation says.
"""

from decimal import Decimal
from types import SimpleNamespace

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from crispy_forms.utils import render_crispy_form
from django.template import defaultfilters, defaulttags
from django.templatetags.static import static
from django.utils import timezone
from jinja2 import ChainableUndefined, Environment, pass_context

from core.links import absolute, url
from core.renditions import rendition
from federation.forms import article_url, follow_box
from filmblog.structured_data import (
    author_json_ld,
    film_json_ld,
    person_json_ld,
    review_json_ld,
    review_list_json_ld,
)
from people.models import Person
from reviews.body_html import demote_headings, render_body
from reviews.models import Credit, Film
from reviews.reader_text import reader_text
from subscriptions.forms import SubscriberForm


def star_parts(rating):
    """
    Five stars filled to ``rating`` in halves, and the label screen readers
    say, for the ``stars`` macro; None when there is no rating.
    """
    if rating is None:
        return None
    halves = int(Decimal(rating) * 2)
    parts = ["full"] * (halves // 2) + ["half"] * (halves % 2)
    parts += ["empty"] * (5 - len(parts))
    value = Decimal(rating).normalize()
    return SimpleNamespace(parts=parts, label=f"{value:f} out of 5 stars")


def date(value, arg=None):
    """Django's ``date`` filter, in the site's time zone as Django's templates show it."""
    if value in (None, ""):
        return ""
    value = timezone.template_localtime(value)
    if arg == "c":
        # What Django's "c" writes, without its formatter: the review page has two.
        return value.isoformat()
    return defaultfilters.date(value, arg)


def linebreaks(value):
    """Django's ``linebreaks``: plain text, escaped, in paragraphs and line breaks."""
    return defaultfilters.linebreaks_filter(value, autoescape=True)


@pass_context
def querystring(context, **changes):
    """Django's ``{% querystring %}``: the request's query with ``changes`` (None removes)."""
    return defaulttags.querystring(SimpleNamespace(request=context["request"]), **changes)


def crispy(form):
    """
    ``{{ form|crispy }}``: the form as crispy-bootstrap5 lays it out, the one
    way every form of the site is shown, inside the ``<form>`` tag (and CSRF
    input) the template writes: its errors at the top, then each field with
    its label, its error and its help. A form with a ``helper`` (a
    FormHelper, ``form_tag = False``) is laid out by it; any other as its
    fields come, as crispy's ``|crispy`` filter does in Django's templates.
    """
    helper = getattr(form, "helper", None)
    if helper is not None:
        return render_crispy_form(form, helper=helper)
    return as_crispy_form(form)


def new_subscribe_form():
    """An empty sign-up form, so any page can show it without help from its view."""
    return SubscriberForm()


def film_titles():
    """
    Catalogue titles that the account page suggests for an author's favourite
    film (any other text is fine too). A global here because the account page
    lives in people, which never imports reviews.
    """
    return Film.objects.order_by("title").values_list("title", flat=True).distinct()


def director_names():
    """
    The names of the catalogue's directors, which the account page suggests for
    an author's favourite director: written so, the name links to their page.
    """
    directors = Person.objects.filter(credits__role=Credit.Role.DIRECTOR)
    return directors.order_by("name").values_list("name", flat=True).distinct()


def environment(**options):
    # As in Django's templates, a missing variable or attribute, however deep
    # (``page_obj.number`` on a page without pages), is empty and false.
    options["undefined"] = ChainableUndefined
    env = Environment(**options)
    env.globals.update(
        {
            "url": url,
            "static": static,
            "rendition": rendition,
            "star_parts": star_parts,
            "querystring": querystring,
            "new_subscribe_form": new_subscribe_form,
            "film_titles": film_titles,
            "director_names": director_names,
            "review_json_ld": review_json_ld,
            "film_json_ld": film_json_ld,
            "person_json_ld": person_json_ld,
            "author_json_ld": author_json_ld,
            "review_list_json_ld": review_list_json_ld,
            "fediverse_follow": follow_box,
            "fediverse_article": article_url,
        }
    )
    env.filters.update(
        {
            "absolute": absolute,
            "capfirst": defaultfilters.capfirst,
            "crispy": crispy,
            "date": date,
            "demote_headings": demote_headings,
            "render_body": render_body,
            "floatformat": defaultfilters.floatformat,
            "linebreaks": linebreaks,
            "pluralize": defaultfilters.pluralize,
            "reader_text": reader_text,
            "stringformat": defaultfilters.stringformat,
            "striptags": defaultfilters.striptags,
            "truncatechars": defaultfilters.truncatechars,
            "truncatewords": defaultfilters.truncatewords,
            "urlencode": defaultfilters.urlencode,
        }
    )
    return env
