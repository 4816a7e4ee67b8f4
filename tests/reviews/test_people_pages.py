"""Person and author pages."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import make_author, make_credit, make_film, make_person, make_review
from tests.reviews.test_review_page import text

pytestmark = pytest.mark.django_db


class TestPersonPage:
    def test_filmography_is_grouped_by_role_with_characters(self, client, demo):
        body = text(client.get("/people/niels-arestrup/"))
        assert "Niels Arestrup" in body
        assert "Cast 2009 A Prophet as César Luciani" in body
        assert "2005 The Beat That My Heart Skipped as Robert Seyr" in body

    def test_a_director_and_writer_appears_under_both_roles(self, client, demo):
        body = text(client.get("/people/jacques-audiard/"))
        assert body.index("Director 2012 Rust and Bone") < body.index("Writer 2012 Rust and Bone")

    def test_reviews_of_their_films_are_listed_and_linked(self, client, demo):
        response = client.get("/people/tahar-rahim/")
        body = text(response)
        assert "Reviews of Tahar Rahim’s films" in body
        assert "A Prophet: an education behind bars" in body
        assert "Rust and Bone: two bruised" not in body
        assert 'href="/reviews/a-prophet-an-education-behind-bars/"' in response.content.decode()

    def test_reviews_that_are_not_public_are_not_listed(self, client):
        person = make_person(name="Hidden Star")
        film = make_film(title="Secret Film")
        make_credit(film=film, person=person, role="cast", character="Someone")
        make_review(film=film, headline="A draft nobody sees", status="draft")
        make_review(
            film=film,
            headline="Tomorrow's review",
            status="scheduled",
            published_at=timezone.now() + datetime.timedelta(days=1),
        )
        body = text(client.get(person.get_absolute_url()))
        assert "Secret Film as Someone" in body
        assert "A draft nobody sees" not in body and "Tomorrow's review" not in body
        assert "Read our review" not in body
        assert "We have not reviewed any of these films yet." in body

    def test_an_unknown_person_is_a_404(self, client, db):
        assert client.get("/people/nobody/").status_code == 404


class TestAuthorPage:
    def test_bio_favourites_links_and_reviews(self, client, demo):
        response = client.get("/authors/iris-marchetti/")
        body = text(response)
        assert "Iris has written about films" in body
        assert "Favourite director Fritz Lang" in body
        assert "Letterboxd diary" in body
        for headline in ("Rust and Bone: two", "A Prophet: an education", "The Beat That My"):
            assert headline in body
        assert 'href="/feeds/authors/iris-marchetti/rss/"' in response.content.decode()

    def test_only_public_reviews_are_listed(self, client):
        author = make_author(display_name="Careful Writer")
        make_review(author=author, headline="Out in the world")
        make_review(author=author, headline="Still drafting", status="draft")
        body = text(client.get(author.get_absolute_url()))
        assert "Out in the world" in body and "Still drafting" not in body

    def test_an_author_without_reviews_says_so(self, client):
        author = make_author(display_name="New Writer")
        assert "New Writer has not published a review yet." in text(
            client.get(author.get_absolute_url())
        )

    def test_reviews_paginate(self, client):
        author = make_author()
        for i in range(14):
            make_review(
                author=author,
                headline=f"Numbered review {i:02}",
                published_at=timezone.now() - datetime.timedelta(days=i + 1),
            )
        first = text(client.get(author.get_absolute_url()))
        second = text(client.get(author.get_absolute_url() + "?page=2"))
        assert "Numbered review 00" in first and "Numbered review 13" not in first
        assert "Numbered review 13" in second and "Page 2 of 2" in second
        assert client.get(author.get_absolute_url() + "?page=9").status_code == 404
