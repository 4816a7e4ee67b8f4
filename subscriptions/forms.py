from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from subscriptions.mail import CONSENT_TEXT, CONSENT_VERSION
from subscriptions.models import Subscriber, normalise_email


class SubscriberForm(forms.ModelForm):
    """
    The sign-up form. It never says whether an address is already known: the
    uniqueness check is left to `request_subscription`, which handles a known
    address quietly.
    """

    # A field people never see (hidden by CSS and from screen readers), but
    # form-filling bots do. Anything in it marks the submission as a bot's.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Subscriber
        fields = ["email", "name"]
        labels = {"email": "Your e-mail address", "name": "Your name (optional)"}
        help_texts = {"email": CONSENT_TEXT}
        widgets = {
            "email": forms.EmailInput(
                attrs={"autocomplete": "email", "placeholder": "you@example.com"}
            ),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    consent_version = CONSENT_VERSION

    def __init__(self, *args, **kwargs):
        # The review page also carries the comment form, whose fields share these
        # names: ids of its own keep each label tied to its own field.
        kwargs.setdefault("auto_id", "id_subscribe_%s")
        super().__init__(*args, **kwargs)

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if any(ord(char) < 32 or ord(char) == 127 for char in self.cleaned_data["name"]):
            raise forms.ValidationError("Please use letters and spaces only in your name.")
        return name

    def is_bot(self):
        return bool(self.cleaned_data.get("website"))

    def _post_clean(self):
        # The model's unique-address constraint would answer "already on the
        # list", telling anyone who is subscribed. Drop that one error: the
        # database still enforces uniqueness, and request_subscription() handles
        # a known address quietly.
        super()._post_clean()
        errors = self._errors.get(NON_FIELD_ERRORS)
        if errors:
            kept = [error for error in errors.as_data() if error.code != "email_taken"]
            if kept:
                self._errors[NON_FIELD_ERRORS] = self.error_class(
                    kept, error_class="nonfield", renderer=self.renderer
                )
            else:
                del self._errors[NON_FIELD_ERRORS]
