import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from filmblog.search import search_results
from people.models import Person
from reviews.models import Film, Review
from tests.factories import make_credit, make_film, make_person, make_review
from tests.reviews.test_review_page import text

pytestmark = pytest.mark.django_db


def section(html, kind):
    match = re.search(rf'<section aria-labelledby="results-{kind}">(.*?)</section>', html, re.S)
    return match.group(1) if match else ""


def test_audiard_finds_the_man_and_his_reviews(client, demo):
    html = client.get("/search/?q=Audiard").content.decode()
    assert "Jacques Audiard</a>" in section(html, "people")
    assert "Rust and Bone: two bruised" in section(html, "reviews")


def test_the_original_title_finds_the_film(client, demo):
    body = text(client.get("/search/?q=rouille"))
    assert "Rust and Bone (2012) aka De rouille et d'os" in body


def test_title_matches_rank_first(client, db):
    make_film(title="Heat Wave Somewhere", year=1990)
    make_film(title="Heat", year=1995)
    make_film(title="The Heat", year=2013)
    body = text(client.get("/search/?q=heat&kind=films"))
    assert body.index("Heat (1995)") < body.index("Heat Wave Somewhere") < body.index("The Heat")


def test_only_public_reviews_are_found(client):
    make_review(headline="Needle published")
    make_review(headline="Needle draft", status="draft")
    body = text(client.get("/search/?q=needle"))
    assert "Needle published" in body and "Needle draft" not in body


def test_results_paginate_by_kind(client, db):
    for i in range(25):
        make_person(name=f"Zed Person {i:02}")
    overview = text(client.get("/search/?q=zed"))
    assert "All people matching “zed”" in overview
    second = text(client.get("/search/?q=zed&kind=people&page=2"))
    assert "Page 2 of 2" in second and "Zed Person 24" in second


def test_an_empty_search_and_no_results(client, db):
    assert "Type a film title" in text(client.get("/search/"))
    assert "Nothing matches “qwxz”" in text(client.get("/search/?q=qwxz"))


def test_search_pages_are_not_indexed(client, db):
    assert (
        '<meta name="robots" content="noindex, follow">'
        in client.get("/search/?q=x").content.decode()
    )


def test_the_search_page_runs_the_same_queries_for_few_and_many_results(client, db):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def catalogue(word, n):
        for i in range(n):
            film = make_film(title=f"{word} {i}")
            make_credit(film=film, person=make_person(name=f"{word} Person {i}"))
            make_review(film=film, headline=f"{word} review {i}")

    catalogue("Quokka", 1)
    catalogue("Wombat", 25)
    few, many = queries("/search/?q=quokka"), queries("/search/?q=wombat")
    assert few == many <= 6
    for kind in ("films", "people", "reviews"):
        few = queries(f"/search/?q=quokka&kind={kind}")
        many = queries(f"/search/?q=wombat&kind={kind}&page=2")
        assert few == many <= 4


def test_punctuation_and_search_operators_are_taken_as_text(client, db):
    make_film(title="Rust and Bone")
    for q in ['"', "-", "!x", "a:*", "50%_x", "'", "(", "\\", "⁅", "¿", "rust |"]:
        for kind in ("", "films", "people", "reviews"):
            assert client.get("/search/", {"q": q, "kind": kind}).status_code == 200, q


# --- PostgreSQL full-text search ------------------------------------------------

full_text = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="full-text search runs on PostgreSQL; SQLite matches substrings",
)


def found(q, kind):
    return [str(item) for item in search_results(q)[kind]]


def days_ago(days):
    return timezone.now() - timezone.timedelta(days=days)


@full_text
def test_a_word_in_more_films_than_the_overview_ranks_still_leads_with_the_exact_title(
    client, db, monkeypatch
):
    """The overview ranks a shortlist of a common word's matches; the exact title is on it."""
    monkeypatch.setattr("filmblog.views.SEARCH_SHORTLIST", 3)
    make_film(title="Night", year=1950)
    for n in range(8):
        make_film(title=f"Another Long Night of the Year {n}", year=2000 + n)
    make_film(title="Nights", year=1960)
    make_review(
        film=make_film(title="Old Town"),
        headline="Nights in the old town",
        published_at=days_ago(30),
    )
    for n in range(4):
        make_review(headline=f"Night review {n}", published_at=days_ago(n))
    overview = text(client.get("/search/?q=night"))
    assert overview.index("Night (1950)") < overview.index("Nights (1960)")
    # The shortlist holds the newest reviews; the full list ranks every match.
    assert "Night review 0" in overview and "Nights in the old town" not in overview
    assert "Nights in the old town" in text(client.get("/search/?q=night&kind=reviews"))
    films = text(client.get("/search/?q=night&kind=films"))
    assert "Another Long Night of the Year 7" in films


@full_text
def test_films_rank_by_title_then_people_then_synopsis(db):
    # The newest film matches in its synopsis, the oldest in its title: rank beats recency.
    make_film(title="Harbour Lights", year=2020, synopsis="A lighthouse keeper's last winter.")
    by_person = make_film(title="Quiet Coast", year=2010)
    make_credit(film=by_person, person=make_person(name="Ida Lighthouse"), role="cast")
    make_film(title="The Lighthouse", year=2000)
    assert found("lighthouse", "films") == [
        "The Lighthouse (2000)",
        "Quiet Coast (2010)",
        "Harbour Lights (2020)",
    ]


@full_text
def test_reviews_rank_by_titles_then_people_then_standfirst_then_body(db):
    make_review(
        headline="Fourth",
        body="<p>The <b>lighthouse</b> scenes drag.</p>",
        published_at=days_ago(1),
    )
    make_review(
        headline="Third", standfirst="Two keepers, one lighthouse.", published_at=days_ago(2)
    )
    film = make_film(title="Quiet Coast")
    make_credit(film=film, person=make_person(name="Ida Lighthouse"))
    make_review(film=film, headline="Second", published_at=days_ago(3))
    make_review(film=make_film(title="The Lighthouse"), headline="First", published_at=days_ago(4))
    assert found("lighthouse", "reviews") == ["First", "Second", "Third", "Fourth"]


@full_text
def test_accents_fold_both_ways_in_french_and_english(db):
    make_film(title="Le Fabuleux Destin d'Amélie Poulain", year=2001)
    make_film(title="Etre et avoir", year=2002)
    make_film(title="Café Society", year=2016)
    make_person(name="Agnès Varda")
    make_person(name="Jose Garcia")
    make_review(headline="A quiet one", standfirst="A naïve hero, a patient film.")
    assert found("amelie poulain", "films") == ["Le Fabuleux Destin d'Amélie Poulain (2001)"]
    assert found("être", "films") == ["Etre et avoir (2002)"]
    assert found("cafe society", "films") == ["Café Society (2016)"]
    assert found("Agnes Varda", "people") == ["Agnès Varda"]
    assert found("José García", "people") == ["Jose Garcia"]
    assert found("naive", "reviews") == ["A quiet one"]


@full_text
def test_english_and_french_words_are_stemmed(db):
    make_film(title="The Ghost Writer", year=2010)
    make_review(headline="Horses", body="<p>Les chevaux courent sur la plage.</p>")
    make_review(headline="Spirits", body="<p>Three ghosts and a haunted house.</p>")
    assert found("ghosts", "films") == ["The Ghost Writer (2010)"]
    assert found("writers", "films") == ["The Ghost Writer (2010)"]
    assert found("ghost", "reviews") == ["Spirits"]
    assert found("cheval", "reviews") == ["Horses"]


@full_text
def test_the_last_word_matches_as_a_prefix_and_web_search_syntax_works(db):
    audiard = make_person(name="Jacques Audiard")
    rust = make_film(title="Rust and Bone", year=2012)
    make_credit(film=rust, person=audiard)
    make_film(title="Rust Belt Blues", year=1999)
    assert found("audi", "people") == ["Jacques Audiard"]
    assert found("audi", "films") == ["Rust and Bone (2012)"]
    assert found("rust and bo", "films") == ["Rust and Bone (2012)"]
    assert found("rust -bone", "films") == ["Rust Belt Blues (1999)"]
    assert found('"rust bone"', "films") == []
    assert found("rust bone", "films") == ["Rust and Bone (2012)"]


@full_text
def test_a_film_is_found_by_its_people_as_its_credits_change(db):
    film = make_film(title="Untitled Project", year=2024)
    review = make_review(film=film, headline="A first look")
    assert found("vesna", "films") == found("vesna", "reviews") == []

    person = make_person(name="Vesna Ortiz")
    credit = make_credit(film=film, person=person, role="cast", character="Ana")
    assert found("vesna", "films") == ["Untitled Project (2024)"]
    assert found("vesna", "reviews") == ["A first look"]

    person.name = "Vesna Oduya"
    person.save()
    assert found("ortiz", "films") == found("ortiz", "reviews") == []
    assert found("oduya", "films") == ["Untitled Project (2024)"]
    assert found("oduya", "reviews") == [str(review)]

    credit.delete()
    assert found("oduya", "films") == found("oduya", "reviews") == []
    assert found("oduya", "people") == ["Vesna Oduya"]


@full_text
def test_a_new_film_title_reaches_the_film_and_its_reviews(db):
    film = make_film(title="Working Title", year=2024)
    make_review(film=film, headline="Our verdict")
    film.title = "Marigold"
    film.save()
    assert found("working", "films") == found("working", "reviews") == []
    assert found("marigold", "films") == ["Marigold (2024)"]
    assert found("marigold", "reviews") == ["Our verdict"]


@full_text
def test_only_public_reviews_are_found_by_any_of_their_words(db):
    for status, when in [("published", days_ago(1)), ("draft", None), ("scheduled", days_ago(-1))]:
        make_review(
            headline=f"A {status} piece",
            body="<p>The zeppelin sequence.</p>",
            status=status,
            published_at=when,
        )
    assert found("zeppelin", "reviews") == ["A published piece"]


@full_text
def test_search_reads_the_indexes(db):
    author = make_review().author
    films = Film.objects.bulk_create(
        Film(title=f"Volume{i}", slug=f"volume-{i}", year=2000) for i in range(1000)
    )
    Review.objects.bulk_create(
        Review(
            film=film,
            author=author,
            headline=f"On volume{i}",
            slug=f"on-volume-{i}",
            status="published",
            published_at=days_ago(1),
        )
        for i, film in enumerate(films)
    )
    Person.objects.bulk_create(Person(name=f"Extra{i}", slug=f"extra-{i}") for i in range(1000))
    with connection.cursor() as cursor:
        # As autovacuum would leave them: fresh entries merged into the indexes,
        # statistics up to date.
        for index in ("film_search_idx", "review_search_idx", "person_name_search_idx"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE reviews_film, reviews_review, people_person")
        # A thousand rows fit in a few pages, which a planner may as well read
        # whole; without that choice, it shows the queries match the indexes.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    results = search_results("volume512")
    assert "Bitmap Index Scan on film_search_idx" in results["films"].explain()
    assert "Bitmap Index Scan on review_search_idx" in results["reviews"].explain()
    people = search_results("extra512")["people"]
    assert "Bitmap Index Scan on person_name_search_idx" in people.explain()


@full_text
def test_update_search_index_rebuilds_every_document(db):
    make_review(film=make_film(title="Marigold"), headline="Our verdict")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reviews_film SET search_vector = NULL")
        cursor.execute("UPDATE reviews_review SET search_vector = NULL")
    assert found("marigold", "films") == found("marigold", "reviews") == []
    out = io.StringIO()
    call_command("update_search_index", stdout=out)
    assert "1 films, 1 reviews" in out.getvalue()
    assert found("marigold", "films") == ["Marigold (2012)"]
    assert found("marigold", "reviews") == ["Our verdict"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's search tables")
def test_update_search_index_rebuilds_the_sqlite_tables_after_a_bulk_write(db):
    film = make_film(title="Marigold")
    Film.objects.filter(pk=film.pk).update(title="Calendula")  # no signal
    assert list(search_results("calendula")["films"]) == []
    out = io.StringIO()
    call_command("update_search_index", stdout=out)
    assert "Search tables rebuilt" in out.getvalue()
    assert list(search_results("calendula")["films"]) == [film]


# --- What a reader types on either database ------------------------------------


@pytest.mark.parametrize(
    ("query", "kind", "expected"),
    [
        ("stephane", "people", "Stéphane Fontaine</a>"),
        ("celine", "people", "Céline Sallette</a>"),
        ("prophete", "films", "<cite>A Prophet</cite>"),
        ("Stéphanie", "films", "<cite>Rust and Bone</cite>"),
        ("orca", "films", "<cite>Rust and Bone</cite>"),
        ("orca", "reviews", "Rust and Bone: two bruised"),
        ("audiard", "films", "<cite>Rust and Bone</cite>"),
        ("audiard", "films", "<cite>A Prophet</cite>"),
    ],
)
def test_accents_fold_and_every_word_counts(client, demo, query, kind, expected):
    html = client.get("/search/", {"q": query}).content.decode()
    assert expected in section(html, kind)


def test_films_and_people_come_with_their_reviews_and_thumbnails(client, demo):
    html = client.get("/search/?q=audiard").content.decode()
    people = section(html, "people")
    assert "Reviews: <a" in people and "<cite>Rust and Bone</cite> (2012)</a>" in people
    films = section(html, "films")
    assert "Our review: <a" in films
    assert films.count('class="result-thumb"') == films.count("<li")


def test_the_search_page_has_one_search_box(client, db):
    html = client.get("/search/?q=x").content.decode()
    assert html.count('type="search"') == 1


def test_a_new_review_word_is_found_at_once(db):
    review = make_review(body="<p>A zither plays.</p>")
    assert list(search_results("zither")["reviews"]) == [review]
    review.body = "<p>A lute plays.</p>"
    review.save()
    assert list(search_results("zither")["reviews"]) == []
    assert list(search_results("lute")["reviews"]) == [review]


def test_a_renamed_person_is_found_by_the_new_name_with_their_films(db):
    person = make_person(name="Ann Oldname")
    film = make_film(title="Quiet Hours")
    make_credit(film=film, person=person)
    person.name = "Ann Newname"
    person.save()
    assert list(search_results("newname")["films"]) == [film]
    assert list(search_results("newname")["people"]) == [person]
    assert list(search_results("oldname")["films"]) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
@pytest.mark.parametrize(
    ("query", "name"), [("cotilard", "Marion Cotillard"), ("audiar", "Jacques Audiard")]
)
def test_a_misspelt_name_finds_the_person(client, demo, query, name):
    assert f"{name}</a>" in section(
        client.get("/search/", {"q": query}).content.decode(), "people"
    )
