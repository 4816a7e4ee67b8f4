"""
The admin's autocomplete boxes, safe with any posted value.

Django's AutocompleteSelect looks up the posted values to show them again
when a form comes back with errors; a value that is not a key of the other
model ("abc" for a film) raises there, and the editor would get a server
error instead of the form and its message. These widgets show only the values
that can be keys; the form field still says "Select a valid choice".

Every ModelAdmin and inline with ``autocomplete_fields`` takes
SafeAutocompleteMixin first.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class _KeysOnly:
    def key_field(self):
        remote = self.field.remote_field.model._meta
        return remote.get_field(getattr(self.field.remote_field, "field_name", remote.pk.attname))

    def optgroups(self, name, value, attr=None):
        field = self.key_field()
        keys = []
        for choice in value:
            try:
                field.to_python(choice)
            except ValidationError:
                continue
            keys.append(choice)
        return super().optgroups(name, keys, attr)


class SafeAutocompleteSelect(_KeysOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_KeysOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For a ModelAdmin or an inline: its autocomplete boxes are the safe ones."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
