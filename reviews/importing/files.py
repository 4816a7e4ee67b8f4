"""
Whole catalogues from a file: CSV, JSON Lines, or IMDb's TSV datasets.

Records are read one at a time and written in batches, each batch in one
transaction with a handful of bulk queries, so memory stays bounded whatever
the file's size. After each batch the number of records done is written to a
state file next to the input; a run that was killed starts again after the last
batch it committed, and a finished run removes it. Every write is idempotent
(films and people are matched by external id, credits and releases by their
unique constraints), so running a file twice changes nothing the second time.
The formats are described in docs/import.md.
"""

import csv
import gzip
import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from filmblog.slugs import unique_slug
from people.models import Person
from reviews.importing import matching
from reviews.importing.records import CreditRecord, FilmRecord, PersonRecord, ReleaseRecord
from reviews.models import Certification, Country, Credit, Film, Genre, Release

BATCH_SIZE = 1000
ROLES = {role.value for role in Credit.Role}
ROLE_COLUMNS = {  # CSV column: role
    "directors": "director",
    "writers": "writer",
    "cinematographers": "cinematographer",
    "composers": "composer",
    "editors": "editor",
    "producers": "producer",
    "cast": "cast",
}
# title.principals categories and title.crew columns, onto the site's roles.
IMDB_CATEGORIES = {
    "director": "director",
    "writer": "writer",
    "cinematographer": "cinematographer",
    "composer": "composer",
    "editor": "editor",
    "producer": "producer",
    "actor": "cast",
    "actress": "cast",
    "self": "cast",
}
IMDB_TITLE_TYPES = {"movie", "tvMovie"}
IMDB_FILES = ("title.basics", "title.principals", "title.crew", "name.basics")


class FileError(Exception):
    """The file cannot be read as a catalogue; the message says why."""


@dataclass
class Skip:
    """A record left out, and why."""

    where: str
    reason: str


@dataclass
class Report:
    films_created: int = 0
    films_updated: int = 0
    films_unchanged: int = 0
    people_created: int = 0
    credits_added: int = 0
    records: int = 0
    skipped: list = field(default_factory=list)
    skipped_count: int = 0
    kept_site_values: int = 0

    MAX_KEPT_SKIPS = 1000  # the rest are counted, not listed

    def skip(self, where, reason):
        self.skipped_count += 1
        if len(self.skipped) < self.MAX_KEPT_SKIPS:
            self.skipped.append(Skip(where, reason))


# --- Reading -------------------------------------------------------------------


def records(path, report):
    """(where, FilmRecord or None) for each record of the file, in file order."""
    path = Path(path)
    if path.is_dir() or any(name in path.name for name in IMDB_FILES):
        yield from imdb_records(path.parent if path.is_file() else path, report)
    elif path.suffix == ".csv":
        yield from csv_records(path, report)
    elif path.suffix in (".jsonl", ".ndjson", ".json"):
        yield from jsonl_records(path, report)
    else:
        raise FileError(
            f"{path.name}: not a format import_films reads (.csv, .jsonl, or a folder "
            "with IMDb's title.basics.tsv.gz and its companions)."
        )


def _open_text(path):
    if str(path).endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")  # noqa: SIM115


def _int(value, what):
    if value in (None, "", "\\N"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{what} is not a number: {value!r}") from error


def _split(value):
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def _person_entry(text):
    """ "Name [nm0000001]=Character" -> (PersonRecord, character)."""
    text, _, character = text.partition("=")
    text = text.strip()
    imdb_id = ""
    if text.endswith("]") and "[" in text:
        text, _, imdb_id = text[:-1].rpartition("[")
    return PersonRecord(name=text.strip(), imdb_id=imdb_id.strip()), character.strip()


def film_from_mapping(data):
    """A FilmRecord from a JSON object in the documented shape; raises ValueError."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    title = (data.get("title") or "").strip()
    year = _int(data.get("year"), "year")
    if not title or not year:
        raise ValueError("a film needs a title and a year")
    certification = data.get("certification") or ""
    if certification and certification not in Certification.values:
        raise ValueError(f"unknown certification {certification!r}")
    film = FilmRecord(
        title=title[:200],
        year=year,
        original_title=(data.get("original_title") or "")[:200],
        runtime=_int(data.get("runtime"), "runtime"),
        synopsis=data.get("synopsis") or "",
        certification=certification,
        genres=list(data.get("genres") or []),
        countries=[code.upper() for code in data.get("countries") or []],
        tmdb_id=_int(data.get("tmdb_id"), "tmdb_id"),
        imdb_id=data.get("imdb_id") or "",
        wikidata_id=data.get("wikidata_id") or "",
    )
    for release in data.get("releases") or []:
        from datetime import date

        kind = release.get("kind") or "wide"
        if kind not in Release.Kind.values:
            raise ValueError(f"unknown release kind {kind!r}")
        film.releases.append(
            ReleaseRecord(
                release["country"].upper(),
                date.fromisoformat(release["date"]),
                kind,
                release.get("note") or "",
            )
        )
    for order, credit in enumerate(data.get("credits") or []):
        if credit.get("role") not in ROLES:
            raise ValueError(f"unknown role {credit.get('role')!r}")
        if not (credit.get("name") or "").strip():
            raise ValueError("a credit needs a name")
        film.credits.append(
            CreditRecord(
                PersonRecord(
                    name=credit["name"].strip()[:200],
                    tmdb_id=_int(credit.get("tmdb_id"), "tmdb_id"),
                    imdb_id=credit.get("imdb_id") or "",
                    wikidata_id=credit.get("wikidata_id") or "",
                    birth_year=_int(credit.get("birth_year"), "birth_year"),
                ),
                credit["role"],
                character=credit.get("character") or "",
                order=_int(credit.get("order"), "order") or order,
            )
        )
    return film


def jsonl_records(path, report):
    with _open_text(path) as lines:
        for number, line in enumerate(lines, start=1):
            where = f"line {number}"
            if not line.strip():
                yield where, None
                continue
            if number == 1 and line.lstrip().startswith("["):
                raise FileError(
                    f"{path.name} is one JSON array; import_films reads JSON Lines "
                    "(one film object per line), so that it never holds the whole file."
                )
            try:
                yield where, film_from_mapping(json.loads(line))
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                report.skip(where, str(error))
                yield where, None


def csv_records(path, report):
    with _open_text(path) as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            where = f"row {number}"
            try:
                data = {
                    **row,
                    "genres": _split(row.get("genres")),
                    "countries": _split(row.get("countries")),
                    "credits": [],
                }
                for column, role in ROLE_COLUMNS.items():
                    for order, entry in enumerate(_split(row.get(column))):
                        person, character = _person_entry(entry)
                        data["credits"].append(
                            {
                                "name": person.name,
                                "imdb_id": person.imdb_id,
                                "role": role,
                                "character": character if role == "cast" else "",
                                "order": order,
                            }
                        )
                yield where, film_from_mapping(data)
            except (ValueError, KeyError, TypeError) as error:
                report.skip(where, str(error))
                yield where, None


def _tsv(path):
    """Rows of an IMDb dataset as dicts; ``\\N`` stays as it is."""
    with _open_text(path) as handle:
        header = handle.readline().rstrip("\n").split("\t")
        for line in handle:
            yield dict(zip(header, line.rstrip("\n").split("\t"), strict=False))


def _tconst_number(tconst):
    return int(tconst[2:])


def _grouped(rows, what):
    """(tconst number, [rows]) from a dataset sorted by tconst; refuses an unsorted one."""
    current, group = None, []
    for row in rows:
        number = _tconst_number(row["tconst"])
        if number != current:
            if current is not None:
                if number < current:
                    raise FileError(f"{what} is not sorted by tconst, as IMDb publishes it.")
                yield current, group
            current, group = number, []
        group.append(row)
    if current is not None:
        yield current, group


class _Names:
    """name.basics in a temporary SQLite file: nconst -> (name, birth year), on disk."""

    def __init__(self, path):
        self.file = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)  # noqa: SIM115
        self.file.close()
        self.db = sqlite3.connect(self.file.name)
        self.db.execute("CREATE TABLE names (nconst TEXT PRIMARY KEY, name TEXT, born INT)")
        rows = (
            (row["nconst"], row["primaryName"], _int(row.get("birthYear"), "birthYear"))
            for row in _tsv(path)
        )
        self.db.executemany("INSERT OR REPLACE INTO names VALUES (?, ?, ?)", rows)
        self.db.commit()

    def lookup(self, nconsts):
        found = {}
        nconsts = list(nconsts)
        for start in range(0, len(nconsts), 500):
            chunk = nconsts[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for nconst, name, born in self.db.execute(
                f"SELECT nconst, name, born FROM names WHERE nconst IN ({marks})", chunk
            ):
                found[nconst] = (name, born)
        return found

    def close(self):
        self.db.close()
        os.unlink(self.file.name)


def _dataset(folder, name):
    for candidate in (folder / f"{name}.tsv.gz", folder / f"{name}.tsv"):
        if candidate.exists():
            return candidate
    return None


def imdb_records(folder, report):
    """Films of IMDb's datasets, merged by tconst: basics, principals, crew and names."""
    paths = {name: _dataset(folder, name) for name in IMDB_FILES}
    if not paths["title.basics"] or not paths["name.basics"]:
        raise FileError(
            f"{folder} needs title.basics.tsv.gz and name.basics.tsv.gz "
            "(and title.principals / title.crew for the credits)."
        )
    names = _Names(paths["name.basics"])
    try:
        others = {
            name: _grouped(_tsv(paths[name]), f"{name}.tsv.gz")
            for name in ("title.principals", "title.crew")
            if paths[name]
        }
        heads = {name: next(groups, None) for name, groups in others.items()}
        batch = []
        for number, row in enumerate(_tsv(paths["title.basics"]), start=1):
            tconst = row["tconst"]
            key = _tconst_number(tconst)
            rows = {}
            for name, groups in others.items():
                while heads[name] is not None and heads[name][0] < key:
                    heads[name] = next(groups, None)
                if heads[name] is not None and heads[name][0] == key:
                    rows[name] = heads[name][1]
            batch.append((f"{tconst} (row {number + 1})", row, rows))
            if len(batch) >= 200:
                yield from _imdb_films(batch, names, report)
                batch = []
        yield from _imdb_films(batch, names, report)
    finally:
        names.close()


def _imdb_films(batch, names, report):
    wanted = set()
    for _, _, rows in batch:
        for principal in rows.get("title.principals", []):
            wanted.add(principal["nconst"])
        for crew in rows.get("title.crew", []):
            for column in ("directors", "writers"):
                wanted.update(n for n in crew.get(column, "\\N").split(",") if n != "\\N")
    known = names.lookup(wanted)
    for where, row, rows in batch:
        if row.get("titleType") not in IMDB_TITLE_TYPES:
            yield where, None  # series, episodes, shorts: not films, not worth a line
            continue
        if row.get("isAdult") == "1":
            report.skip(where, "adult title")
            yield where, None
            continue
        try:
            year = _int(row.get("startYear"), "startYear")
            if not year:
                raise ValueError("no year")
            film = FilmRecord(
                title=row["primaryTitle"][:200],
                year=year,
                original_title=row["originalTitle"][:200] if row["originalTitle"] != "\\N" else "",
                runtime=_int(row.get("runtimeMinutes"), "runtimeMinutes"),
                genres=[g for g in row.get("genres", "\\N").split(",") if g != "\\N"],
                imdb_id=row["tconst"],
            )
        except (ValueError, KeyError) as error:
            report.skip(where, str(error))
            yield where, None
            continue
        credited = set()

        def person(nconst, film=film, where=where):
            if nconst not in known:
                report.skip(where, f"{nconst} is not in name.basics")
                return None
            name, born = known[nconst]
            return PersonRecord(name=name[:200], imdb_id=nconst, birth_year=born)

        for principal in sorted(
            rows.get("title.principals", []), key=lambda p: _int(p["ordering"], "ordering")
        ):
            role = IMDB_CATEGORIES.get(principal["category"])
            if principal["category"] == "producer" and principal.get("job") not in (
                "producer",
                "\\N",
            ):
                role = None  # executive and line producers are not the site's producers
            record = role and person(principal["nconst"])
            if not record:
                continue
            character = ""
            if role == "cast" and principal.get("characters", "\\N") != "\\N":
                try:
                    character = "; ".join(json.loads(principal["characters"]))[:200]
                except ValueError:
                    character = ""
            order = _int(principal["ordering"], "ordering") or 0
            film.credits.append(CreditRecord(record, role, character=character, order=order))
            credited.add((principal["nconst"], role))
        for crew in rows.get("title.crew", []):
            for column, role in (("directors", "director"), ("writers", "writer")):
                for order, nconst in enumerate(crew.get(column, "\\N").split(",")):
                    if nconst == "\\N" or (nconst, role) in credited:
                        continue
                    record = person(nconst)
                    if record:
                        film.credits.append(CreditRecord(record, role, order=order))
                        credited.add((nconst, role))
        yield where, film


# --- Writing -------------------------------------------------------------------


def _slugs(model, objects, candidates):
    """
    Give each new object a free slug, as unique_slug would choose it, with a few
    queries for the whole batch: the first choices first, then further ones only
    for the objects whose first choice was taken.
    """
    max_length = model._meta.get_field("slug").max_length
    wanted = {}
    for obj in objects:
        bases = [slugify(str(c))[:max_length].strip("-") for c in candidates(obj) if c]
        bases = [b for b in bases if b] or [model._meta.model_name]
        wanted[id(obj)] = bases + [f"{bases[-1][: max_length - 3]}-{n}" for n in range(2, 10)]
    chosen = set()
    waiting = list(objects)
    for rank in range(len(max(wanted.values(), key=len, default=[]))):
        if not waiting:
            break
        slugs = list({wanted[id(obj)][rank] for obj in waiting if rank < len(wanted[id(obj)])})
        taken = set(chosen)
        for start in range(0, len(slugs), 500):
            taken.update(
                model.objects.filter(slug__in=slugs[start : start + 500]).values_list(
                    "slug", flat=True
                )
            )
        still = []
        for obj in waiting:
            options = wanted[id(obj)]
            if rank < len(options) and options[rank] not in taken:
                obj.slug = options[rank]
                taken.add(obj.slug)
                chosen.add(obj.slug)
            else:
                still.append(obj)
        waiting = still
    for obj in waiting:
        obj.slug = unique_slug(obj, *candidates(obj))


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

    def _films(self, batch):
        report = self.report
        records = [record for _, record in batch]
        found = _index(Film.objects.filter(_id_condition(records)))
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
        _slugs(Film, new, lambda film: [film.title, f"{film.title} {film.year}"])
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
        report = self.report
        records = {}
        for _, film in batch:
            for person in film.people():
                records.setdefault(person.key, person)
        found = _index(Person.objects.filter(_id_condition(records.values())))
        no_ids = [
            r for r in records.values() if not any(getattr(r, n) for n in matching.ID_FIELDS)
        ]
        namesakes = {}
        if no_ids:
            for person in Person.objects.filter(name__in={r.name for r in no_ids}):
                namesakes.setdefault(person.name, []).append(person)
        people, new = {}, []
        for key, record in records.items():
            person = _by_ids(found, record)
            without_ids = not any(getattr(record, n) for n in matching.ID_FIELDS)
            if person is None and without_ids:
                # Without an id, a name is only enough with the same birth year, or for
                # someone this run created; otherwise an editor must say who it is.
                person = self.created_here.get((record.name, record.birth_year))
                same = [
                    p
                    for p in namesakes.get(record.name, [])
                    if record.birth_year and p.birth_year == record.birth_year
                ]
                if person is None and len(same) == 1:
                    person = same[0]
                elif person is None and namesakes.get(record.name):
                    people[key] = None
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
        _slugs(Person, new, lambda p: [p.name, f"{p.name} {p.birth_year or ''}"])
        Person.objects.bulk_create(new)
        report.people_created += len(new)
        return people

    def _relations(self, batch, films, people):
        genre_links, country_links, releases, credits = [], [], [], []
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
                            film=film,
                            country=self.countries[release.country],
                            date=release.date,
                            kind=release.kind,
                            note=release.note[:100],
                        )
                    )
            for credit in record.credits:
                person = people.get(credit.person.key)
                if person is None:
                    self.report.skip(
                        where,
                        f"{credit.person.name}: several people of that name and no id or birth "
                        "year to tell them apart; credit left for an editor",
                    )
                    continue
                credits.append(
                    Credit(
                        film=film,
                        person=person,
                        role=credit.role,
                        character=credit.character[:200],
                        order=min(credit.order, 32767),
                    )
                )
        Film.genres.through.objects.bulk_create(genre_links, ignore_conflicts=True)
        Film.countries.through.objects.bulk_create(country_links, ignore_conflicts=True)
        Release.objects.bulk_create(releases, ignore_conflicts=True)
        # Only films that were already here can have these credits: read theirs once,
        # and insert the rest (the unique constraint still has the last word).
        existing = set(
            Credit.objects.filter(
                film_id__in=[film.pk for film in films.values() if film.pk in self.old_films]
            ).values_list("film_id", "person_id", "role", "character")
        )
        new = {}
        for credit in credits:
            key = (credit.film_id, credit.person_id, credit.role, credit.character)
            if key not in existing:
                new.setdefault(key, credit)
        Credit.objects.bulk_create(new.values(), ignore_conflicts=True, batch_size=2000)
        self.report.credits_added += len(new)


# --- The run -------------------------------------------------------------------


def state_path(path):
    path = Path(path)
    return (path if path.is_dir() else path.parent) / f".{path.name}.import-state.json"


def _fingerprint(path):
    path = Path(path)
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    return [
        [f.name, f.stat().st_size, int(f.stat().st_mtime)]
        for f in files
        if f.is_file() and not f.name.startswith(".")
    ]


def run(path, *, create_genres=False, batch_size=BATCH_SIZE, restart=False, progress=None):
    """Import the file at ``path``; returns a Report. ``progress(report)`` is called per batch."""
    report = Report()
    state_file = state_path(path)
    fingerprint = _fingerprint(path)
    done = 0
    if state_file.exists() and not restart:
        state = json.loads(state_file.read_text())
        if state.get("fingerprint") == fingerprint:
            done = state["done"]
    report.resumed_from = done
    writer = Writer(report, create_genres=create_genres)
    batch = []
    position = 0

    def commit():
        nonlocal batch
        if batch:
            writer.write(batch)
        batch = []
        state_file.write_text(json.dumps({"fingerprint": fingerprint, "done": position}))
        if progress:
            progress(report)

    for position, (where, record) in enumerate(records(path, report), start=1):  # noqa: B007
        report.records = position
        if position <= done or record is None:
            continue
        batch.append((where, record))
        if len(batch) >= batch_size:
            commit()
    commit()
    state_file.unlink(missing_ok=True)
    return report
