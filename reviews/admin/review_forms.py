"""The review change form and the forms of its workflow moves (schedule, send back)."""

import os
import secrets

from django import forms
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse_lazy
from django.utils import timezone
from reversion.models import Version
from taggit.forms import TagWidget

from core import dates
from people.models import AuthorProfile
from reviews import policy
from reviews.forms import TagsField
from reviews.models import Review
from reviews.models.review import PUBLIC_STATUSES

MOVE_BUTTONS = {
    "submit": "Submit for review",
    "publish": "Publish now",
    "schedule": "Schedule",
    "send_back": "Send back with note",
    "unpublish": "Unpublish",
}
# What each button does beyond saving, for the help text under the buttons.
MOVE_HELP = {
    "submit": "“Submit for review” hands the review to the editors.",
    "publish": "“Publish now” puts it on the site at once.",
    "schedule": "“Schedule” uses the publish time above.",
    "send_back": "“Send back with note” returns it to its author with the note from the editor.",
    "unpublish": "“Unpublish” takes it off the site.",
}
MOVE_DONE = {
    "submit": "submitted for review",
    "publish": "published",
    "schedule": "scheduled",
    "send_back": "sent back to its author",
    "unpublish": "unpublished",
}


def workflow_help(moves):
    """The help text under the workflow buttons: only the buttons the user has."""
    if not moves:
        return ""
    return " ".join(["Each button saves your changes first.", *(MOVE_HELP[m] for m in moves)])


# A chosen image waits here while the editor fixes a form error (see full_clean).
KEPT_UPLOADS = "uploads/kept/"
KEPT_SIGNER = signing.Signer(salt="reviews.admin.kept-upload")


class ReviewAdminForm(forms.ModelForm):
    """
    The review form, with a hidden version number to catch conflicting edits and
    a hidden token for an image chosen before a validation error.

    A workflow button (``_move`` in the POST) is checked here too, so that its
    errors sit by the field that needs fixing. The admin sets ``desk_user``.
    """

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    hero_image_kept = forms.CharField(widget=forms.HiddenInput, required=False)
    desk_user = None
    tags = TagsField(
        required=False,
        widget=TagWidget(
            attrs={
                "data-suggest-url": reverse_lazy("admin:reviews_review_tag_suggestions"),
                "size": 80,
            }
        ),
    )

    class Meta:
        model = Review
        # The admin narrows this to the fields of its fieldsets.
        fields = [
            "film",
            "headline",
            "slug",
            "author",
            "standfirst",
            "body",
            "rating",
            "tags",
            "hero_image",
            "hero_image_focus_x",
            "hero_image_focus_y",
            "hero_image_alt",
            "published_at",
            "featured",
            "editor_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["edit_version"].initial = self.instance.version
        elif self.desk_user is not None and not policy.may_set_field(self.desk_user, "author"):
            # An author's new review is signed by them: the read-only byline says so.
            self.instance.author = AuthorProfile.objects.filter(
                user=self.desk_user
            ).first() or AuthorProfile(
                display_name=self.desk_user.get_full_name() or self.desk_user.get_username()
            )
        if "published_at" in self.fields:
            self.fields["published_at"].help_text = (
                f"{Review._meta.get_field('published_at').help_text} "
                f"In the site's time zone, {dates.site_time_zone()}."
            )
            # The split date and time boxes share one label; each needs its own name.
            date, time = self.fields["published_at"].widget.widgets
            date.attrs["aria-label"] = "Publish date"
            time.attrs["aria-label"] = "Publish time of day"
        if "unpublish_at" in self.fields:
            date, time = self.fields["unpublish_at"].widget.widgets
            date.attrs["aria-label"] = "Take-down date"
            time.attrs["aria-label"] = "Take-down time of day"

    @property
    def move(self):
        """The workflow button pressed, if any."""
        return self.data.get("_move") if self.is_bound else None

    def full_clean(self):
        super().full_clean()
        upload = self.files.get(self.add_prefix("hero_image"))
        if self._errors and upload is not None and "hero_image" not in self._errors:
            # The image itself was fine: keep it so the next try needs no new pick.
            folder = f"{KEPT_UPLOADS}{secrets.token_hex(8)}/"
            name = default_storage.save(folder + os.path.basename(upload.name), upload)
            self.data = self.data.copy()
            self.data[self.add_prefix("hero_image_kept")] = KEPT_SIGNER.sign(name)
        if self._errors and (kept := self._kept_name()):
            self.fields["hero_image"].help_text = (
                f"Kept from your last try: {os.path.basename(kept)}. "
                "Choose another file to replace it."
            )

    def _kept_name(self):
        token = self.data.get(self.add_prefix("hero_image_kept")) if self.is_bound else None
        if not token:
            return None
        try:
            name = KEPT_SIGNER.unsign(token)
        except signing.BadSignature:
            return None
        if not name.startswith(KEPT_UPLOADS) or not default_storage.exists(name):
            return None
        return name

    def clean(self):
        cleaned_data = super().clean()
        if "hero_image" in self.fields and self.add_prefix("hero_image") not in self.files:
            cleared = self.data.get(self.add_prefix("hero_image-clear"))
            if not cleared and (kept := self._kept_name()):
                cleaned_data["hero_image"] = File(
                    default_storage.open(kept), name=os.path.basename(kept)
                )
        self._clean_publishing(cleaned_data)
        if self.instance.pk is None:
            return cleaned_data
        stored = Review.objects.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            # The admin saves inside a transaction: lock the row so that two
            # saves arriving together are checked one after the other.
            stored = stored.select_for_update()
        current = stored.values_list("version", flat=True).first()
        if current is not None and cleaned_data.get("edit_version") != current:
            # The page now carries the newest version number: saving again is a
            # deliberate choice to replace the other person's changes.
            self.data = self.data.copy()
            self.data[self.add_prefix("edit_version")] = current
            raise forms.ValidationError(
                "%(who)s saved this review at %(when)s, while you were editing it. Your "
                "changes are kept below but were not saved. Open the history in another "
                "tab to see what changed, then save again to replace that version with "
                "yours.",
                code="edit_conflict",
                params=self._last_save(),
            )
        return cleaned_data

    def _last_save(self):
        """Who saved the stored review last and when, for the conflict message."""
        stored = Review.objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True)
        when = stored.first()
        version = (
            Version.objects.get_for_object(self.instance).select_related("revision__user").first()
        )
        user = version.revision.user if version is not None else None
        if user is None:
            who = "Someone else"
        elif self.desk_user is not None and user.pk == self.desk_user.pk:
            who = "You (in another window)"
        else:
            profile = AuthorProfile.objects.filter(user=user).values_list("display_name")
            who = (profile.first() or [""])[0] or user.get_full_name() or user.get_username()
        return {"who": who, "when": dates.date_and_time(when)}

    def _clean_publishing(self, cleaned_data):
        if self.move:
            if self.desk_user is None or self.move not in policy.allowed_moves(
                self.instance, self.desk_user
            ):
                raise forms.ValidationError(
                    f"This review is {self.instance.get_status_display().lower()}: "
                    "that move is not open to you now.",
                    code="move_not_allowed",
                )
            if self.move == "schedule" and "published_at" in self.fields:
                at = cleaned_data.get("published_at")
                if at is None:
                    self.add_error("published_at", "Pick the time the review should go public.")
                elif at <= timezone.now():
                    self.add_error("published_at", "Pick a time in the future.")
            note = cleaned_data.get("editor_note", "")
            if self.move == "send_back" and "editor_note" in self.fields and not note.strip():
                self.add_error("editor_note", "Say what the author should change.")
            if self.move != "schedule" and "published_at" in cleaned_data:
                # The button decides the publish time; the workflow function sets it.
                cleaned_data["published_at"] = self.instance.published_at
            return
        self._clean_publish_time(cleaned_data)

    def _clean_publish_time(self, cleaned_data):
        """
        The publish time of a live or scheduled review, changed without a
        button: it may be corrected, but not used to take the review off the
        site or to put it on; those are the buttons' work.
        """
        if "published_at" not in cleaned_data:
            return
        at = cleaned_data["published_at"]
        status = self.instance.status
        if at == self.instance.published_at or status not in PUBLIC_STATUSES:
            return
        if at is None:
            self.add_error(
                "published_at",
                "A published or scheduled review keeps a publish time. "
                "To take it off the site, use “Unpublish”.",
            )
        elif status == Review.Status.PUBLISHED and at > timezone.now():
            self.add_error(
                "published_at",
                "This review is live: a time in the future would hide it. "
                "To publish it later, use “Schedule”.",
            )
        elif status == Review.Status.SCHEDULED and at <= timezone.now():
            self.add_error(
                "published_at",
                "A scheduled review needs a time in the future. "
                "To put it on the site now, use “Publish now”.",
            )


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label="Publish at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text="In the site's time zone. The review appears by itself at this time.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].help_text = (
            f"In the site's time zone, {dates.site_time_zone()}. "
            "The review appears by itself at this time."
        )

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at <= timezone.now():
            raise forms.ValidationError("Pick a time in the future.")
        return at


class SendBackForm(forms.Form):
    note = forms.CharField(
        label="Note to the author",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        help_text="What should change before the review can be published.",
    )
