"""
Tags that name what a page shows: a change expires the pages that show it and
no other. Each test caches every public page of a small catalogue, makes one
change, and checks which pages are still served from the cache.
"""

import pytest
from django.utils import timezone

from core.pagecache import HEADER
from reviews import reader_actions
from reviews.models import Credit
from reviews.reader_actions import Reader
from tests.factories import (
    make_author,
    make_credit,
    make_film,
    make_genre,
    make_person,
    make_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    """
    Two films by one director (so each review's "More by" shows the other), a
    third film by someone else in another genre and year, each with a review.
    """
    drama, comedy = make_genre(name="Drama"), make_genre(name="Comedy")
    director, actor, other = (
        make_person(name="Agnès Varda"),
        make_person(name="Corinne Marchand"),
        make_person(name="Jacques Tati"),
    )
    author, other_author = make_author(display_name="Iris"), make_author(display_name="Noor")
    cleo = make_film(title="Cléo from 5 to 7", year=1962, genres=[drama], runtime=90)
    gleaners = make_film(title="The Gleaners", year=2000, genres=[drama])
    playtime = make_film(title="Playtime", year=1967, genres=[comedy])
    make_credit(film=cleo, person=director)
    make_credit(film=cleo, person=actor, role=Credit.Role.CAST, character="Cléo", order=1)
    make_credit(film=gleaners, person=director)
    make_credit(film=playtime, person=other)
    site = {
        "cleo": cleo,
        "gleaners": gleaners,
        "playtime": playtime,
        "director": director,
        "actor": actor,
        "author": author,
        "drama": drama,
        "comedy": comedy,
        "cleo_review": make_review(
            film=cleo, author=author, headline="Two hours in Paris", standfirst="A walk."
        ),
        "gleaners_review": make_review(
            film=gleaners, author=author, headline="Picking up", standfirst="Potatoes."
        ),
        "playtime_review": make_review(
            film=playtime, author=other_author, headline="Glass", standfirst="Paris, remade."
        ),
    }
    return site


def pages(site):
    return {
        "home": "/",
        "archive": "/archive/",
        "rss": "/feeds/rss/",
        "cleo review": site["cleo_review"].get_absolute_url(),
        "gleaners review": site["gleaners_review"].get_absolute_url(),
        "playtime review": site["playtime_review"].get_absolute_url(),
        "cleo film": site["cleo"].get_absolute_url(),
        "gleaners film": site["gleaners"].get_absolute_url(),
        "playtime film": site["playtime"].get_absolute_url(),
        "director": site["director"].get_absolute_url(),
        "actor": site["actor"].get_absolute_url(),
        "author": site["author"].get_absolute_url(),
        "drama": f"/genres/{site['drama'].slug}/",
        "comedy": f"/genres/{site['comedy'].slug}/",
        "1962": "/years/1962/",
        "1967": "/years/1967/",
    }


def cache_all(client, site):
    for name, url in pages(site).items():
        client.get(url)
        response = client.get(url)
        assert response.status_code == 200, name
        assert response[HEADER] == "hit", name


def expired(client, site):
    """The names of the pages no longer served from the cache."""
    return {name for name, url in pages(site).items() if client.get(url).get(HEADER) != "hit"}


def test_a_films_runtime_expires_its_page_and_its_reviews_pages_only(client, site):
    cache_all(client, site)
    site["cleo"].runtime = 89
    site["cleo"].save()
    assert expired(client, site) == {"cleo film", "cleo review"}
    assert "89 minutes" in client.get(site["cleo_review"].get_absolute_url()).content.decode()


def test_a_films_title_also_expires_the_cards_and_lists_that_name_it(client, site):
    cache_all(client, site)
    site["cleo"].title = "Cleo de 5 a 7"
    site["cleo"].save()
    assert expired(client, site) == {
        "cleo film",
        "cleo review",
        "gleaners review",  # its "More by" names Cléo
        "home",
        "rss",
        "director",
        "actor",
        "author",
        "drama",
        "1962",
    }


def test_a_readers_rating_expires_its_review_page_only(client, site):
    cache_all(client, site)
    reader_actions.rate(site["cleo_review"], reader=Reader(reader_id="abc"), value="4.0")
    assert expired(client, site) == {"cleo review"}


def test_a_comment_and_a_like_expire_their_review_page_only(client, site):
    cache_all(client, site)
    reader_actions.like(site["playtime_review"], reader=Reader(reader_id="abc"))
    assert expired(client, site) == {"playtime review"}


def test_a_new_review_expires_the_lists_it_joins(client, site):
    cache_all(client, site)
    make_review(film=site["playtime"], author=site["author"], headline="Again, glass")
    assert expired(client, site) == {
        "home",
        "archive",
        "rss",
        "playtime film",
        "author",
        "comedy",
        "1967",
        # Its director's list, which "More by" on this film's reviews reads
        # (leaving this film out: one page more than needed).
        "playtime review",
    }


def test_a_draft_expires_nothing(client, site):
    cache_all(client, site)
    draft = make_review(film=site["cleo"], status="draft", headline="Not yet")
    draft.standfirst = "Still writing."
    draft.save()
    assert expired(client, site) == set()


def test_publishing_a_draft_expires_the_lists_it_joins(client, site):
    draft = make_review(film=site["gleaners"], author=site["author"], status="draft")
    cache_all(client, site)
    draft.status = draft.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    assert expired(client, site) == {
        "home",
        "archive",
        "rss",
        "gleaners film",
        "author",
        "drama",
        "director",
        "cleo review",  # More by lists the director's reviewed films
        "gleaners review",  # the same list, though it leaves its own film out
    }


def test_a_reviews_body_expires_its_page_and_the_feeds_not_its_cards(client, site):
    cache_all(client, site)
    review = site["cleo_review"]
    review.body = "<p>A new first paragraph.</p>"
    review.save()
    assert expired(client, site) == {"cleo review", "rss"}


def test_a_reviews_standfirst_expires_its_cards(client, site):
    cache_all(client, site)
    review = site["playtime_review"]
    review.standfirst = "Tati's city of glass."
    review.save()
    assert expired(client, site) == {
        "playtime review",
        "playtime film",
        "home",
        "rss",
        "comedy",
        "1967",
    }


def test_a_persons_name_expires_the_pages_that_name_them(client, site):
    cache_all(client, site)
    site["actor"].name = "Corinne M."
    site["actor"].save()
    assert expired(client, site) == {"actor", "cleo film", "cleo review"}


def test_a_persons_bio_expires_their_page_only(client, site):
    cache_all(client, site)
    site["director"].bio = "Photographer, then film-maker."
    site["director"].save()
    assert expired(client, site) == {"director"}


def test_an_authors_bio_expires_their_page_and_their_author_boxes(client, site):
    cache_all(client, site)
    site["author"].bio = "Writes about the Left Bank."
    site["author"].save()
    assert expired(client, site) == {"author", "cleo review", "gleaners review"}


def test_a_genre_rename_expires_the_pages_that_show_it(client, site):
    cache_all(client, site)
    site["comedy"].name = "Comedy of manners"
    site["comedy"].save()
    assert expired(client, site) == {
        "comedy",
        "archive",
        "playtime film",
        "playtime review",
        "rss",  # its items' categories
    }


def test_a_new_credit_expires_the_film_and_the_persons_lists(client, site):
    cache_all(client, site)
    make_credit(film=site["playtime"], person=site["actor"], role=Credit.Role.CAST, order=2)
    assert expired(client, site) == {"playtime film", "playtime review", "actor"}
