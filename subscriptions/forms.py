from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms

from core.formhtml import KeptBlankForm
from subscriptions.mail import CONSENT_TEXT, CONSENT_VERSION
from subscriptions.models import Subscriber, normalise_email


class SubscriberForm(KeptBlankForm, forms.Form):
    """
    The sign-up form. It never says whether an address is already known, so it
    is a plain form rather than a model form: the model's unique-address rule
    would answer "already on the list" to anyone who asked. The database still
    enforces it, and request_subscription() handles a known address quietly.
    """

    email = forms.EmailField(
        label="Your e-mail address",
        max_length=Subscriber._meta.get_field("email").max_length,
        help_text=CONSENT_TEXT,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@example.com"}),
    )
    name = forms.CharField(
        label="Your name (optional)",
        required=False,
        max_length=Subscriber._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    # A field people never see (hidden by CSS and from screen readers), but
    # form-filling bots do. Anything in it marks the submission as a bot's.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    consent_version = CONSENT_VERSION

    # Laid out by crispy inside the page's own <form>: the honeypot sits in a
    # box that site.css moves off screen and screen readers skip.
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(
        "email", "name", Div("website", css_class="subscribe-trap", aria_hidden="true")
    )

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
