from django import forms

from people.images import image_help_text
from people.models import AuthorLink, AuthorProfile


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
            # The page offers catalogue titles in a <datalist>; free text is fine too.
            "favourite_film": forms.TextInput(attrs={"list": "film-titles"}),
        }
        help_texts = {
            "display_name": "The name readers see on your reviews and author page.",
            "bio": "A few lines about you, up to 2000 characters.",
            "photo": f"A square crop is made for the site. {image_help_text()}",
            "favourite_film": "Pick one from the catalogue or type any title.",
        }


AuthorLinkFormSet = forms.inlineformset_factory(
    AuthorProfile,
    AuthorLink,
    fields=["label", "url", "order"],
    extra=1,
    can_delete=True,
)
