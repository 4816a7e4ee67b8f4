"""
New people and genres from the film form itself, without a pop-up.

In a credit row's person box, or in the film's genres, typing a name the
catalogue does not have offers "Add <name>" (static/js/desk-new-entries.js).
The choice travels as ``new:<name>``; the form field turns it into a row,
after the same namesake check the importer makes: one person of that name is
that person, several are for the editor to pick from. A genre typed as
"Drama › Family drama" is a sub-genre of Drama.

The row is written while the form is checked, so that the film's own checks
see a real person or genre; FilmAdmin.changeform_view rolls the whole request
back when the form comes back with errors, so a new row exists only once the
film is saved.
"""

from django import forms
from django.core.exceptions import ValidationError

from core.autocomplete import SafeAutocompleteSelect, SafeAutocompleteSelectMultiple
from people.models import Person
from reviews.importing.matching import genre_for, person_candidates
from reviews.importing.records import PersonRecord
from reviews.models import Genre

NEW = "new:"
SUB_GENRE_SEPARATORS = ("›", ">")


def _typed(value):
    return " ".join(str(value)[len(NEW) :].split())


def _is_new(value):
    return isinstance(value, str) and value.startswith(NEW)


class _OffersNew:
    """An autocomplete widget that lets the editor add what it cannot find."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-allow-new"] = "true"
        return attrs

    def optgroups(self, name, value, attr=None):
        # A bound form that comes back with errors shows the typed names again.
        new = [choice for choice in value if _is_new(choice)]
        groups = super().optgroups(name, [v for v in value if not _is_new(v)], attr)
        options = groups[0][1]
        for choice in new:
            label = f"{_typed(choice)} (new)"
            options.append(self.create_option(name, choice, label, True, len(options)))
        return groups

    @property
    def media(self):
        return super().media + forms.Media(js=["js/desk-new-entries.js"])


class AutocompleteOrNew(_OffersNew, SafeAutocompleteSelect):
    pass


class AutocompleteManyOrNew(_OffersNew, SafeAutocompleteSelectMultiple):
    pass


class PersonOrNewField(forms.ModelChoiceField):
    """A credit's person: one from the catalogue, or a new one by name."""

    def to_python(self, value):
        if not _is_new(value):
            return super().to_python(value)
        name = _typed(value)[:200]
        if not name:
            raise ValidationError("Type the new person's name.")
        people = person_candidates(PersonRecord(name=name))
        if len(people) == 1:
            return people[0]
        if people:
            raise ValidationError(
                f"The catalogue has {len(people)} people called {name}: "
                "pick the right one from the list."
            )
        return Person.objects.create(name=name)


class GenresOrNewField(forms.ModelMultipleChoiceField):
    """A film's genres: ones the site has, and new ones by name."""

    def clean(self, value):
        values = list(value or [])
        typed = [_typed(choice) for choice in values if _is_new(choice)]
        chosen = list(super().clean([v for v in values if not _is_new(v)]))
        for name in filter(None, typed):
            genre = _genre(name[:100])
            if genre not in chosen:
                chosen.append(genre)
        if self.required and not chosen:
            raise ValidationError(self.error_messages["required"], code="required")
        return chosen


def _genre(name):
    """The genre called ``name``, or a new one (and its new parent, for "Parent › Child")."""
    for separator in SUB_GENRE_SEPARATORS:
        if separator in name:
            parent_name, child = (part.strip() for part in name.split(separator, 1))
            parent = genre_for(parent_name) or Genre.objects.create(name=parent_name)
            existing = parent.subgenres.filter(name__iexact=child).first()
            return existing or Genre.objects.create(name=child, parent=parent)
    return genre_for(name) or Genre.objects.create(name=name)
