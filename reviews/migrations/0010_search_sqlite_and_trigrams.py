"""
Search on SQLite, and misspelt names on PostgreSQL (filmblog/search.py reads
what this creates).

SQLite: three FTS5 tables whose rowid is the film's, person's or review's id,
tokenised with ``unicode61 remove_diacritics 2`` so "stephane" finds "Stéphane"
and "Stéphanie" finds "Stephanie":

    search_film     title, original_title, people (directors and cast),
                    characters, synopsis
    search_person   name
    search_review   headline, film (its titles), people, standfirst, body

Triggers rewrite a row whenever a film, credit, person or review is written,
by the admin, a script or a bulk insert, as reviews/migrations/0007_search.py
does on PostgreSQL. A later migration that renames a column named here must
replace the triggers.

PostgreSQL: the pg_trgm extension and a trigram index on people's names, so
"cotilard" finds Marion Cotillard.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# What each table holds, as a SELECT over the model's table (aliased f, p, r)
# and the joins it needs; the WHERE clause is added per trigger.
FILM_ROWS = """
SELECT f.id, f.title, f.original_title,
    (SELECT group_concat(p.name, ' ') FROM reviews_credit c
     JOIN people_person p ON p.id = c.person_id
     WHERE c.film_id = f.id AND c.role IN ('director', 'cast')),
    (SELECT group_concat(c.character, ' ') FROM reviews_credit c WHERE c.film_id = f.id),
    f.synopsis
FROM reviews_film f
"""
REVIEW_ROWS = """
SELECT r.id, r.headline, f.title || ' ' || f.original_title,
    (SELECT group_concat(p.name, ' ') FROM reviews_credit c
     JOIN people_person p ON p.id = c.person_id
     WHERE c.film_id = f.id AND c.role IN ('director', 'cast')),
    r.standfirst, r.body
FROM reviews_review r JOIN reviews_film f ON f.id = r.film_id
"""


def films(where):
    """Statements that rewrite the films matching ``where`` (over f), and their reviews."""
    return f"""
    DELETE FROM search_film WHERE rowid IN (SELECT f.id FROM reviews_film f WHERE {where});
    INSERT INTO search_film (rowid, title, original_title, people, characters, synopsis)
        {FILM_ROWS} WHERE {where};
    DELETE FROM search_review WHERE rowid IN
        (SELECT r.id FROM reviews_review r JOIN reviews_film f ON f.id = r.film_id WHERE {where});
    INSERT INTO search_review (rowid, headline, film, people, standfirst, body)
        {REVIEW_ROWS} WHERE {where};
    """


def review(where):
    return f"""
    DELETE FROM search_review WHERE rowid IN (SELECT r.id FROM reviews_review r WHERE {where});
    INSERT INTO search_review (rowid, headline, film, people, standfirst, body)
        {REVIEW_ROWS} WHERE {where};
    """


def person(where):
    return f"""
    DELETE FROM search_person WHERE rowid IN (SELECT p.id FROM people_person p WHERE {where});
    INSERT INTO search_person (rowid, name) SELECT p.id, p.name FROM people_person p WHERE {where};
    """


TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"
SQLITE_FORWARDS = [
    f"CREATE VIRTUAL TABLE search_film USING fts5"
    f"(title, original_title, people, characters, synopsis, {TOKENIZE})",
    f"CREATE VIRTUAL TABLE search_person USING fts5(name, {TOKENIZE})",
    f"CREATE VIRTUAL TABLE search_review USING fts5"
    f"(headline, film, people, standfirst, body, {TOKENIZE})",
    f"CREATE TRIGGER film_search_insert AFTER INSERT ON reviews_film BEGIN {films('f.id = NEW.id')} END",
    "CREATE TRIGGER film_search_update AFTER UPDATE OF title, original_title, synopsis"
    f" ON reviews_film BEGIN {films('f.id = NEW.id')} END",
    "CREATE TRIGGER film_search_delete AFTER DELETE ON reviews_film"
    " BEGIN DELETE FROM search_film WHERE rowid = OLD.id; END",
    f"CREATE TRIGGER credit_search_insert AFTER INSERT ON reviews_credit"
    f" BEGIN {films('f.id = NEW.film_id')} END",
    f"CREATE TRIGGER credit_search_update AFTER UPDATE ON reviews_credit"
    f" BEGIN {films('f.id IN (OLD.film_id, NEW.film_id)')} END",
    f"CREATE TRIGGER credit_search_delete AFTER DELETE ON reviews_credit"
    f" BEGIN {films('f.id = OLD.film_id')} END",
    f"CREATE TRIGGER person_search_insert AFTER INSERT ON people_person"
    f" BEGIN {person('p.id = NEW.id')} END",
    "CREATE TRIGGER person_search_update AFTER UPDATE OF name ON people_person BEGIN"
    f" {person('p.id = NEW.id')}"
    f" {films('f.id IN (SELECT c.film_id FROM reviews_credit c WHERE c.person_id = NEW.id)')}"
    " END",
    "CREATE TRIGGER person_search_delete AFTER DELETE ON people_person"
    " BEGIN DELETE FROM search_person WHERE rowid = OLD.id; END",
    f"CREATE TRIGGER review_search_insert AFTER INSERT ON reviews_review"
    f" BEGIN {review('r.id = NEW.id')} END",
    "CREATE TRIGGER review_search_update AFTER UPDATE OF film_id, headline, standfirst, body"
    f" ON reviews_review BEGIN {review('r.id = NEW.id')} END",
    "CREATE TRIGGER review_search_delete AFTER DELETE ON reviews_review"
    " BEGIN DELETE FROM search_review WHERE rowid = OLD.id; END",
    # The rows that exist already.
    f"INSERT INTO search_film (rowid, title, original_title, people, characters, synopsis)"
    f" {FILM_ROWS}",
    "INSERT INTO search_person (rowid, name) SELECT p.id, p.name FROM people_person p",
    f"INSERT INTO search_review (rowid, headline, film, people, standfirst, body) {REVIEW_ROWS}",
]
SQLITE_TRIGGERS = [
    f"{table}_search_{event}"
    for table in ("film", "credit", "person", "review")
    for event in ("insert", "update", "delete")
]

POSTGRESQL_FORWARDS = (
    "CREATE INDEX person_name_trigram_idx ON people_person USING gin (name gin_trgm_ops)"
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_FORWARDS:
            schema_editor.execute(statement, params=None)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARDS, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER {trigger}", params=None)
        for table in ("search_film", "search_person", "search_review"):
            schema_editor.execute(f"DROP TABLE {table}", params=None)
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX person_name_trigram_idx", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_url_fields_and_rating_choices"),
        ("reviews", "0009_external_ids"),
    ]

    operations = [
        # No-op on SQLite, like the step below.
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
    ]
