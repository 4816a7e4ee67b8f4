"""
The Jinja2 environment the site's templates (``templates/``) render with.

The public pages are rendered on every request the page cache misses, and
Jinja2 compiles a template to Python functions where Django's template
language walks a tree of nodes and resolves every variable by trial, several
times over. The admin keeps Django's templates (its own, and the overrides
under ``reviews/templates/admin/``).

What Django's built-in tags and our old template tags gave the templates is
here as globals and filters. Filters that Jinja2 also has are replaced by
Django's where the two disagree (``striptags``, ``urlencode``,
``truncatewords``...), so a filter means what Django's documentation says.

Dates have one style, core/dates.py's, and three filters and no format
argument: ``date`` ("23 November 2012"), ``date_time`` ("23 November 2012,
15:29 UTC") and ``machine_time`` (for ``<time datetime>`` and meta tags).
"""

from decimal import Decimal
from types import SimpleNamespace

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from crispy_forms.utils import render_crispy_form
from django.template import defaultfilters, defaulttags
from django.templatetags.static import static
from jinja2 import ChainableUndefined, Environment, pass_context

from core import dates
from core.formhtml import render_kept
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
from reviews.body_html import demote_headings, render_body
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
    A blank form that allows it is laid out once per process (core/formhtml.py).
    """
    return render_kept(form, _crispy)


def _crispy(form):
    helper = getattr(form, "helper", None)
    if helper is not None:
        return render_crispy_form(form, helper=helper)
    return as_crispy_form(form)


def new_subscribe_form():
    """An empty sign-up form, so any page can show it without help from its view."""
    return SubscriberForm()


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
            "date": dates.long_date,
            "date_time": dates.date_and_time,
            "machine_time": dates.machine,
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
