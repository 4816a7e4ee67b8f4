"""
Writing a catalogue file's films in batches: bulk queries per batch, people
matched by their ids (or, without ids, by name: see ``Writer._people``),
slugs chosen by the site's one rule (core/slugs.py) without a query per row
(see files.py for the reading and the run).
"""

from django.db import connection, transaction
from django.db.models import Q

from core.slugs import unique_slugs
from people.models import Person
from reviews.importing import matching
from reviews.models import Certification, Country, Credit, Film, Genre, PendingCredit, Release


def _id_condition(records):
    condition = Q(pk__in=[])
    for name in matching.ID_FIELDS:
        values = {getattr(r, name) for r in records if getattr(r, name)}
        if values and name == "tmdb_id":
            condition |= Q(tmdb_id__in=values)
        elif values:
            # Spelled out so that PostgreSQL uses the partial unique index (id <> '').
            condition |= Q(**{f"{name}__in": values}) & ~Q(**{name: ""})
    return condition


def _by_ids(found, record):
    for name in matching.ID_FIELDS:
        value = getattr(record, name)
        if value and (name, value) in found:
            return found[(name, value)]
    return None


def _index(objects):
    found = {}
    for obj in objects:
        for name in matching.ID_FIELDS:
            if getattr(obj, name):
                found[(name, getattr(obj, name))] = obj
    return found


class Writer:
    """Writes batches of FilmRecords; the rules are those of the admin's import."""

    def __init__(self, report, *, create_genres=False):
        self.report = report
        self.create_genres = create_genres
        self.countries = {c.code: c for c in Country.objects.all()}
        self.genres = {}
        self.created_here = {}  # (name, birth year) -> Person, for people without ids
        self.analyzed_at = 0  # rows written when the statistics were last refreshed

    def genre(self, name, where):
        if name not in self.genres:
            genre = matching.genre_for(name)
            if genre is None and self.create_genres:
                genre = Genre.objects.create(name=name.strip()[:100])
            self.genres[name] = genre
        if self.genres[name] is None:
            self.report.skip(where, f"genre {name!r} is not on the site (--create-genres adds it)")
        return self.genres[name]

    def write(self, batch):
        """Write [(where, FilmRecord)] in one transaction."""
        with transaction.atomic():
            films = self._films(batch)
            people = self._people(batch)
            self._relations(batch, films, people)
        self._refresh_statistics()

    def _refresh_statistics(self):
        """
        PostgreSQL plans each batch's lookups from its statistics of the tables,
        which autovacuum refreshes far more slowly than an import fills them: a
        plan made for an empty table reads the whole table for every lookup.
        Refresh them whenever the rows written since the last time have doubled.
        """
        report = self.report
        written = report.films_created + report.people_created + report.credits_added
        if connection.vendor != "postgresql" or written < max(2 * self.analyzed_at, 1000):
            return
        tables = ", ".join(
            connection.ops.quote_name(model._meta.db_table)
            for model in (Film, Person, Credit, Film.genres.through)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")
        self.analyzed_at = written

    def _films(self, batch):
        report = self.report
        records = [record for _, record in batch]
        found = _index(Film.objects.filter(_id_condition(records)).order_by())
        no_ids = [r for r in records if not any(getattr(r, n) for n in matching.ID_FIELDS)]
        by_title = {}
        if no_ids:
            for film in Film.objects.filter(
                title__in={r.title for r in no_ids}, year__in={r.year for r in no_ids}
            ):
                by_title[(film.title.casefold(), film.year)] = film
        films, new, changed = {}, [], []
        for where, record in batch:
            film = _by_ids(found, record)
            if film is None and not any(getattr(record, n) for n in matching.ID_FIELDS):
                # Without ids, a film is the one of the same title and year.
                film = by_title.get((record.title.casefold(), record.year))
            if film is None:
                film = Film(
                    title=record.title,
                    original_title=record.original_title,
                    year=record.year,
                    runtime=record.runtime,
                    synopsis=record.synopsis,
                    certification=record.certification or Certification.NR,
                    tmdb_id=record.tmdb_id,
                    imdb_id=record.imdb_id,
                    wikidata_id=record.wikidata_id,
                )
                if record.runtime is not None and not 1 <= record.runtime <= 1500:
                    film.runtime = None
                    report.skip(where, f"runtime {record.runtime} is not plausible; left empty")
                if not 1870 <= record.year <= 2100:
                    report.skip(where, f"year {record.year} is not plausible")
                    continue
                new.append(film)
                for name in matching.ID_FIELDS:
                    if getattr(film, name):
                        found[(name, getattr(film, name))] = film
                by_title.setdefault((film.title.casefold(), film.year), film)
            elif film.pk is not None and self._fill(film, record, where):
                changed.append(film)
            films[where] = film
        self.old_films = {film.pk for film in films.values() if film.pk is not None}
        unique_slugs(Film, new)
        Film.objects.bulk_create(new)
        if changed:
            Film.objects.bulk_update(
                changed,
                ["original_title", "runtime", "synopsis", "certification", *matching.ID_FIELDS],
            )
        report.films_created += len(new)
        report.films_updated += len(changed)
        report.films_unchanged += len(films) - len(new) - len(changed)
        return films

    def _fill(self, film, record, where):
        """Fill the film's empty facts from the record; report the ones that differ."""
        changed = False
        for name in (
            "original_title",
            "runtime",
            "synopsis",
            "certification",
            *matching.ID_FIELDS,
        ):
            theirs, ours = getattr(record, name), getattr(film, name)
            if theirs in (None, ""):
                continue
            empty = ours in (None, "") or (name == "certification" and ours == Certification.NR)
            if empty:
                if name in matching.ID_FIELDS and Film.objects.filter(**{name: theirs}).exists():
                    continue
                setattr(film, name, theirs)
                changed = True
            elif ours != theirs:
                self.report.kept_site_values += 1
                self.report.skip(
                    where, f"{name}: the site says {ours!r}, the file {theirs!r}; kept the site's"
                )
        return changed

    def _people(self, batch):
        """
        The pk of each person of the batch by key, or a Namesakes for an editor
        to choose among. With an id, a person is the one holding it (or someone
        new). Without one, a name is enough when it leaves one person on the
        site (or made by this run) whose birth year does not say otherwise;
        several such namesakes wait for an editor; none means someone new.
        """
        report = self.report
        records = {}
        for _, film in batch:
            for person in film.people():
                records.setdefault(person.key, person)
        # Only pks and ids: building a model instance for every known person of a
        # batch costs more than the query.
        found = {}
        for pk, *ids in (
            Person.objects.filter(_id_condition(records.values()))
            .order_by()
            .values_list("pk", *matching.ID_FIELDS)
        ):
            for name, value in zip(matching.ID_FIELDS, ids, strict=True):
                if value:
                    found[(name, value)] = pk
        no_ids = [
            r for r in records.values() if not any(getattr(r, n) for n in matching.ID_FIELDS)
        ]
        namesakes = {}
        if no_ids:
            for pk, name, birth_year in (
                Person.objects.filter(name__in={r.name for r in no_ids})
                .order_by("pk")
                .values_list("pk", "name", "birth_year")
            ):
                namesakes.setdefault(name, []).append((pk, birth_year))
        people, new = {}, []
        for key, record in records.items():
            person = _by_ids(found, record)
            without_ids = not any(getattr(record, n) for n in matching.ID_FIELDS)
            if person is None and without_ids:
                person = self.created_here.get((record.name, record.birth_year))
                possible = [
                    pk
                    for pk, born in namesakes.get(record.name, [])
                    if not (record.birth_year and born) or born == record.birth_year
                ]
                if person is None and len(possible) == 1:
                    person = possible[0]
                elif person is None and possible:
                    people[key] = Namesakes(possible)
                    continue
            if person is None:
                born = record.birth_year
                person = Person(
                    name=record.name,
                    birth_year=born if born and 1800 <= born <= 2100 else None,
                    tmdb_id=record.tmdb_id,
                    imdb_id=record.imdb_id,
                    wikidata_id=record.wikidata_id,
                )
                new.append(person)
                for name in matching.ID_FIELDS:
                    if getattr(person, name):
                        found[(name, getattr(person, name))] = person
                if without_ids:
                    self.created_here[(record.name, record.birth_year)] = person
            people[key] = person
        unique_slugs(Person, new)
        Person.objects.bulk_create(new)
        report.people_created += len(new)
        # New people have their pks now.
        return {
            key: person.pk if isinstance(person, Person) else person
            for key, person in people.items()
        }

    def _relations(self, batch, films, people):
        genre_links, country_links, releases, credits, waiting = [], [], [], [], []
        for where, record in batch:
            film = films.get(where)
            if film is None:
                continue
            for name in record.genres:
                genre = self.genre(name, where)
                if genre:
                    genre_links.append(Film.genres.through(film_id=film.pk, genre_id=genre.pk))
            for code in record.countries:
                if code in self.countries:
                    country_links.append(
                        Film.countries.through(film_id=film.pk, country_id=self.countries[code].pk)
                    )
                else:
                    self.report.skip(where, f"country {code!r} is not an ISO code")
            for release in record.releases:
                if release.country in self.countries:
                    releases.append(
                        Release(
                            film_id=film.pk,
                            country_id=self.countries[release.country].pk,
                            date=release.date,
                            kind=release.kind,
                            note=release.note[:100],
                        )
                    )
            for credit in record.credits:
                person = people.get(credit.person.key)
                if isinstance(person, Namesakes):
                    waiting.append((where, film, credit, person))
                    continue
                credits.append((film.pk, person, credit))
        Film.genres.through.objects.bulk_create(genre_links, ignore_conflicts=True)
        Film.countries.through.objects.bulk_create(country_links, ignore_conflicts=True)
        Release.objects.bulk_create(releases, ignore_conflicts=True)
        # Only films that were already here can have these credits: read theirs once,
        # and insert the rest (the unique constraint still has the last word).
        existing = set(
            Credit.objects.filter(
                film_id__in=[film.pk for film in films.values() if film.pk in self.old_films]
            )
            .order_by()
            .values_list("film_id", "person_id", "role", "character")
        )
        new = {}
        for film_id, person_id, credit in credits:
            character = credit.character[:200]
            key = (film_id, person_id, credit.role, character)
            if key in existing:
                self.report.credits_unchanged += 1
            elif key not in new:
                new[key] = Credit(
                    film_id=film_id,
                    person_id=person_id,
                    role=credit.role,
                    character=character,
                    order=min(credit.order, 32767),
                )
        # One statement for the batch: PostgreSQL's search trigger then refreshes
        # each film once.
        Credit.objects.bulk_create(new.values(), ignore_conflicts=True)
        self.report.credits_added += len(new)
        self._wait_for_an_editor(waiting)

    def _wait_for_an_editor(self, waiting):
        """Credits of namesakes go on the desk, once: a rerun finds them already there."""
        if not waiting:
            return
        there = set(
            PendingCredit.objects.filter(film_id__in={film.pk for _, film, _, _ in waiting})
            .order_by()
            .values_list("film_id", "name", "role", "character")
        )
        for where, film, credit, namesakes in waiting:
            character = credit.character[:200]
            key = (film.pk, credit.person.name[:200], credit.role, character)
            if key in there:
                self.report.credits_still_waiting += 1
                continue
            there.add(key)
            born = credit.person.birth_year
            pending = PendingCredit.objects.create(
                film=film,
                name=key[1],
                birth_year=born if born and 1800 <= born <= 2100 else None,
                role=credit.role,
                character=character,
                order=min(credit.order, 32767),
                source=f"{self.report.source} {where}".strip()[:300],
            )
            pending.candidates.set(namesakes.people)
            self.report.credits_waiting += 1


class Namesakes:
    """People of the site a credit's name might mean, for an editor to choose among."""

    def __init__(self, people):
        self.people = people
