"""manage.py import_films: CSV, JSON Lines and IMDb's gzipped TSV datasets."""

import csv
import gzip
import io
import json

import pytest
from django.core.management import call_command

from people.models import Person
from reviews.importing import files, writer
from reviews.models import Credit, Film
from reviews.signals import import_finished
from tests.factories import make_film, make_genre, make_person

pytestmark = pytest.mark.django_db

N = "\\N"


def write_tsv(path, header, rows):
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        handle.write("\t".join(header) + "\n")
        for row in rows:
            handle.write("\t".join(row) + "\n")


@pytest.fixture
def imdb(tmp_path):
    """The four datasets for three films, a series and an adult title, as IMDb publishes them."""
    folder = tmp_path / "imdb"
    folder.mkdir()
    write_tsv(
        folder / "title.basics.tsv.gz",
        [
            "tconst",
            "titleType",
            "primaryTitle",
            "originalTitle",
            "isAdult",
            "startYear",
            "endYear",
            "runtimeMinutes",
            "genres",
        ],
        [
            ["tt0116282", "movie", "Fargo", "Fargo", "0", "1996", N, "98", "Crime,Drama,Thriller"],
            [
                "tt0118694",
                "tvSeries",
                "Some Series",
                "Some Series",
                "0",
                "1997",
                "1999",
                "45",
                "Drama",
            ],
            ["tt0190000", "movie", "Adult Title", "Adult Title", "1", "1999", N, "80", N],
            [
                "tt0477348",
                "movie",
                "No Country for Old Men",
                "No Country for Old Men",
                "0",
                "2007",
                N,
                "122",
                "Crime,Drama,Thriller",
            ],
            ["tt10000001", "movie", "Late Entry", "Late Entry", "0", "2021", N, N, "Drama"],
        ],
    )
    write_tsv(
        folder / "title.principals.tsv.gz",
        ["tconst", "ordering", "nconst", "category", "job", "characters"],
        [
            ["tt0116282", "1", "nm0000531", "actress", N, '["Marge Gunderson"]'],
            ["tt0116282", "2", "nm0000513", "actor", N, '["Jerry Lundegaard"]'],
            ["tt0116282", "5", "nm0001054", "director", N, N],
            ["tt0116282", "6", "nm0005683", "cinematographer", "director of photography", N],
            ["tt0116282", "7", "nm0001053", "producer", "producer", N],
            ["tt0116282", "8", "nm9999999", "producer", "executive producer", N],
            ["tt0477348", "1", "nm0000169", "actor", N, '["Ed Tom Bell"]'],
            ["tt0477348", "2", "nm0001054", "director", N, N],
            ["tt0477348", "3", "nm0005683", "cinematographer", N, N],
            ["tt0477348", "4", "nm0000404", "actor", N, '["Unknown Somebody"]'],
            ["tt10000001", "1", "nm0000531", "actress", N, N],
        ],
    )
    write_tsv(
        folder / "title.crew.tsv.gz",
        ["tconst", "directors", "writers"],
        [
            ["tt0116282", "nm0001054,nm0001053", "nm0001054,nm0001053"],
            ["tt0477348", "nm0001054,nm0001053", "nm0001054,nm0001053"],
            ["tt10000001", N, N],
        ],
    )
    write_tsv(
        folder / "name.basics.tsv.gz",
        ["nconst", "primaryName", "birthYear", "deathYear", "primaryProfession", "knownForTitles"],
        [
            ["nm0000169", "Tommy Lee Jones", "1946", N, "actor", "tt0477348"],
            ["nm0000513", "William H. Macy", "1950", N, "actor", "tt0116282"],
            ["nm0000531", "Frances McDormand", "1957", N, "actress", "tt0116282"],
            ["nm0001053", "Ethan Coen", "1957", N, "producer,writer,director", "tt0116282"],
            ["nm0001054", "Joel Coen", "1954", N, "producer,writer,director", "tt0116282"],
            ["nm0005683", "Roger Deakins", "1949", N, "cinematographer", "tt0116282"],
            ["nm9999999", "Some Executive", N, N, "producer", N],
        ],
    )
    for name in ("Crime", "Drama", "Thriller"):
        make_genre(name=name)
    return folder


def test_imdb_datasets_become_films_people_and_credits(imdb):
    report = files.run(imdb)
    assert sorted(Film.objects.values_list("imdb_id", flat=True)) == [
        "tt0116282",
        "tt0477348",
        "tt10000001",
    ]
    fargo = Film.objects.get(imdb_id="tt0116282")
    assert (fargo.title, fargo.year, fargo.runtime) == ("Fargo", 1996, 98)
    assert set(fargo.genres.values_list("name", flat=True)) == {"Crime", "Drama", "Thriller"}
    joel = Person.objects.get(imdb_id="nm0001054")
    assert (joel.name, joel.birth_year) == ("Joel Coen", 1954)
    assert set(joel.credits.values_list("film__title", "role")) == {
        ("Fargo", "director"),
        ("Fargo", "writer"),
        ("No Country for Old Men", "director"),
        ("No Country for Old Men", "writer"),
    }
    marge = Credit.objects.get(film=fargo, role="cast", person__name="Frances McDormand")
    assert marge.character == "Marge Gunderson"
    assert not Person.objects.filter(name="Some Executive").exists()
    assert Person.objects.filter(name="Ethan Coen").count() == 1
    reasons = {(skip.where.split()[0], skip.reason) for skip in report.skipped}
    assert ("tt0190000", "adult title") in reasons
    assert ("tt0477348", "nm0000404 is not in name.basics") in reasons


def test_a_rerun_changes_nothing_and_a_killed_run_resumes(imdb, monkeypatch):
    write = writer.Writer.write
    calls = []

    def killed_on_second_batch(self, batch):
        calls.append(batch)
        if len(calls) == 2:
            raise KeyboardInterrupt
        write(self, batch)

    monkeypatch.setattr(writer.Writer, "write", killed_on_second_batch)
    with pytest.raises(KeyboardInterrupt):
        files.run(imdb, batch_size=1)
    assert Film.objects.count() == 1
    assert files.state_path(imdb).exists()
    monkeypatch.setattr(writer.Writer, "write", write)
    resumed = files.run(imdb, batch_size=1)
    assert resumed.resumed_from == 1
    assert resumed.films_created == 2
    assert not files.state_path(imdb).exists()
    counts = (Film.objects.count(), Person.objects.count(), Credit.objects.count())
    assert counts == (3, 6, 15)
    again = files.run(imdb)
    assert (again.films_created, again.people_created, again.credits_added) == (0, 0, 0)
    assert (Film.objects.count(), Person.objects.count(), Credit.objects.count()) == counts


def test_an_unsorted_dataset_is_refused(imdb):
    write_tsv(
        imdb / "title.crew.tsv.gz",
        ["tconst", "directors", "writers"],
        [["tt0477348", N, N], ["tt0116282", N, N]],
    )
    with pytest.raises(files.FileError, match="not sorted by tconst"):
        files.run(imdb)


CSV_ROWS = [
    ["title", "year", "original_title", "runtime", "certification", "genres", "countries"]
    + ["imdb_id", "directors", "writers", "cast"],
    ["Fargo", "1996", "", "98", "R", "Crime|Drama", "US|GB", "tt0116282"]
    + ["Joel Coen [nm0001054]|Ethan Coen [nm0001053]", "Joel Coen [nm0001054]"]
    + ["Frances McDormand [nm0000531]=Marge Gunderson"],
    ["Nameless", "", "", "", "", "", "", "", "", "", ""],
    ["Blood Simple", "1984", "", "99", "XX", "Crime", "US", "tt0086979"]
    + ["Joel Coen [nm0001054]", "", ""],
]


def test_csv_rows_with_the_film_and_its_people(tmp_path):
    make_genre(name="Crime")
    path = tmp_path / "films.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(CSV_ROWS)
    out = io.StringIO()
    call_command("import_films", str(path), "--no-progress", stdout=out)
    fargo = Film.objects.get(imdb_id="tt0116282")
    assert (fargo.runtime, fargo.certification) == (98, "R")
    assert set(fargo.countries.values_list("code", flat=True)) == {"US", "GB"}
    assert fargo.credits.get(character="Marge Gunderson").person.imdb_id == "nm0000531"
    assert Person.objects.get(imdb_id="nm0001054").credits.count() == 2
    text = out.getvalue()
    assert "1 films added" in text
    assert "row 3: a film needs a title and a year" in text
    assert "row 4: unknown certification 'XX'" in text
    assert "row 2: genre 'Drama' is not on the site (--create-genres adds it)" in text


def test_json_lines_fill_gaps_and_keep_the_sites_facts(tmp_path):
    film = make_film(title="Fargo", year=1996, imdb_id="tt0116282", runtime=97)
    namesake = make_person(name="Roger Deakins")
    lines = [
        {
            "title": "Fargo",
            "year": 1996,
            "runtime": 98,
            "synopsis": "Snow, money and a wood chipper.",
            "imdb_id": "tt0116282",
            "releases": [{"country": "US", "date": "1996-03-08", "kind": "limited"}],
            "credits": [
                {"role": "director", "name": "Joel Coen", "imdb_id": "nm0001054"},
                {"role": "cinematographer", "name": "Roger Deakins"},
                {"role": "composer", "name": "Carter Burwell", "birth_year": 1955},
            ],
        },
        "not an object",
    ]
    path = tmp_path / "films.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n{broken\n")
    report = files.run(path)
    film.refresh_from_db()
    assert film.runtime == 97 and film.synopsis == "Snow, money and a wood chipper."
    assert film.releases.get().kind == "limited"
    # One person of that name and no id to say otherwise: that person, not a duplicate.
    assert namesake.credits.get().film == film
    assert Person.objects.filter(name="Roger Deakins").count() == 1
    reasons = [skip.reason for skip in report.skipped]
    assert "runtime: the site says 97, the file 98; kept the site's" in reasons
    assert "not a JSON object" in reasons
    assert len(reasons) == 3


def test_a_json_array_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "films.json"
    path.write_text('[{"title": "Fargo", "year": 1996}]')
    with pytest.raises(Exception, match="JSON Lines"):
        call_command("import_films", str(path))


def test_imported_films_and_people_get_free_slugs(tmp_path):
    make_film(title="Fargo", year=2014)  # takes "fargo"
    make_person(name="Joel Coen")  # takes "joel-coen"
    lines = [
        {
            "title": "Fargo",
            "year": 1996,
            "imdb_id": "tt0116282",
            "credits": [
                {
                    "role": "director",
                    "name": "Joel Coen",
                    "imdb_id": "nm0001054",
                    "birth_year": 1954,
                }
            ],
        },
        {"title": "Fargo", "year": 1996, "imdb_id": "tt9999999"},
    ]
    path = tmp_path / "films.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines))
    files.run(path)
    assert Film.objects.get(imdb_id="tt0116282").slug == "fargo-1996"
    assert Film.objects.get(imdb_id="tt9999999").slug == "fargo-1996-2"
    assert Person.objects.get(imdb_id="nm0001054").slug == "joel-coen-1954"


def test_a_finished_import_says_so_once_with_its_report(tmp_path):
    """Bulk writes send no save signals: import_finished tells what keeps a copy (search)."""
    make_genre(name="Crime")
    path = tmp_path / "films.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(CSV_ROWS)
    heard = []

    def listener(sender, report, **kwargs):
        heard.append((report.films_created, Film.objects.filter(title="Fargo").exists()))

    import_finished.connect(listener)
    try:
        call_command("import_films", str(path), "--no-progress", stdout=io.StringIO())
    finally:
        import_finished.disconnect(listener)
    assert heard == [(1, True)]
