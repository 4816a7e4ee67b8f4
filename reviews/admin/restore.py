"""
Restoring a version of a review from the desk: a confirmation page that says
what comes back (the words) and what stays (status, publish time, address),
with a choice to bring those back too; then reviews.revisions.restore().
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from reversion.models import Version

from reviews import policy, revisions


class RestoreForm(forms.Form):
    """Two choices, both off: the words come back, the review stays where it is."""

    with_state = forms.BooleanField(required=False)
    with_address = forms.BooleanField(required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        state, address = plan["state"], plan["address"]
        if state["differs"]:
            leaves = state["public_now"] and not state["public_then"]
            self.fields["with_state"].label = (
                f"Also bring back its status and publish time ({state['then']})"
                + (": the review would leave the site" if leaves else "")
            )
        else:
            del self.fields["with_state"]
        if address["differs"] and address["free"]:
            self.fields["with_address"].label = (
                f"Also bring back its address, {address['then']} "
                f"({address['now']} would then lead there)"
            )
        else:
            del self.fields["with_address"]


class RestoreMixin:
    """The review admin's revision page: a confirmation, then the restore."""

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if not policy.can_edit_any(request.user):
            raise PermissionDenied
        review = self.get_object(request, unquote(object_id))
        if review is None:
            raise Http404("No such review.")
        versions = Version.objects.get_for_object(review).select_related("revision__user")
        version = get_object_or_404(versions, pk=version_id)
        plan = revisions.restore_plan(review, version)
        form = RestoreForm(request.POST if request.method == "POST" else None, plan=plan)
        if request.method == "POST" and form.is_valid():
            state = form.cleaned_data.get("with_state", False)
            address = form.cleaned_data.get("with_address", False)
            revisions.restore(review, version, by=request.user, state=state, address=address)
            self.message_user(request, self._restored_message(review, version), messages.SUCCESS)
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(
                reverse("admin:{}_{}_change".format(*info), args=[review.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": review,
            "version": version,
            "plan": plan,
            "form": form,
            "title": f"Restore an earlier version of “{review}”",
            "nothing_to_restore": not (
                plan["content"] or plan["tags_change"] or plan["quotes_change"]
            ),
        }
        return TemplateResponse(request, "admin/reviews/review/restore_confirm.html", context)

    def _restored_message(self, review, version):
        saved = revisions.when(version.revision.date_created)
        review.refresh_from_db()
        where = review.get_absolute_url()
        if review.is_public:
            now = f"It is live at {where}."
        else:
            now = f"It is {review.get_status_now_display().lower()}; its address is {where}."
        return f"Restored the words of the version saved {saved}. {now}"
