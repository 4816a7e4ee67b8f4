from django import forms

from addresses import moves
from addresses.models import Redirect


def _site_path(value, what):
    value = value.strip()
    if not value:
        return value
    if not value.startswith("/") or value.startswith("//"):
        raise forms.ValidationError(
            f"The {what} is a path on this site, starting with one slash: /reviews/new-name/."
        )
    if any(c.isspace() for c in value):
        raise forms.ValidationError(f"The {what} cannot contain spaces.")
    return value


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["old_path", "new_path", "reason"]

    def clean_old_path(self):
        return _site_path(self.cleaned_data["old_path"], "old address")

    def clean_new_path(self):
        return _site_path(self.cleaned_data["new_path"], "new address")

    def clean(self):
        cleaned = super().clean()
        old, new = cleaned.get("old_path"), cleaned.get("new_path")
        if old and new and old.split("?")[0] == new.split("?")[0]:
            self.add_error("new_path", "The new address must differ from the old one.")
        elif old and new:
            onward = moves.where(new)
            if onward is not None and onward.new_path == old:
                self.add_error(
                    "new_path", f"{new} already leads to {old}: readers would go round in circles."
                )
        return cleaned
