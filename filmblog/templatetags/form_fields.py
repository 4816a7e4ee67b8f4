"""
Form fields on public pages, written out in Python.

The review page shows two forms (comment, sign-up) on every view, and
rendering each field through crispy's Bootstrap templates and Django's widget
templates cost about a third of the page's server time. These tags write the
same markup crispy-bootstrap5 writes (so the same CSS applies and the same
accessible wiring: label ``for``, ``aria-describedby`` to the help and the
error, ``aria-invalid``) for the widgets those forms use: text-like inputs,
textareas and hidden inputs. Any other widget falls back to its own template.
The admin and account pages keep crispy.
"""

from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _widget_html(field, extra_attrs):
    widget = field.field.widget
    attrs = field.build_widget_attrs({"id": field.auto_id, **extra_attrs}, widget)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    input_type = getattr(widget, "input_type", None)
    if isinstance(widget, forms.Textarea):
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            context["name"],
            flatatt(context["attrs"]),
            context["value"] or "",
        )
    if input_type in {"text", "email", "url", "search", "tel", "number", "password", "hidden"}:
        value = context["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            context["type"],
            context["name"],
            format_html(' value="{}"', value) if value not in (None, "") else "",
            flatatt(context["attrs"]),
        )
    return field.as_widget(attrs=extra_attrs)


@register.simple_tag
def form_field(field):
    """One field: label, input, error and help, as crispy-bootstrap5 lays it out."""
    if field.is_hidden:
        return _widget_html(field, {})
    id_ = field.auto_id
    errors = field.errors
    widget_class = field.field.widget.attrs.get("class", "")
    extra = {"class": " ".join(c for c in (widget_class, "form-control") if c)}
    described = []
    if field.help_text:
        described.append(f"{id_}_helptext")
    if errors:
        extra["class"] += " is-invalid"
        extra["aria-invalid"] = "true"
        described.append(f"{id_}_error")
    if described:
        extra["aria-describedby"] = " ".join(described)
    required = field.field.required
    parts = [
        format_html(
            '<label for="{}" class="form-label{}">{}{}</label>',
            id_,
            " requiredField" if required else "",
            field.label,
            mark_safe('<span class="asteriskField">*</span>') if required else "",
        ),
        _widget_html(field, extra),
    ]
    if errors:
        parts.append(
            format_html(
                '<div id="{}_error" class="invalid-feedback">{}</div>',
                id_,
                format_html_join(
                    "",
                    '<p id="error_{}_{}"><strong>{}</strong></p>',
                    ((n, id_, error) for n, error in enumerate(errors, start=1)),
                ),
            )
        )
    if field.help_text:
        parts.append(
            format_html(
                '<div id="{}_helptext" class="form-text">{}</div>',
                id_,
                conditional_escape(field.help_text),
            )
        )
    return format_html('<div id="div_{}" class="mb-3">{}</div>', id_, mark_safe("".join(parts)))


@register.simple_tag
def form_errors(form):
    """The errors that belong to no single field, or nothing."""
    errors = form.non_field_errors()
    if not errors:
        return ""
    return format_html(
        '<div class="alert alert-block alert-danger" role="alert"><ul class="m-0">{}</ul></div>',
        format_html_join("", "<li>{}</li>", ((error,) for error in errors)),
    )
