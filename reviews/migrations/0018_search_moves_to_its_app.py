"""
Search moves to an app of its own: drop what 0007 and 0010 created for it,
where they did (a database migrated before the move), so that
search/migrations/0001_initial.py creates it all again under its own name. On
a new database there is nothing to drop: 0007 and 0010 no longer create
anything. The extensions (unaccent, pg_trgm) stay.
"""

from django.db import migrations

POSTGRESQL = r"""
DROP INDEX IF EXISTS person_name_trigram_idx;
DROP INDEX IF EXISTS person_name_search_idx;
DROP TRIGGER IF EXISTS person_name_search ON people_person;
DROP TRIGGER IF EXISTS credit_delete_search ON reviews_credit;
DROP TRIGGER IF EXISTS credit_update_search ON reviews_credit;
DROP TRIGGER IF EXISTS credit_insert_search ON reviews_credit;
DROP TRIGGER IF EXISTS review_search_document ON reviews_review;
DROP TRIGGER IF EXISTS film_titles_search ON reviews_film;
DROP TRIGGER IF EXISTS film_search_document ON reviews_film;
ALTER TABLE reviews_review DROP COLUMN IF EXISTS search_vector;
ALTER TABLE reviews_film DROP COLUMN IF EXISTS search_vector;
DROP FUNCTION IF EXISTS filmblog_people_search();
DROP FUNCTION IF EXISTS filmblog_credits_search();
DROP FUNCTION IF EXISTS filmblog_review_search();
DROP FUNCTION IF EXISTS filmblog_film_titles_search();
DROP FUNCTION IF EXISTS filmblog_film_search();
DROP FUNCTION IF EXISTS filmblog_refresh_films(bigint[]);
DROP FUNCTION IF EXISTS filmblog_review_document(bigint, text, text, text);
DROP FUNCTION IF EXISTS filmblog_film_document(bigint, text, text, text);
DROP FUNCTION IF EXISTS filmblog_film_people(bigint);
DROP FUNCTION IF EXISTS filmblog_words(text, "char");
DROP TEXT SEARCH CONFIGURATION IF EXISTS filmblog_names;
DROP TEXT SEARCH CONFIGURATION IF EXISTS filmblog_fr;
DROP TEXT SEARCH CONFIGURATION IF EXISTS filmblog_en;
"""

SQLITE = [f"DROP TABLE IF EXISTS {table}" for table in ("search_film", "search_person", "search_review")]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_desk_emails"),
        ("reviews", "0017_pending_credits"),
    ]

    operations = [
        # Going back, search's own migration has already dropped what it made.
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
