"""
The crispy HTML of a blank form, kept by each process.

crispy-bootstrap5 lays a form out with Django's template language, field by
field, and on the review page the three blank forms (rating, comment, sign-up)
cost about a fifth of a cold render, although their HTML is the same on every
request but for a value or two. A form that says so (``KeptBlankForm``) is laid
out once per process for each of its keys; later renders reuse that HTML, with
the values that change from one render to the next (``fresh_fields``: the
comment form's signed start time, the comment a reader replies to) put back in
their places.

What keeps it correct:

- Only blank (unbound) forms are kept: a form sent back with errors is always
  laid out afresh.
- The key holds everything the HTML of a blank form of that class depends on:
  its prefix, ids, label suffix, ``required`` attributes, the value of every
  field that is not fresh, and whether each fresh field has a value at all (an
  empty hidden input has no ``value`` attribute).
- A fresh value goes back only if it is made of characters HTML leaves alone
  (letters, digits and ``-_:.``), and its place was found exactly once, in its
  own input, when the HTML was first laid out; otherwise the form is laid out
  afresh every time.
- Nothing is kept with ``DEBUG`` on (a template edited during development shows
  at once), and a changed setting forgets everything.

A form opts in only if its blank HTML depends on nothing else: no per-instance
labels, choices or widgets.
"""

import re
import secrets

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.safestring import mark_safe

# Distinct keys are few (the rating form has one per star value); this bounds
# them anyway.
KEEP_MAX = 256
# Characters a fresh value may have to be put back as it is.
PLAIN_VALUE = re.compile(r"[A-Za-z0-9_:.\-]*")
# Stands for a fresh value in kept HTML: random, so no rendered text contains it.
_MARK = f"kept-{secrets.token_hex(8)}-"

_kept = {}


def _mark(name):
    return f"{_MARK}{name}{_MARK}"


class KeptBlankForm:
    """A form whose blank crispy HTML is kept per process (see the module's notes)."""

    # Fields whose value changes between renders, put back at each one.
    fresh_fields = ()


def forget(**kwargs):
    """Drop every kept layout (a setting changed, or a test wants a fresh start)."""
    _kept.clear()


setting_changed.connect(forget, dispatch_uid="core.formhtml.forget")


def _fresh_values(form):
    """The fresh fields' values as their widgets write them (None: no value attribute)."""
    values = {}
    for name in form.fresh_fields:
        bound = form[name]
        value = bound.field.widget.format_value(bound.value())
        if value is not None and not PLAIN_VALUE.fullmatch(str(value)):
            return None
        values[name] = None if value is None else str(value)
    return values


def _key(form, fresh):
    fixed = tuple((name, repr(form[name].value())) for name in form.fields if name not in fresh)
    return (
        type(form),
        form.prefix,
        form.auto_id,
        form.label_suffix,
        form.use_required_attribute,
        tuple((name, value is not None) for name, value in fresh.items()),
        fixed,
    )


def _with_marks(html, form, fresh):
    """``html`` with each fresh value replaced by its mark, or None if one is not found once."""
    for name, value in fresh.items():
        if value is None:
            continue
        place = f'name="{form[name].html_name}" value="{value}"'
        if html.count(place) != 1:
            return None
        html = html.replace(place, f'name="{form[name].html_name}" value="{_mark(name)}"')
    return html


def render_kept(form, render):
    """
    ``render(form)``, the form's crispy HTML, from this process's copy when the
    form is a blank ``KeptBlankForm`` already laid out with the same key.
    """
    if settings.DEBUG or form.is_bound or not isinstance(form, KeptBlankForm):
        return render(form)
    fresh = _fresh_values(form)
    if fresh is None:
        return render(form)
    key = _key(form, fresh)
    kept = _kept.get(key)
    if kept is None:
        html = render(form)
        marked = _with_marks(str(html), form, fresh)
        if marked is not None:
            if len(_kept) >= KEEP_MAX:
                _kept.clear()
            _kept[key] = marked
        return html
    for name, value in fresh.items():
        if value is not None:
            kept = kept.replace(_mark(name), value)
    # crispy's own HTML, with plain values (checked above) put back.
    return mark_safe(kept)
