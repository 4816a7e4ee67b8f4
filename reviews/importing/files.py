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

import contextlib
import csv
import gzip
import json
import os
import sqlite3
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from reviews.importing.readahead import read_ahead
from reviews.importing.records import CreditRecord, FilmRecord, PersonRecord, ReleaseRecord
from reviews.importing.writer import Writer
from reviews.models import Certification, Credit, Release
from reviews.signals import import_finished

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
    credits_unchanged: int = 0  # already on the site
    credits_waiting: int = 0  # namesakes: put on the desk for an editor now
    credits_still_waiting: int = 0  # on the desk since an earlier run
    source: str = ""  # the file's name, for the credits left for an editor
    records: int = 0
    skipped: list = field(default_factory=list)
    skipped_count: int = 0
    kept_site_values: int = 0
    # The reader and the writer both report skips (see readahead.py).
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    MAX_KEPT_SKIPS = 1000  # the rest are counted, not listed

    def skip(self, where, reason):
        with self.lock:
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
    report = Report(source=Path(path).name)
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

    # The file is parsed a batch or two ahead, while the writer waits for the database.
    with contextlib.closing(read_ahead(records(path, report), size=2 * batch_size)) as read:
        for position, (where, record) in enumerate(read, start=1):  # noqa: B007
            report.records = position
            if position <= done or record is None:
                continue
            batch.append((where, record))
            if len(batch) >= batch_size:
                commit()
    commit()
    # Bulk writes send no save signals: whatever copies the catalogue (the
    # search index) catches up in one pass.
    import_finished.send(sender=run, report=report)
    state_file.unlink(missing_ok=True)
    return report
