"""
Form fields on public pages, written out in Python (``form_field(field)``
and ``form_errors(form)`` in the templates).

The review page shows two forms (comment, sign-up) on every view, and
rendering each field through crispy's Bootstrap templates and Django's widget
templates cost about a third of the page's server time. These functions write the
same markup crispy-bootstrap5 writes (so the same CSS applies and the same
accessible wiring: label ``for``, ``aria-describedby`` to the help and the
error, ``aria-invalid``) for the widgets those forms use: text-like inputs,
textareas and hidden inputs. Any other widget falls back to its own template.
The admin and account pages keep crispy.
"""

from django import forms
from markupsafe import Markup, escape

# MarkupSafe's escape() (in C, as Jinja2 uses it) on every value, in f-strings:
# the review page renders these fields on every view.


def _attributes(attrs):
    """Django's flatatt(): sorted ``key="value"`` pairs, then bare keys for True; no False/None."""
    pairs = sorted((k, v) for k, v in attrs.items() if not isinstance(v, bool) and v is not None)
    flags = sorted(k for k, v in attrs.items() if v is True)
    return "".join([f' {escape(k)}="{escape(v)}"' for k, v in pairs] + [f" {k}" for k in flags])


def _widget_html(field, extra_attrs):
    widget = field.field.widget
    attrs = field.build_widget_attrs({"id": field.auto_id, **extra_attrs}, widget)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    input_type = getattr(widget, "input_type", None)
    if isinstance(widget, forms.Textarea):
        name, attrs = escape(context["name"]), _attributes(context["attrs"])
        value = escape(context["value"] or "")
        return Markup(f'<textarea name="{name}"{attrs}>\n{value}</textarea>')
    if input_type in {"text", "email", "url", "search", "tel", "number", "password", "hidden"}:
        value = context["value"]
        value = f' value="{escape(value)}"' if value not in (None, "") else ""
        kind, name = escape(context["type"]), escape(context["name"])
        return Markup(f'<input type="{kind}" name="{name}"{value}{_attributes(context["attrs"])}>')
    return field.as_widget(attrs=extra_attrs)


def form_field(field):
    """One field: label, input, error and help, as crispy-bootstrap5 lays it out."""
    if field.is_hidden:
        return _widget_html(field, {})
    id_ = escape(field.auto_id)
    errors = field.errors
    widget_class = field.field.widget.attrs.get("class", "")
    extra = {"class": " ".join(c for c in (widget_class, "form-control") if c)}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if errors:
        extra["class"] += " is-invalid"
        extra["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_error")
    if described:
        extra["aria-describedby"] = " ".join(described)
    if field.field.required:
        label = f'<label for="{id_}" class="form-label requiredField">{escape(field.label)}'
        label += '<span class="asteriskField">*</span></label>'
    else:
        label = f'<label for="{id_}" class="form-label">{escape(field.label)}</label>'
    parts = [label, _widget_html(field, extra)]
    if errors:
        messages = "".join(
            f'<p id="error_{n}_{id_}"><strong>{escape(error)}</strong></p>'
            for n, error in enumerate(errors, start=1)
        )
        parts.append(f'<div id="{id_}_error" class="invalid-feedback">{messages}</div>')
    if field.help_text:
        parts.append(f'<div id="{id_}_helptext" class="form-text">{escape(field.help_text)}</div>')
    return Markup(f'<div id="div_{id_}" class="mb-3">{"".join(parts)}</div>')


def form_errors(form):
    """The errors that belong to no single field, or nothing."""
    errors = form.non_field_errors()
    if not errors:
        return ""
    items = "".join(f"<li>{escape(error)}</li>" for error in errors)
    alert = '<div class="alert alert-block alert-danger" role="alert">'
    return Markup(f'{alert}<ul class="m-0">{items}</ul></div>')
