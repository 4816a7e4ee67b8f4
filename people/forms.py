from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse_lazy

from core.fields import image_help_text
from core.ratelimit import client_ip, hit
from people.models import AuthorLink, AuthorProfile

# Sign-in attempts allowed in LOGIN_WINDOW seconds, per account and per address.
LOGIN_ATTEMPTS_PER_ACCOUNT = 10
LOGIN_ATTEMPTS_PER_ADDRESS = 30
LOGIN_WINDOW = 15 * 60


class AuthorProfileForm(forms.ModelForm):
    """What an author edits about themselves under /account/."""

    class Meta:
        model = AuthorProfile
        fields = [
            "display_name",
            "bio",
            "photo",
            "favourite_film",
            "favourite_director",
            "guilty_pleasure",
            "desk_emails",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 6}),
            # Plain text boxes; static/js/catalogue-suggest.js asks the catalogue
            # for a few matches as the author types (free text is fine too).
            "favourite_film": forms.TextInput(
                attrs={
                    "data-suggest-url": reverse_lazy("reviews:suggest-films"),
                    "autocomplete": "off",
                }
            ),
            "favourite_director": forms.TextInput(
                attrs={
                    "data-suggest-url": reverse_lazy("reviews:suggest-directors"),
                    "autocomplete": "off",
                }
            ),
        }
        help_texts = {
            "display_name": "The name readers see on your reviews and author page.",
            "bio": "A few lines about you, up to 2000 characters.",
            "photo": f"A square crop is made for the site. {image_help_text()}",
            "favourite_film": "Type a title: a film from the catalogue links to its page, "
            "and any other title is fine too.",
            "favourite_director": "Type a name: a director from the catalogue links to their "
            "page, and any other name is fine too.",
        }


AuthorLinkFormSet = forms.inlineformset_factory(
    AuthorProfile,
    AuthorLink,
    fields=["label", "url", "order"],
    extra=1,
    can_delete=True,
)


class PasswordResetRequestForm(PasswordResetForm):
    """
    Asks for a reset link and answers at once, in the same time whether or not
    the address belongs to an account: finding the account and mailing it are
    left to a task (people/tasks.py), which also limits how many mails one
    account gets.
    """

    def save(self, *, request, use_https=False, domain_override=None, **kwargs):
        from people.tasks import send_password_reset

        email = self.cleaned_data["email"]
        domain = domain_override or request.get_host()
        transaction.on_commit(
            lambda: send_password_reset.enqueue(email=email, domain=domain, use_https=use_https)
        )


class ThrottledLoginMixin:
    """
    Sign-in attempts are limited per account and per client address, right
    password or not, so that guessing a password takes years rather than
    minutes. The counters live in the shared cache, and let attempts through
    (and log it) when the cache is down.
    """

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()
        address = client_ip(self.request) if self.request is not None else ""
        over_account = hit(
            scope="login-account",
            ident=username,
            limit=LOGIN_ATTEMPTS_PER_ACCOUNT,
            window=LOGIN_WINDOW,
        )
        over_address = hit(
            scope="login-address",
            ident=address,
            limit=LOGIN_ATTEMPTS_PER_ADDRESS,
            window=LOGIN_WINDOW,
        )
        if over_account or over_address:
            raise ValidationError(
                "Too many sign-in attempts for this account or from your network. "
                "Wait %(minutes)s minutes and try again, or reset your password.",
                code="throttled",
                params={"minutes": LOGIN_WINDOW // 60},
            )
        return super().clean()


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
