"""
A film record from a source, written into the catalogue.

``plan()`` reads the catalogue and says what an import would do: the film it
refreshes (matched by external id), each person's match or candidates, the
genres the site does not have and, for a film already here, the facts on which
the source and the site disagree. ``apply()`` writes it in one transaction,
with the editor's decisions: it fills what is empty, adds what is missing,
changes a differing fact only when the editor accepted it, and never removes
anything.
"""

import io
import os
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from core.fields import check_image_upload
from people.models import Person
from reviews.importing import matching
from reviews.models import Country, Credit, Film, Genre, Release

# The film's own facts, as the conflicts list names them.
FACTS = {
    "title": "Title",
    "original_title": "Original title",
    "year": "Year",
    "runtime": "Runtime (minutes)",
    "synopsis": "Synopsis",
    "certification": "Certification",
}
NEW = "new"


@dataclass
class PersonMatch:
    record: object  # records.PersonRecord
    person: Person | None = None  # matched by an external id
    candidates: list = field(default_factory=list)  # same name, for the editor to confirm

    @property
    def key(self):
        return self.record.key


@dataclass
class Conflict:
    field: str
    label: str
    site: object
    source: object


@dataclass
class Plan:
    record: object  # records.FilmRecord
    film: Film | None
    people: list
    unknown_genres: list
    conflicts: list

    @property
    def needs_decisions(self):
        return bool(
            self.unknown_genres
            or self.conflicts
            or any(match.candidates and not match.person for match in self.people)
        )


@dataclass
class Result:
    film: Film
    created: bool
    filled: list = field(default_factory=list)  # field labels filled or changed
    credits_added: int = 0
    people_created: int = 0
    warnings: list = field(default_factory=list)


def plan(record, source=None):
    """What importing ``record`` would do; ``source`` completes unmatched people."""
    film = matching.by_ids(Film, record)
    people = []
    for person in record.people():
        match = PersonMatch(person, matching.by_ids(Person, person))
        if match.person is None and source is not None:
            # Birth year and other ids help the matching, and are kept on a new person.
            source.complete_person(person)
            match.person = matching.by_ids(Person, person)
        if match.person is None:
            match.candidates = matching.person_candidates(person)
        people.append(match)
    unknown = [name for name in record.genres if matching.genre_for(name) is None]
    conflicts = []
    if film is not None:
        for name, label in FACTS.items():
            site, theirs = getattr(film, name), getattr(record, name)
            if theirs in (None, "") or site in (None, "") or site == theirs:
                continue
            if name == "certification" and site == "NR":
                continue  # "not rated" is the site's empty value
            conflicts.append(Conflict(name, label, site, theirs))
    return Plan(record, film, people, list(dict.fromkeys(unknown)), conflicts)


def apply(plan, *, choices=None, create_genres=(), accept=(), poster=None):
    """
    Write ``plan``. ``choices`` maps the key of each person with candidates to
    the pk of the person they are, or to NEW; ``create_genres`` lists unknown
    genres to create; ``accept`` the conflicting facts to take from the source;
    ``poster`` the poster's bytes, used when the film has none.
    """
    choices = choices or {}
    undecided = [
        match.record.name
        for match in plan.people
        if match.candidates and not match.person and match.key not in choices
    ]
    if undecided:
        raise ValueError(f"Say who these people are first: {', '.join(undecided)}.")
    record = plan.record
    with transaction.atomic():
        created = plan.film is None
        film = plan.film or Film(title=record.title, year=record.year)
        result = Result(film=film, created=created)
        for name, label in FACTS.items():
            value = getattr(record, name)
            if value in (None, ""):
                continue
            current = getattr(film, name)
            empty = current in (None, "") or (name == "certification" and current == "NR")
            if created or empty or (name in accept and current != value):
                if not created and current != value:
                    result.filled.append(label)
                setattr(film, name, value)
        for name in matching.ID_FIELDS:
            if not getattr(film, name) and getattr(record, name):
                setattr(film, name, getattr(record, name))
        film.full_clean(exclude=["poster", "slug", "genres", "countries"], validate_unique=False)
        film.save()

        genres = [matching.genre_for(name) for name in record.genres]
        for name in record.genres:
            if name in create_genres and matching.genre_for(name) is None:
                genres.append(Genre.objects.create(name=name.strip()))
        film.genres.add(*[genre for genre in genres if genre])
        film.countries.add(*Country.objects.filter(code__in=record.countries))
        countries = {
            c.code: c
            for c in Country.objects.filter(code__in=[r.country for r in record.releases])
        }
        for release in record.releases:
            if release.country in countries:
                Release.objects.get_or_create(
                    film=film,
                    country=countries[release.country],
                    kind=release.kind,
                    date=release.date,
                    defaults={"note": release.note},
                )

        people = {}
        for match in plan.people:
            people[match.key], new = _person(match, choices.get(match.key))
            result.people_created += new
        for credit in record.credits:
            _, new = Credit.objects.get_or_create(
                film=film,
                person=people[credit.person.key],
                role=credit.role,
                character=credit.character[:200],
                defaults={"order": credit.order},
            )
            result.credits_added += new

        if poster and not film.poster:
            try:
                _save_poster(film, poster, record.poster_url)
            except ValidationError as error:
                result.warnings.append(f"The poster was not kept: {' '.join(error.messages)}")
    return result


def _person(match, choice):
    """The Person for a match: the matched one, the one the editor chose, or a new one."""
    record = match.record
    person = match.person
    if person is None and choice not in (None, NEW):
        person = next(p for p in match.candidates if str(p.pk) == str(choice))
    if person is None:
        person = Person(name=record.name[:200], birth_year=record.birth_year)
        for name in matching.ID_FIELDS:
            setattr(person, name, getattr(record, name) or getattr(person, name))
        person.save()
        return person, True
    changed = False
    for name in (*matching.ID_FIELDS, "birth_year"):
        if not getattr(person, name) and getattr(record, name):
            # Fill a gap only: another person may already hold this id.
            if (
                name in matching.ID_FIELDS
                and Person.objects.filter(**{name: getattr(record, name)}).exists()
            ):
                continue
            setattr(person, name, getattr(record, name))
            changed = True
    if changed:
        person.save()
    return person, False


def _save_poster(film, data, url):
    """Store a downloaded poster as an upload would be, after the same checks."""
    upload = ContentFile(data, name="poster")
    check_image_upload(upload)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            extension = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}.get(
                image.format
            )
    except Exception as error:
        raise ValidationError("the file is not an image.") from error
    if not extension:
        raise ValidationError("the image is not a JPEG, PNG, GIF or WebP.")
    name = os.path.splitext(os.path.basename(url.split("?")[0]))[0] or film.slug
    film.poster.save(f"{film.slug}-{name}{extension}", ContentFile(data), save=True)
