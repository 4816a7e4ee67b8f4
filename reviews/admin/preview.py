"""
Live preview: the review form's current, unsaved state shown as the public
page, at a phone's width and a desktop's, beside each other.

The form and its critic quotes are saved inside a transaction that is always
rolled back, so the page is rendered by the very code readers get (tags,
quotes, facts box, More by) and nothing is kept: no row, no revision, no
mail, no purge (those wait for a commit that never comes). A newly chosen
hero image is not stored either; the preview shows the one already saved.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from reviews.models import Review
from reviews.views import render_review_page

# The two widths the preview shows, in CSS pixels.
WIDTHS = [("Phone", 390), ("Desktop", 1280)]


class LivePreviewMixin:
    """ReviewAdmin's ``live-preview/`` URL, where the change form's Preview button posts."""

    def live_preview_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "live-preview/",
                self.admin_site.admin_view(require_POST(self.live_preview_view)),
                name="{}_{}_live_preview".format(*info),
            )
        ]

    def live_preview_view(self, request):
        obj = None
        if request.GET.get("review"):
            obj = self.get_object(request, unquote(request.GET["review"]))
            if obj is None:
                raise Http404("No such review.")
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied

        form = self.get_form(request, obj, change=obj is not None)(
            request.POST, instance=obj or Review()
        )
        page, errors = None, []
        with transaction.atomic():
            if form.is_valid():
                review = form.save(commit=False)
                self.save_model(request, review, form, change=obj is not None)
                form.save_m2m()
                errors = self._save_quotes(request, review)
                if not errors:
                    shown = Review.objects.for_page().get(pk=review.pk)
                    page = render_review_page(request, shown, preview=True).content.decode()
            else:
                errors = [
                    f"{form.fields[name].label if name in form.fields else 'Form'}: {message}"
                    for name, messages in form.errors.items()
                    for message in messages
                ]
            transaction.set_rollback(True)

        response = TemplateResponse(
            request,
            "admin/reviews/review/live_preview.html",
            {
                **self.admin_site.each_context(request),
                "title": "Preview (not saved)",
                "opts": self.model._meta,
                "original": obj,
                "page": page,
                "errors": errors,
                "widths": WIDTHS,
            },
        )
        add_never_cache_headers(response)
        return response

    def _save_quotes(self, request, review):
        """Save the inline formsets (the critic quotes) as the form has them; their errors."""
        errors = []
        for formset_class, inline in self.get_formsets_with_inlines(request, review):
            formset = formset_class(
                data=request.POST,
                instance=review,
                prefix=formset_class.get_default_prefix(),
                queryset=inline.get_queryset(request),
            )
            if formset.is_valid():
                formset.save()
            else:
                errors.extend(
                    f"{inline.verbose_name_plural}: {message}"
                    for form_errors in formset.errors
                    for messages in form_errors.values()
                    for message in messages
                )
                errors.extend(str(message) for message in formset.non_form_errors())
        return errors
