"""
Search's tables, documents, triggers and indexes (search/postgresql.py and
search/sqlite.py read what this creates). reviews 0018 dropped what reviews
0007 and 0010 made for search before it became an app; this makes it all
again, with the characters of a film's cast in its document, and indexes the
rows that exist.

PostgreSQL:

- Text search configurations that fold accents before stemming: search_en,
  search_fr, and search_names (folds accents, stems nothing).
- A ``search_vector`` tsvector column on reviews_film and reviews_review, with a
  GIN index. The column is not a model field: only PostgreSQL has it, Django
  never reads or writes it, and no page loads it by accident.
- Triggers that keep those columns right whenever a film, credit, person or
  review is written, by the admin, a script or a bulk insert:
    film     A title and original title, B directors and cast, C characters
             and synopsis
    review   A headline and the film's titles, B the film's directors and cast,
             C standfirst, D body (tags stripped)
  Every part is parsed in English and in French, so a query parsed either way
  finds it.
- A GIN expression index on people's names, in search_names, and a trigram
  index on them (pg_trgm), so "cotilard" finds Marion Cotillard.

A trigger reads the columns named here (title, original_title, synopsis,
headline, standfirst, body, film_id, role, character, person_id, name): a
later migration that renames one must replace the functions below.

SQLite: three FTS5 tables whose rowid is the film's, person's or review's id,
tokenised with ``porter unicode61 remove_diacritics 2`` (English stems; accents
fold both ways):

    search_film     title, original_title, people (directors and cast),
                    characters, synopsis
    search_person   name
    search_review   headline, film (its titles), people, standfirst, body

No triggers: SQLite rebuilds a table to alter it, and a trigger that names a
table being rebuilt would break every later migration of it. The search app
rewrites the rows on every save and delete (search/signals.py).
"""

import re

from django.db import migrations

POSTGRESQL_FORWARDS = r"""
-- Kept when going back: dropping them is the database owner's call.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE reviews_film ADD COLUMN search_vector tsvector;
ALTER TABLE reviews_review ADD COLUMN search_vector tsvector;

CREATE TEXT SEARCH CONFIGURATION search_en (COPY = english);
ALTER TEXT SEARCH CONFIGURATION search_en
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION search_fr (COPY = french);
ALTER TEXT SEARCH CONFIGURATION search_fr
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
CREATE TEXT SEARCH CONFIGURATION search_names (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION search_names
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

-- Some words, in both languages, under one weight.
CREATE FUNCTION search_words(_words text, _weight "char") RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT setweight(
        to_tsvector('search_en', coalesce(_words, ''))
        || to_tsvector('search_fr', coalesce(_words, '')),
        _weight
    )
$$;

-- The names a reader finds a film by: its directors and cast.
CREATE FUNCTION search_film_people(_film bigint) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT string_agg(p.name, ', ')
    FROM reviews_credit c JOIN people_person p ON p.id = c.person_id
    WHERE c.film_id = _film AND c.role IN ('director', 'cast')
$$;

-- The characters of its cast.
CREATE FUNCTION search_film_characters(_film bigint) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT string_agg(c.character, ' ')
    FROM reviews_credit c
    WHERE c.film_id = _film
$$;

CREATE FUNCTION search_film_document(
    _film bigint, _title text, _original_title text, _synopsis text
) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT search_words(concat_ws(' ', _title, _original_title), 'A')
        || search_words(search_film_people(_film), 'B')
        || search_words(concat_ws(' ', search_film_characters(_film), _synopsis), 'C')
$$;

CREATE FUNCTION search_review_document(
    _film bigint, _headline text, _standfirst text, _body text
) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT search_words(concat_ws(' ', _headline, f.title, f.original_title), 'A')
        || search_words(search_film_people(f.id), 'B')
        || search_words(_standfirst, 'C')
        || search_words(regexp_replace(_body, '<[^>]*>', ' ', 'g'), 'D')
    FROM reviews_film f
    WHERE f.id = _film
$$;

-- Films whose people changed, and the reviews of those films.
CREATE FUNCTION search_refresh_films(_films bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE reviews_film f
    SET search_vector = search_film_document(f.id, f.title, f.original_title, f.synopsis)
    WHERE f.id = ANY(_films);
    UPDATE reviews_review r
    SET search_vector = search_review_document(r.film_id, r.headline, r.standfirst, r.body)
    WHERE r.film_id = ANY(_films);
$$;

CREATE FUNCTION search_film_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := search_film_document(
        NEW.id, NEW.title, NEW.original_title, NEW.synopsis
    );
    RETURN NEW;
END
$$;

CREATE FUNCTION search_film_titles_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reviews_review r
    SET search_vector = search_review_document(r.film_id, r.headline, r.standfirst, r.body)
    WHERE r.film_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE FUNCTION search_review_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := search_review_document(
        NEW.film_id, NEW.headline, NEW.standfirst, NEW.body
    );
    RETURN NEW;
END
$$;

-- Statement triggers, so a bulk insert of credits refreshes each film once.
CREATE FUNCTION search_credits_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM search_refresh_films(ARRAY(SELECT DISTINCT film_id FROM new_credits));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM search_refresh_films(ARRAY(SELECT DISTINCT film_id FROM old_credits));
    ELSE
        PERFORM search_refresh_films(ARRAY(
            SELECT film_id FROM new_credits UNION SELECT film_id FROM old_credits
        ));
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION search_people_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_refresh_films(ARRAY(
        SELECT DISTINCT c.film_id
        FROM new_people n
        JOIN old_people o ON o.id = n.id
        JOIN reviews_credit c ON c.person_id = n.id
        WHERE n.name IS DISTINCT FROM o.name
    ));
    RETURN NULL;
END
$$;

CREATE TRIGGER film_search_document
    BEFORE INSERT OR UPDATE OF title, original_title, synopsis ON reviews_film
    FOR EACH ROW EXECUTE FUNCTION search_film_trigger();
CREATE TRIGGER film_titles_search
    AFTER UPDATE OF title, original_title ON reviews_film
    FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title
          OR OLD.original_title IS DISTINCT FROM NEW.original_title)
    EXECUTE FUNCTION search_film_titles_trigger();
CREATE TRIGGER review_search_document
    BEFORE INSERT OR UPDATE OF film_id, headline, standfirst, body ON reviews_review
    FOR EACH ROW EXECUTE FUNCTION search_review_trigger();
CREATE TRIGGER credit_insert_search
    AFTER INSERT ON reviews_credit REFERENCING NEW TABLE AS new_credits
    FOR EACH STATEMENT EXECUTE FUNCTION search_credits_trigger();
CREATE TRIGGER credit_update_search
    AFTER UPDATE ON reviews_credit REFERENCING OLD TABLE AS old_credits NEW TABLE AS new_credits
    FOR EACH STATEMENT EXECUTE FUNCTION search_credits_trigger();
CREATE TRIGGER credit_delete_search
    AFTER DELETE ON reviews_credit REFERENCING OLD TABLE AS old_credits
    FOR EACH STATEMENT EXECUTE FUNCTION search_credits_trigger();
CREATE TRIGGER person_name_search
    AFTER UPDATE ON people_person REFERENCING OLD TABLE AS old_people NEW TABLE AS new_people
    FOR EACH STATEMENT EXECUTE FUNCTION search_people_trigger();

-- The rows that exist already.
UPDATE reviews_film SET title = title;
UPDATE reviews_review SET headline = headline;

CREATE INDEX film_search_idx ON reviews_film USING gin (search_vector);
CREATE INDEX review_search_idx ON reviews_review USING gin (search_vector);
CREATE INDEX person_name_search_idx ON people_person
    USING gin (to_tsvector('search_names'::regconfig, name));
CREATE INDEX person_name_trigram_idx ON people_person USING gin (name gin_trgm_ops);
"""

POSTGRESQL_BACKWARDS = r"""
DROP INDEX person_name_trigram_idx;
DROP INDEX person_name_search_idx;
DROP TRIGGER person_name_search ON people_person;
DROP TRIGGER credit_delete_search ON reviews_credit;
DROP TRIGGER credit_update_search ON reviews_credit;
DROP TRIGGER credit_insert_search ON reviews_credit;
DROP TRIGGER review_search_document ON reviews_review;
DROP TRIGGER film_titles_search ON reviews_film;
DROP TRIGGER film_search_document ON reviews_film;
ALTER TABLE reviews_review DROP COLUMN search_vector;
ALTER TABLE reviews_film DROP COLUMN search_vector;
DROP FUNCTION search_people_trigger();
DROP FUNCTION search_credits_trigger();
DROP FUNCTION search_review_trigger();
DROP FUNCTION search_film_titles_trigger();
DROP FUNCTION search_film_trigger();
DROP FUNCTION search_refresh_films(bigint[]);
DROP FUNCTION search_review_document(bigint, text, text, text);
DROP FUNCTION search_film_document(bigint, text, text, text);
DROP FUNCTION search_film_characters(bigint);
DROP FUNCTION search_film_people(bigint);
DROP FUNCTION search_words(text, "char");
DROP TEXT SEARCH CONFIGURATION search_names;
DROP TEXT SEARCH CONFIGURATION search_fr;
DROP TEXT SEARCH CONFIGURATION search_en;
"""



# What each SQLite table holds, as a SELECT over the model's table (aliased f, r).
PEOPLE_OF_FILM = """(SELECT group_concat(p.name, ' ') FROM reviews_credit c
     JOIN people_person p ON p.id = c.person_id
     WHERE c.film_id = f.id AND c.role IN ('director', 'cast'))"""
FILM_ROWS = f"""
SELECT f.id, f.title, f.original_title, {PEOPLE_OF_FILM},
    (SELECT group_concat(c.character, ' ') FROM reviews_credit c WHERE c.film_id = f.id),
    f.synopsis
FROM reviews_film f
"""
REVIEW_ROWS = f"""
SELECT r.id, r.headline, f.title || ' ' || f.original_title, {PEOPLE_OF_FILM},
    r.standfirst, search_plain_text(r.body)
FROM reviews_review r JOIN reviews_film f ON f.id = r.film_id
"""
TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"
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
SQLITE_BACKWARDS = [
    f"DROP TABLE {table}" for table in ("search_film", "search_person", "search_review")
]


def plain_text(html):
    """A review's body without its tags, as the search app indexes it on SQLite."""
    return re.sub(r"<[^>]*>", " ", html) if html else html


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARDS, params=None)
    elif vendor == "sqlite":
        schema_editor.connection.ensure_connection()
        schema_editor.connection.connection.create_function(
            "search_plain_text", 1, plain_text, deterministic=True
        )
        for statement in SQLITE_FORWARDS:
            schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARDS, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARDS:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("people", "0004_desk_emails"),
        ("reviews", "0018_search_moves_to_its_app"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
