"""
Full-text search on PostgreSQL (filmblog/search.py reads what this creates).

- Text search configurations that fold accents before stemming: filmblog_en,
  filmblog_fr, and filmblog_names (folds accents, stems nothing).
- A ``search_vector`` tsvector column on reviews_film and reviews_review, with a
  GIN index. The column is not a model field: only PostgreSQL has it, Django
  never reads or writes it, and no page loads it by accident.
- Triggers that keep those columns right whenever a film, credit, person or
  review is written, by the admin, a script or a bulk insert:
    film     A title and original title, B directors and cast, C synopsis
    review   A headline and the film's titles, B the film's directors and cast,
             C standfirst, D body (tags stripped)
  Every part is parsed in English and in French, so a query parsed either way
  finds it.
- A GIN expression index on people's names, in filmblog_names.

A trigger reads the columns named here (title, original_title, synopsis,
headline, standfirst, body, film_id, role, person_id, name): a later migration
that renames one must replace the functions below. On SQLite this migration
does nothing; search there matches substrings.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

FORWARDS = r"""
ALTER TABLE reviews_film ADD COLUMN search_vector tsvector;
ALTER TABLE reviews_review ADD COLUMN search_vector tsvector;

CREATE TEXT SEARCH CONFIGURATION filmblog_en (COPY = english);
ALTER TEXT SEARCH CONFIGURATION filmblog_en
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION filmblog_fr (COPY = french);
ALTER TEXT SEARCH CONFIGURATION filmblog_fr
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
CREATE TEXT SEARCH CONFIGURATION filmblog_names (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION filmblog_names
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

-- Some words, in both languages, under one weight.
CREATE FUNCTION filmblog_words(_words text, _weight "char") RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT setweight(
        to_tsvector('filmblog_en', coalesce(_words, ''))
        || to_tsvector('filmblog_fr', coalesce(_words, '')),
        _weight
    )
$$;

-- The names a reader finds a film by: its directors and cast.
CREATE FUNCTION filmblog_film_people(_film bigint) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT string_agg(p.name, ', ')
    FROM reviews_credit c JOIN people_person p ON p.id = c.person_id
    WHERE c.film_id = _film AND c.role IN ('director', 'cast')
$$;

CREATE FUNCTION filmblog_film_document(
    _film bigint, _title text, _original_title text, _synopsis text
) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT filmblog_words(concat_ws(' ', _title, _original_title), 'A')
        || filmblog_words(filmblog_film_people(_film), 'B')
        || filmblog_words(_synopsis, 'C')
$$;

CREATE FUNCTION filmblog_review_document(
    _film bigint, _headline text, _standfirst text, _body text
) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT filmblog_words(concat_ws(' ', _headline, f.title, f.original_title), 'A')
        || filmblog_words(filmblog_film_people(f.id), 'B')
        || filmblog_words(_standfirst, 'C')
        || filmblog_words(regexp_replace(_body, '<[^>]*>', ' ', 'g'), 'D')
    FROM reviews_film f
    WHERE f.id = _film
$$;

-- Films whose people changed, and the reviews of those films.
CREATE FUNCTION filmblog_refresh_films(_films bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE reviews_film f
    SET search_vector = filmblog_film_document(f.id, f.title, f.original_title, f.synopsis)
    WHERE f.id = ANY(_films);
    UPDATE reviews_review r
    SET search_vector = filmblog_review_document(r.film_id, r.headline, r.standfirst, r.body)
    WHERE r.film_id = ANY(_films);
$$;

CREATE FUNCTION filmblog_film_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := filmblog_film_document(
        NEW.id, NEW.title, NEW.original_title, NEW.synopsis
    );
    RETURN NEW;
END
$$;

CREATE FUNCTION filmblog_film_titles_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reviews_review r
    SET search_vector = filmblog_review_document(r.film_id, r.headline, r.standfirst, r.body)
    WHERE r.film_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE FUNCTION filmblog_review_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := filmblog_review_document(
        NEW.film_id, NEW.headline, NEW.standfirst, NEW.body
    );
    RETURN NEW;
END
$$;

-- Statement triggers, so a bulk insert of credits refreshes each film once.
CREATE FUNCTION filmblog_credits_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM filmblog_refresh_films(ARRAY(SELECT DISTINCT film_id FROM new_credits));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM filmblog_refresh_films(ARRAY(SELECT DISTINCT film_id FROM old_credits));
    ELSE
        PERFORM filmblog_refresh_films(ARRAY(
            SELECT film_id FROM new_credits UNION SELECT film_id FROM old_credits
        ));
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION filmblog_people_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM filmblog_refresh_films(ARRAY(
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
    FOR EACH ROW EXECUTE FUNCTION filmblog_film_search();
CREATE TRIGGER film_titles_search
    AFTER UPDATE OF title, original_title ON reviews_film
    FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title
          OR OLD.original_title IS DISTINCT FROM NEW.original_title)
    EXECUTE FUNCTION filmblog_film_titles_search();
CREATE TRIGGER review_search_document
    BEFORE INSERT OR UPDATE OF film_id, headline, standfirst, body ON reviews_review
    FOR EACH ROW EXECUTE FUNCTION filmblog_review_search();
CREATE TRIGGER credit_insert_search
    AFTER INSERT ON reviews_credit REFERENCING NEW TABLE AS new_credits
    FOR EACH STATEMENT EXECUTE FUNCTION filmblog_credits_search();
CREATE TRIGGER credit_update_search
    AFTER UPDATE ON reviews_credit REFERENCING OLD TABLE AS old_credits NEW TABLE AS new_credits
    FOR EACH STATEMENT EXECUTE FUNCTION filmblog_credits_search();
CREATE TRIGGER credit_delete_search
    AFTER DELETE ON reviews_credit REFERENCING OLD TABLE AS old_credits
    FOR EACH STATEMENT EXECUTE FUNCTION filmblog_credits_search();
CREATE TRIGGER person_name_search
    AFTER UPDATE ON people_person REFERENCING OLD TABLE AS old_people NEW TABLE AS new_people
    FOR EACH STATEMENT EXECUTE FUNCTION filmblog_people_search();

-- The rows that exist already.
UPDATE reviews_film SET title = title;
UPDATE reviews_review SET headline = headline;

CREATE INDEX film_search_idx ON reviews_film USING gin (search_vector);
CREATE INDEX review_search_idx ON reviews_review USING gin (search_vector);
CREATE INDEX person_name_search_idx ON people_person
    USING gin (to_tsvector('filmblog_names'::regconfig, name));
"""

BACKWARDS = r"""
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
DROP FUNCTION filmblog_people_search();
DROP FUNCTION filmblog_credits_search();
DROP FUNCTION filmblog_review_search();
DROP FUNCTION filmblog_film_titles_search();
DROP FUNCTION filmblog_film_search();
DROP FUNCTION filmblog_refresh_films(bigint[]);
DROP FUNCTION filmblog_review_document(bigint, text, text, text);
DROP FUNCTION filmblog_film_document(bigint, text, text, text);
DROP FUNCTION filmblog_film_people(bigint);
DROP FUNCTION filmblog_words(text, "char");
DROP TEXT SEARCH CONFIGURATION filmblog_names;
DROP TEXT SEARCH CONFIGURATION filmblog_fr;
DROP TEXT SEARCH CONFIGURATION filmblog_en;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_url_fields_and_rating_choices"),
        ("reviews", "0006_reader_contributions"),
    ]

    operations = [
        # No-op on SQLite, like the step below.
        UnaccentExtension(),
        migrations.RunPython(forwards, backwards),
    ]
