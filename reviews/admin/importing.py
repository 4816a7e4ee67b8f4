"""
Import from a film database, on the film list and the film form.

The editor searches a title (and year), picks a candidate and lands on the
filled change form. When the import needs a decision (a namesake to confirm, a
genre the site lacks, a fact on which the source and the site disagree) a page
asks for it first. Nothing is published: the film is a catalogue record.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from reviews.importing import loader
from reviews.importing import sources as importing_sources
from reviews.importing.sources import HOW_TO_TURN_ON, SourceError


class ImportSearchForm(forms.Form):
    source = forms.ChoiceField(choices=[])
    title = forms.CharField(max_length=200)
    year = forms.IntegerField(min_value=1870, max_value=2100, required=False)

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(source.name, source.label) for source in sources]


class DecisionsForm(forms.Form):
    """The editor's answers to what an import could not decide alone."""

    def __init__(self, plan, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        for match in plan.people:
            if match.candidates and not match.person:
                choices = [(str(person.pk), _describe(person)) for person in match.candidates] + [
                    (loader.NEW, f"Someone else: add {match.record.name} as a new person")
                ]
                born = f", born {match.record.birth_year}" if match.record.birth_year else ""
                self.fields[f"person-{match.key}"] = forms.ChoiceField(
                    label=f"{match.record.name}{born} is…",
                    choices=choices,
                    widget=forms.RadioSelect,
                )
        if plan.unknown_genres:
            self.fields["create_genres"] = forms.MultipleChoiceField(
                label="Genres the site does not have yet: create",
                choices=[(name, name) for name in plan.unknown_genres],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text="Unticked genres are left out; pick an existing one on the form.",
            )
        if plan.conflicts:
            self.fields["accept"] = forms.MultipleChoiceField(
                label="Where the source disagrees with the site, take the source's value for",
                choices=[
                    (c.field, f"{c.label}: {_short(c.site)} → {_short(c.source)}")
                    for c in plan.conflicts
                ],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text="Unticked facts keep the site's value: the site settles the facts.",
            )

    def decisions(self):
        data = self.cleaned_data
        return {
            "choices": {
                match.key: data[f"person-{match.key}"]
                for match in self.plan.people
                if f"person-{match.key}" in data
            },
            "create_genres": data.get("create_genres", []),
            "accept": data.get("accept", []),
        }


def _describe(person):
    parts = [person.name]
    if person.birth_year:
        parts.append(f"born {person.birth_year}")
    films = [str(credit.film) for credit in person.credits.select_related("film")[:3]]
    if films:
        parts.append(f"credited on {', '.join(films)}")
    return "The person already here: " + ", ".join(parts)


def _short(value):
    text = str(value)
    return text if len(text) <= 60 else f"{text[:57]}…"


class FilmImportMixin:
    """Adds the import pages to FilmAdmin."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_search_view), name="reviews_film_import"),
            path(
                "import/<str:source>/<str:key>/",
                view(self.import_film_view),
                name="reviews_film_import_film",
            ),
            *super().get_urls(),
        ]

    def _import_context(self, request, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "import_sources": importing_sources.available(),
            "how_to_turn_on": HOW_TO_TURN_ON,
            **context,
        }

    def import_search_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        sources = importing_sources.available()
        form = ImportSearchForm(request.GET or None, sources=sources)
        candidates = []
        if sources and form.is_valid():
            try:
                source = importing_sources.get(form.cleaned_data["source"])
                candidates = source.search(form.cleaned_data["title"], form.cleaned_data["year"])
            except SourceError as error:
                messages.error(request, str(error))
            else:
                if not candidates:
                    messages.warning(
                        request, "No film matches that search; try another spelling or no year."
                    )
        context = self._import_context(
            request, title="Import a film", search_form=form, candidates=candidates
        )
        return TemplateResponse(request, "admin/reviews/film/import_search.html", context)

    def import_film_view(self, request, source, key):
        if not self.has_add_permission(request):
            raise PermissionDenied
        back = reverse("admin:reviews_film_import")
        try:
            source = importing_sources.get(source)
            record = source.film(key)
            plan = loader.plan(record, source)
        except SourceError as error:
            messages.error(request, str(error))
            return redirect(back)
        if plan.film is not None and not self.has_change_permission(request, plan.film):
            raise PermissionDenied
        confirming = request.method == "POST" and "confirm" in request.POST
        form = DecisionsForm(plan, request.POST if confirming else None)
        if request.method == "POST" and (
            (confirming and form.is_valid()) or not (plan.needs_decisions or plan.film)
        ):
            decisions = form.decisions() if confirming else {}
            return self._apply(request, source, plan, decisions)
        context = self._import_context(
            request,
            title=f"Import {record.title} ({record.year}) from {source.label}",
            plan=plan,
            record=record,
            source=source,
            form=form,
        )
        return TemplateResponse(request, "admin/reviews/film/import_confirm.html", context)

    def _apply(self, request, source, plan, decisions):
        warnings = []
        poster = None
        if plan.record.poster_url and not (plan.film and plan.film.poster):
            try:
                poster = source.poster(plan.record.poster_url)
            except SourceError as error:
                warnings.append(f"The poster could not be fetched: {error}")
        result = loader.apply(plan, poster=poster, **decisions)
        film = result.film
        if result.created:
            self.log_addition(request, film, [{"added": {}}])
            summary = (
                f"{film} was imported from {source.label} with {result.credits_added} credits"
            )
        else:
            self.log_change(request, film, [{"changed": {"fields": result.filled}}])
            changed = ", ".join(result.filled) or "no facts"
            summary = (
                f"{film} was refreshed from {source.label}: {changed} filled or changed, "
                f"{result.credits_added} credits added"
            )
        if result.people_created:
            summary += f" ({result.people_created} new people)"
        messages.success(request, f"{summary}. Check it and save; nothing is published.")
        for warning in warnings + result.warnings:
            messages.warning(request, warning)
        return redirect(reverse("admin:reviews_film_change", args=[quote(film.pk)]))

    def refresh_url(self, film):
        """Where the change form's "Refresh from …" link goes, or None."""
        for source in importing_sources.available():
            key = getattr(film, source.id_field)
            if key:
                return source.label, reverse(
                    "admin:reviews_film_import_film", args=[source.name, key]
                )
        return None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "import_sources": importing_sources.available(),
            "how_to_turn_on": HOW_TO_TURN_ON,
        }
        if object_id:
            film = self.get_object(request, object_id)
            if film is not None:
                extra_context["refresh"] = self.refresh_url(film)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "import_sources": importing_sources.available()}
        return super().changelist_view(request, extra_context)
