"""
Autosave for the review form: nothing an editor types is lost to a closed tab
or an expired session.

While the form is open, static/js/review-autosave.js sends its fields every few
seconds (when they changed) to ``autosave_view``, which keeps them as one
``ReviewAutosave`` per user and review (one for the review being added). The
script also keeps a copy in the browser's localStorage until the server has
it: when the session has expired, the copy waits, and is sent once the editor
has signed in again. Reopening the form then offers "Restore your unsaved
changes from <time>" (or to discard them); restoring fills the form from the
autosave, and saving the review clears it.

An autosave is the writer's own: the view checks the same permissions as the
form (change for a review, add for a new one), the CSRF token, and that the
request comes from this site.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse, QueryDict
from django.urls import path, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST
from reversion.models import Revision

from core import dates
from core.security import request_origin_allowed
from reviews.models import Review, ReviewAutosave

# Fields the form posts that are not the review's words: the CSRF token, the
# buttons, and the script's own note of when the form was opened.
NOT_KEPT = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_move"}
OPENED_AT = "_autosave_opened_at"
# Never restored from an autosave: files cannot be, and the kept upload's token
# points at a file that may be gone.
NOT_RESTORED = {"hero_image", "hero_image_kept", "hero_image-clear"}


class AutosaveAdminMixin:
    """The autosave endpoint, the restore offer and the clearing on save, for ReviewAdmin."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.autosave_view)
        return [
            path("autosave/", view, name="{}_{}_autosave_add".format(*info)),
            path("<path:object_id>/autosave/", view, name="{}_{}_autosave".format(*info)),
            *super().get_urls(),
        ]

    def _autosave_url(self, obj):
        info = self.opts.app_label, self.opts.model_name
        if obj is None or obj.pk is None:
            return reverse("admin:{}_{}_autosave_add".format(*info))
        return reverse("admin:{}_{}_autosave".format(*info), args=[obj.pk])

    def _form_url(self, obj):
        info = self.opts.app_label, self.opts.model_name
        if obj is None:
            return reverse("admin:{}_{}_add".format(*info))
        return reverse("admin:{}_{}_change".format(*info), args=[obj.pk])

    def autosave_for(self, request, obj):
        """The user's autosave of ``obj`` (None: the review they are adding), if any."""
        return ReviewAutosave.objects.filter(user=request.user, review=obj).first()

    @staticmethod
    def _stale(request, review, opened_at):
        """
        Was the form these fields come from saved by this user since it was
        opened? Then they are in the review already (a copy the browser kept
        while the save went through), and keeping them would offer old words.
        """
        revisions = Revision.objects.filter(user=request.user, date_created__gt=opened_at)
        review_type = ContentType.objects.get_for_model(Review)
        revisions = revisions.filter(version__content_type=review_type)
        if review is not None:
            revisions = revisions.filter(version__object_id=str(review.pk))
        return revisions.exists()

    def autosave_view(self, request, object_id=None):
        """Keep (POST) or discard (POST with ``_autosave=discard``) the user's unsaved form."""
        return require_POST(self._autosave)(request, object_id)

    def _autosave(self, request, object_id):
        if not request_origin_allowed(request):
            raise PermissionDenied("The form was sent from another site.")
        review = None
        if object_id is not None:
            review = self.get_object(request, unquote(object_id))
            if review is None:
                raise Http404("No such review.")
            if not self.has_change_permission(request, review):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        if request.POST.get("_autosave") == "discard":
            ReviewAutosave.objects.filter(user=request.user, review=review).delete()
            self.message_user(request, "Your unsaved changes were discarded.", messages.INFO)
            return HttpResponseRedirect(self._form_url(review))
        opened_at = parse_datetime(request.POST.get(OPENED_AT, ""))
        if opened_at is None or timezone.is_naive(opened_at):
            return JsonResponse({"saved": False, "error": "The form's opening time is missing."})
        if self._stale(request, review, opened_at):
            return JsonResponse({"saved": False, "stale": True})
        fields = [
            [name, value]
            for name, values in request.POST.lists()
            if name not in NOT_KEPT and name != OPENED_AT
            for value in values
        ]
        version = request.POST.get("edit_version", "")
        base_version = int(version) if version.isascii() and version.isdigit() else None
        autosave, _ = ReviewAutosave.objects.update_or_create(
            user=request.user,
            review=review,
            defaults={"fields": fields, "base_version": base_version},
        )
        return JsonResponse(
            {
                "saved": True,
                "saved_at": dates.machine(autosave.saved_at),
                "saved_at_display": dates.time_of_day(autosave.saved_at),
            }
        )

    # --- The form --------------------------------------------------------

    def _restoring(self, request):
        return request.method == "GET" and request.GET.get("autosave") == "restore"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not self._restoring(request):
            return form
        autosave = self.autosave_for(request, obj)
        if autosave is None:
            return form
        restored = restored_initial(form, autosave)

        class RestoredForm(form):
            def __init__(self, *args, **kwargs):
                if not args and kwargs.get("data") is None:
                    kwargs["initial"] = {**(kwargs.get("initial") or {}), **restored}
                super().__init__(*args, **kwargs)

        RestoredForm.__name__ = form.__name__
        return RestoredForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        autosave = self.autosave_for(request, obj)
        context["autosave"] = {
            "url": self._autosave_url(obj),
            "opened_at": dates.machine(timezone.now()),
            "key": f"filmblog-autosave:{request.user.pk}:{obj.pk if obj else 'new'}",
            "pending": autosave,
            "pending_at": dates.date_and_time(autosave.saved_at) if autosave else "",
            "restoring": autosave is not None and self._restoring(request),
            "form_url": self._form_url(obj),
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Saved: the unsaved form is the review now.
        drafts = ReviewAutosave.objects.filter(user=request.user)
        drafts.filter(review=obj).delete()
        if not change:
            drafts.filter(review__isnull=True).delete()


def restored_initial(form_class, autosave):
    """The form's initial values from an autosave, read as the form would read a POST."""
    data = QueryDict(mutable=True)
    for name, value in autosave.fields:
        data.appendlist(name, value)
    initial = {}
    for name, field in form_class.base_fields.items():
        if name in NOT_RESTORED:
            continue
        if field.widget.value_omitted_from_data(data, MultiValueDict(), name):
            continue
        initial[name] = field.widget.value_from_datadict(data, MultiValueDict(), name)
    if "edit_version" in form_class.base_fields and autosave.base_version is not None:
        initial["edit_version"] = autosave.base_version
    return initial
