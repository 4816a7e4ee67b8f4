"""The content API's resources, its draft rule, filters and shapes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from reviews.models import Credit
from tests.factories import (
    make_author,
    make_credit,
    make_film,
    make_genre,
    make_person,
    make_quote,
    make_release,
    make_review,
)

pytestmark = pytest.mark.django_db


def data(response):
    assert response.status_code == 200, response.content
    return response.json()["data"]


def ids(response):
    return [item["id"] for item in data(response)]


@pytest.fixture
def catalogue():
    """Two directors, three films, reviews by two authors, one draft and one scheduled."""
    drama = make_genre(name="Drama")
    prison = make_genre(name="Prison drama", parent=drama)
    comedy = make_genre(name="Comedy")
    audiard = make_person(name="Jacques Audiard")
    varda = make_person(name="Agnès Varda")
    cotillard = make_person(name="Marion Cotillard")
    prophet = make_film(title="A Prophet", year=2009, countries=["FR"], genres=[prison])
    rust = make_film(title="Rust and Bone", year=2012, countries=["FR", "BE"], genres=[drama])
    cleo = make_film(title="Cléo from 5 to 7", year=1962, countries=["FR"], genres=[comedy])
    make_credit(film=prophet, person=audiard, role=Credit.Role.DIRECTOR)
    make_credit(film=rust, person=audiard, role=Credit.Role.DIRECTOR)
    make_credit(film=rust, person=cotillard, role=Credit.Role.CAST, character="Stéphanie", order=1)
    make_credit(film=cleo, person=varda, role=Credit.Role.DIRECTOR)
    make_release(film=rust, country_code="FR", date=timezone.now().date())
    iris, tom = make_author(display_name="Iris"), make_author(display_name="Tom")
    now = timezone.now()
    reviews = {
        "prophet": make_review(
            film=prophet,
            author=iris,
            headline="An education",
            rating=Decimal("4.5"),
            published_at=now - timedelta(days=3),
        ),
        "rust": make_review(
            film=rust,
            author=tom,
            headline="Bruised bodies",
            rating=Decimal("3.5"),
            published_at=now - timedelta(days=2),
        ),
        "cleo": make_review(
            film=cleo,
            author=iris,
            headline="Two hours in Paris",
            rating=Decimal("5.0"),
            published_at=now - timedelta(days=1),
        ),
        "draft": make_review(film=rust, author=iris, headline="Draft take", status="draft"),
        "scheduled": make_review(
            film=cleo,
            author=tom,
            headline="Coming soon",
            status="scheduled",
            published_at=now + timedelta(days=1),
        ),
    }
    reviews["rust"].tags.add("Cannes 2012", "French cinema")
    reviews["prophet"].tags.add("French cinema")
    reviews["draft"].tags.add("Secret tag")
    make_quote(review=reviews["rust"], quote="Ferocious.", critic="A. Critic")
    return {
        "reviews": reviews,
        "films": {"prophet": prophet, "rust": rust, "cleo": cleo},
        "people": {"audiard": audiard, "varda": varda, "cotillard": cotillard},
        "authors": {"iris": iris, "tom": tom},
        "genres": {"drama": drama, "prison": prison, "comedy": comedy},
    }


def test_a_review_has_what_a_reader_sees(api, catalogue):
    rust = catalogue["reviews"]["rust"]
    item = data(api.get(f"/api/v1/reviews/{rust.pk}/"))
    assert item["headline"] == "Bruised bodies"
    assert item["url"] == f"http://127.0.0.1:8000/reviews/{rust.slug}/"
    assert item["rating"] == 3.5
    assert item["reader_rating"] == {"average": None, "count": 0}
    assert [tag["name"] for tag in item["tags"]] == ["Cannes 2012", "French cinema"]
    assert item["author"]["name"] == "Tom"
    assert item["film"]["title"] == "Rust and Bone"
    assert item["critic_quotes"][0]["quote"] == "Ferocious."
    # ISO 8601 times
    assert item["published_at"].endswith("Z") and "T" in item["published_at"]
    assert "bio" not in item["author"] and "credits" not in item["film"]
    assert data(api.get(f"/api/v1/reviews/slug/{rust.slug}/"))["id"] == rust.pk


def test_include_expands_the_film_and_the_author(api, catalogue):
    rust = catalogue["reviews"]["rust"]
    item = data(api.get(f"/api/v1/reviews/{rust.pk}/?include=film,author"))
    credits = item["film"]["credits"]
    assert {(c["person"]["name"], c["role"], c["character"]) for c in credits} == {
        ("Jacques Audiard", "director", ""),
        ("Marion Cotillard", "cast", "Stéphanie"),
    }
    assert {c["code"] for c in item["film"]["countries"]} == {"FR", "BE"}
    assert item["film"]["releases"][0]["country"]["code"] == "FR"
    assert item["film"]["genres"][0]["name"] == "Drama"
    assert "bio" in item["author"] and "links" in item["author"]
    assert "user" not in item["author"] and "desk_emails" not in item["author"]


def test_fields_trims_each_item_and_keeps_the_id(api, catalogue):
    items = data(api.get("/api/v1/reviews/?fields=headline,rating"))
    assert all(set(item) == {"id", "headline", "rating"} for item in items)


def test_drafts_and_scheduled_reviews_never_appear(api, catalogue):
    reviews = catalogue["reviews"]
    listed = ids(api.get("/api/v1/reviews/?limit=100"))
    assert reviews["draft"].pk not in listed and reviews["scheduled"].pk not in listed
    assert len(listed) == 3
    for hidden in (reviews["draft"], reviews["scheduled"]):
        response = api.get(f"/api/v1/reviews/{hidden.pk}/")
        assert response.status_code == 404
        assert response.json()["errors"][0]["status"] == 404
        assert api.get(f"/api/v1/reviews/slug/{hidden.slug}/").status_code == 404
    # Not through a film...
    rust = data(api.get(f"/api/v1/films/{catalogue['films']['rust'].pk}/"))
    assert [r["id"] for r in rust["reviews"]] == [reviews["rust"].pk]
    cleo = data(api.get(f"/api/v1/films/slug/{catalogue['films']['cleo'].slug}/"))
    assert [r["id"] for r in cleo["reviews"]] == [reviews["cleo"].pk]
    # ...nor a person, an author's count or the tags.
    audiard = catalogue["people"]["audiard"]
    person = data(api.get(f"/api/v1/people/{audiard.pk}/?include=reviews"))
    assert {r["id"] for r in person["reviews"]} == {reviews["rust"].pk, reviews["prophet"].pk}
    authors = {a["name"]: a for a in data(api.get("/api/v1/authors/"))}
    assert authors["Iris"]["review_count"] == 2 and authors["Tom"]["review_count"] == 1
    tags = {t["name"]: t["review_count"] for t in data(api.get("/api/v1/tags/"))}
    assert tags == {"Cannes 2012": 1, "French cinema": 2}


def test_a_scheduled_review_appears_once_its_time_comes(api, catalogue, time_machine):
    scheduled = catalogue["reviews"]["scheduled"]
    time_machine.move_to(scheduled.published_at + timedelta(minutes=1))
    assert scheduled.pk in ids(api.get("/api/v1/reviews/"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("director=jacques-audiard", {"prophet", "rust"}),
        ("person=marion-cotillard", {"rust"}),
        ("film=rust-and-bone", {"rust"}),
        ("genre=drama", {"prophet", "rust"}),  # its sub-genre included
        ("genre=prison-drama", {"prophet"}),
        ("tag=french-cinema", {"prophet", "rust"}),
        ("country=be", {"rust"}),
        ("year_min=2010", {"rust"}),
        ("year_max=2009", {"prophet", "cleo"}),
        ("rating_min=4", {"prophet", "cleo"}),
        ("rating_max=4", {"rust"}),
        ("director=jacques-audiard&year_min=2010&rating_min=3", {"rust"}),
        ("director=nobody", set()),
    ],
)
def test_review_filters(api, catalogue, query, expected):
    author_query = query.replace("author=", "author=")
    found = set(ids(api.get(f"/api/v1/reviews/?{author_query}")))
    assert found == {catalogue["reviews"][name].pk for name in expected}


def test_reviews_by_author_and_updated_since(api, catalogue):
    iris = catalogue["authors"]["iris"]
    found = set(ids(api.get(f"/api/v1/reviews/?author={iris.slug}")))
    assert found == {catalogue["reviews"]["prophet"].pk, catalogue["reviews"]["cleo"].pk}
    later = (timezone.now() + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(api.get(f"/api/v1/reviews/?updated_since={later}")) == []
    earlier = (timezone.now() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S")
    assert len(ids(api.get(f"/api/v1/reviews/?updated_since={earlier}"))) == 3


def test_review_ordering(api, catalogue):
    r = catalogue["reviews"]
    assert ids(api.get("/api/v1/reviews/")) == [r["cleo"].pk, r["rust"].pk, r["prophet"].pk]
    assert ids(api.get("/api/v1/reviews/?order=published_at"))[0] == r["prophet"].pk
    assert ids(api.get("/api/v1/reviews/?order=-rating")) == [
        r["cleo"].pk,
        r["prophet"].pk,
        r["rust"].pk,
    ]
    assert ids(api.get("/api/v1/reviews/?order=title")) == [
        r["prophet"].pk,
        r["cleo"].pk,
        r["rust"].pk,
    ]


def test_film_filters_search_and_ordering(api, catalogue):
    f = catalogue["films"]
    assert set(ids(api.get("/api/v1/films/?director=jacques-audiard"))) == {
        f["prophet"].pk,
        f["rust"].pk,
    }
    assert ids(api.get("/api/v1/films/?rating_min=5")) == [f["cleo"].pk]
    assert ids(api.get(f"/api/v1/films/?author={catalogue['authors']['tom'].slug}")) == [
        f["rust"].pk
    ]
    assert ids(api.get("/api/v1/films/?q=prophet")) == [f["prophet"].pk]
    assert ids(api.get("/api/v1/films/?q=cleo")) == [f["cleo"].pk]  # accents folded
    assert ids(api.get("/api/v1/films/?order=-year")) == [
        f["rust"].pk,
        f["prophet"].pk,
        f["cleo"].pk,
    ]
    assert ids(api.get("/api/v1/films/?order=-published_at"))[0] == f["cleo"].pk


def test_a_film_has_its_facts_and_credits(api, catalogue):
    film = data(api.get(f"/api/v1/films/{catalogue['films']['prophet'].pk}/"))
    assert film["title"] == "A Prophet" and film["year"] == 2009
    assert film["genres"][0]["parent"]["name"] == "Drama"
    assert film["credits"][0]["person"]["name"] == "Jacques Audiard"
    assert film["url"].endswith("/films/a-prophet/")


def test_people_authors_genres_tags(api, catalogue):
    person = data(api.get(f"/api/v1/people/slug/{catalogue['people']['cotillard'].slug}/"))
    assert person["credits"][0]["character"] == "Stéphanie"
    assert person["credits"][0]["film"]["title"] == "Rust and Bone"
    assert "reviews" not in person
    author = data(api.get(f"/api/v1/authors/slug/{catalogue['authors']['iris'].slug}/"))
    assert author["name"] == "Iris" and "desk_emails" not in author
    genres = {g["name"]: g for g in data(api.get("/api/v1/genres/"))}
    assert genres["Prison drama"]["parent"]["name"] == "Drama"
    genre = data(api.get(f"/api/v1/genres/{catalogue['genres']['comedy'].pk}/"))
    assert genre["film_count"] == 1
    tag = data(api.get("/api/v1/tags/"))[0]
    assert data(api.get(f"/api/v1/tags/{tag['id']}/"))["name"] == tag["name"]


def test_pagination_meta(api, catalogue):
    body = api.get("/api/v1/reviews/?limit=2").json()
    assert body["meta"]["pagination"] == {
        "page": 1,
        "limit": 2,
        "pages": 2,
        "total": 3,
        "next": 2,
        "prev": None,
    }
    body = api.get("/api/v1/reviews/?limit=2&page=2").json()
    assert len(body["data"]) == 1 and body["meta"]["pagination"]["prev"] == 1
    assert body["meta"]["pagination"]["next"] is None
    empty = api.get("/api/v1/reviews/?page=9").json()
    assert empty["data"] == [] and empty["meta"]["pagination"]["total"] == 3


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("limit=101", "limit"),
        ("limit=0", "limit"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("rating_min=six", "rating_min"),
        ("rating_max=5.5", "rating_max"),
        ("rating_min=nan", "rating_min"),
        ("year_min=99999999999999999999999", "year_min"),
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=1700000000", "updated_since"),
        ("country=France", "country"),
        ("director=<script>", "director"),
        ("order=random", "order"),
        ("fields=headline,password", "fields"),
        ("include=comments", "include"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(api, catalogue, query, parameter):
    response = api.get(f"/api/v1/reviews/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    assert errors[0]["parameter"] == parameter
    assert errors[0]["status"] == 400
    assert parameter in errors[0]["message"]


def test_bad_ids_and_unknown_addresses_are_json(api, catalogue):
    assert api.get("/api/v1/reviews/abc/").json()["errors"][0]["parameter"] == "review_id"
    assert api.get(f"/api/v1/films/{2**64}/").status_code == 400
    missing = api.get("/api/v1/films/999999/")
    assert missing.status_code == 404 and "No film" in missing.json()["errors"][0]["message"]
    unknown = api.get("/api/v1/screenings/")
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["status"] == 404
    post = api.post("/api/v1/reviews/", {})
    assert post.status_code == 405


def test_fields_error_lists_the_names(api, catalogue):
    message = api.get("/api/v1/reviews/?fields=bogus").json()["errors"][0]["message"]
    assert "headline" in message and "critic_quotes" in message


def test_a_nul_character_is_a_json_400(api, catalogue):
    response = api.get("/api/v1/films/?q=a%00b")
    assert response.status_code == 400
    assert response.json()["errors"][0]["status"] == 400


@pytest.mark.parametrize(
    "address", ["/api/v1/genres/?fields=film_count", "/api/v1/tags/?fields=review_count"]
)
def test_fields_trims_genres_and_tags_too(api, catalogue, address):
    items = data(api.get(address))
    assert items and all(len(item) == 2 and "id" in item for item in items)


def test_a_review_taken_down_disappears(api, catalogue):
    rust = catalogue["reviews"]["rust"]
    rust.unpublish_at = timezone.now() - timedelta(minutes=1)
    rust.published_at = timezone.now() - timedelta(hours=1)
    rust.save()
    assert rust.pk not in ids(api.get("/api/v1/reviews/"))
    assert api.get(f"/api/v1/reviews/{rust.pk}/").status_code == 404
    film = data(api.get(f"/api/v1/films/{catalogue['films']['rust'].pk}/"))
    assert film["reviews"] == []


@pytest.mark.parametrize(
    ("address", "envelope"),
    [
        ("/api/v1/reviews/?include=film,author", "ReviewList"),
        ("/api/v1/reviews/?fields=tags,film", "ReviewList"),
        ("/api/v1/films/", "FilmList"),
        ("/api/v1/people/?include=reviews", "PersonList"),
        ("/api/v1/authors/", "AuthorList"),
        ("/api/v1/genres/", "GenreList"),
        ("/api/v1/tags/", "TagList"),
    ],
)
def test_answers_have_the_documented_shape(api, catalogue, address, envelope):
    """The answers are serialised by hand: each must still parse as its schema says."""
    from pydantic import TypeAdapter

    from api import endpoints

    body = api.get(address).json()
    assert body["data"]
    model = getattr(endpoints, envelope)
    parsed = TypeAdapter(model).validate_python(body)
    # Nothing the schema does not know, nothing it requires missing.
    dumped = parsed.model_dump(exclude_unset=True)["data"]
    assert [set(item) for item in dumped] == [set(item) for item in body["data"]]
