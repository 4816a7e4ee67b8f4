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

This migration creates and fills them; filmblog.search.reindex() keeps them
current from then on (on every save and delete, and from update_search_index).
No triggers: SQLite rebuilds a table to alter it, and a trigger that names a
table being rebuilt would break every later migration of it.

PostgreSQL: the pg_trgm extension and a trigram index on people's names, so
"cotilard" finds Marion Cotillard.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# What each table holds, as a SELECT over the model's table (aliased f, r).
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


TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"
SQLITE_FORWARDS = [
    f"CREATE VIRTUAL TABLE search_film USING fts5"
    f"(title, original_title, people, characters, synopsis, {TOKENIZE})",
    f"CREATE VIRTUAL TABLE search_person USING fts5(name, {TOKENIZE})",
    f"CREATE VIRTUAL TABLE search_review USING fts5"
    f"(headline, film, people, standfirst, body, {TOKENIZE})",
    # The rows that exist already.
    f"INSERT INTO search_film (rowid, title, original_title, people, characters, synopsis)"
    f" {FILM_ROWS}",
    "INSERT INTO search_person (rowid, name) SELECT p.id, p.name FROM people_person p",
    f"INSERT INTO search_review (rowid, headline, film, people, standfirst, body) {REVIEW_ROWS}",
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
