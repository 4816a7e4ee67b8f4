"""TMDB, IMDb and Wikidata ids on films and people: unique when set, linked, in JSON-LD."""

import json
import re

import pytest
from django.db import IntegrityError, transaction

from reviews.models import Review
from tests.factories import make_author, make_film, make_person

pytestmark = pytest.mark.django_db


def test_ids_are_optional_and_unique_when_set():
    make_film(title="One")
    make_film(title="Two")  # both without ids: fine
    make_film(title="Fargo", year=1996, tmdb_id=275, imdb_id="tt0116282", wikidata_id="Q222720")
    for ids in ({"tmdb_id": 275}, {"imdb_id": "tt0116282"}, {"wikidata_id": "Q222720"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_film(title="Another Fargo", **ids)
    make_person(name="A")
    make_person(name="B")
    make_person(name="Joel Coen", imdb_id="nm0001054")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_person(name="Joel Coen again", imdb_id="nm0001054")


def test_the_admin_shows_the_ids_and_explains_a_malformed_one(admin_client):
    film = make_film(title="Fargo", year=1996)
    url = f"/admin/reviews/film/{film.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="tmdb_id"' in page and 'name="imdb_id"' in page and 'name="wikidata_id"' in page
    person = make_person(name="Joel Coen")
    response = admin_client.post(
        f"/admin/people/person/{person.pk}/change/",
        {"name": "Joel Coen", "slug": person.slug, "imdb_id": "tt0116282", "wikidata_id": "Q1"},
    )
    assert "An IMDb id looks like nm0116282." in response.content.decode()


def test_film_and_person_pages_link_out_and_list_the_ids_as_same_as(client):
    film = make_film(title="Fargo", year=1996, tmdb_id=275, imdb_id="tt0116282")
    person = make_person(name="Joel Coen", wikidata_id="Q13595531")
    page = client.get(film.get_absolute_url()).content.decode()
    assert 'href="https://www.themoviedb.org/movie/275"' in page
    assert 'href="https://www.imdb.com/title/tt0116282/"' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page)[1])
    assert data["sameAs"] == [
        "https://www.themoviedb.org/movie/275",
        "https://www.imdb.com/title/tt0116282/",
    ]
    page = client.get(person.get_absolute_url()).content.decode()
    assert 'href="https://www.wikidata.org/wiki/Q13595531"' in page


def test_a_person_page_lists_every_id_as_same_as(client):
    person = make_person(
        name="Joel Coen", tmdb_id=1223, imdb_id="nm0001054", wikidata_id="Q13595531"
    )
    page = client.get(person.get_absolute_url()).content.decode()
    [data] = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    ]
    assert data["@type"] == "Person"
    assert data["sameAs"] == [
        "https://www.themoviedb.org/person/1223",
        "https://www.imdb.com/name/nm0001054/",
        "https://www.wikidata.org/wiki/Q13595531",
    ]
    # A person without ids claims no other page.
    page = client.get(make_person(name="Ethan Coen").get_absolute_url()).content.decode()
    assert "sameAs" not in page


def test_the_review_page_links_the_film_out(client):
    from django.utils import timezone

    film = make_film(title="Fargo", year=1996, wikidata_id="Q222720")
    review = Review.objects.create(
        film=film,
        headline="Snow and money",
        author=make_author(),
        status=Review.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    page = client.get(review.get_absolute_url()).content.decode()
    assert 'href="https://www.wikidata.org/wiki/Q222720"' in page
    assert '"sameAs": ["https://www.wikidata.org/wiki/Q222720"]' in page
