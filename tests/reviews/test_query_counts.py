"""
Every public page runs the same number of SQL queries however much it shows:
a film with 3 or 60 credits, a review with 1 or 15 critic quotes, a director
with 1 or 20 other reviewed films.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import Film
from tests.factories import (
    image_file,
    make_credit,
    make_editor,
    make_film,
    make_person,
    make_quote,
    make_release,
    make_review,
)

pytestmark = pytest.mark.django_db

# The review with its film and author, its film's credits, genres, countries
# and releases, its critic quotes, its tags, and "More by".
REVIEW_PAGE_BUDGET = 8
# With comments (counted with the review): a page of them and their replies.
COMMENT_QUERIES = 2


@pytest.fixture(autouse=True)
def render_every_time(settings):
    """These count what rendering a page costs; with the page cache on, a repeat costs none."""
    settings.PAGE_CACHE_SECONDS = 0


def queries(client, url):
    client.get(url)  # the first request makes image renditions; count the steady state
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def film_with_credits(n, *, title):
    film = make_film(title=title, countries=["FR", "BE"], poster=image_file())
    director = make_person(name=f"Director of {title}")
    make_credit(film=film, person=director)
    make_release(film=film)
    for i in range(n - 1):
        make_credit(film=film, role="cast", character=f"Role {i}", order=i)
    return film, director


def review_with(*, credits=3, quotes=1, other_films=1, tag_count=1):
    film, director = film_with_credits(credits, title=f"Film {credits}-{quotes}-{other_films}")
    review = make_review(film=film)
    review.tags.add(*[f"tag{i}" for i in range(tag_count)])
    for i in range(quotes):
        make_quote(review=review, order=i)
    for i in range(other_films):
        other = make_film(title=f"Other {i}", poster=image_file())
        make_credit(film=other, person=director)
        make_review(film=other)
    return review, director


def counted(request):
    """The queries ``request()`` runs once its first run has made the image renditions."""
    request()
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code in (200, 400), response.status_code
    return len(captured), response


class TestReviewPage:
    @pytest.fixture
    def review(self):
        review, _ = review_with(credits=3, quotes=1, other_films=1, tag_count=1)
        return review

    def grow(self, review):
        """Fifteen more credits, five quotes, five tags and five more films by its director."""
        film = review.film
        director = film.directors[0]
        for i in range(15):
            make_credit(film=film, role="cast", character=f"Extra {i}", order=100 + i)
        for i in range(5):
            make_quote(review=review, order=10 + i, critic=f"Critic {i}")
        review.tags.add(*[f"extra{i}" for i in range(5)])
        for i in range(5):
            other = make_film(title=f"Also by them {i}", year=2000 + i, poster=image_file())
            make_credit(film=other, person=director)
            make_review(film=other, headline=f"Also reviewed {i}")
        unseen = make_film(title="Still in the drawer", year=2020)
        make_credit(film=unseen, person=director)
        make_review(film=unseen, status="draft", headline="A draft about the drawer")

    def test_the_same_queries_however_much_the_page_shows(self, client, review):
        url = review.get_absolute_url()
        before, _ = counted(lambda: client.get(url))
        self.grow(review)
        after, response = counted(lambda: client.get(url))
        html = response.content.decode()
        assert before == after <= REVIEW_PAGE_BUDGET <= 10
        assert html.count('class="more-by-item"') == 6
        assert "Also by them 4" in html and "Critic 4" in html and "extra4" in html
        assert "Still in the drawer" not in html

    def test_the_preview_runs_the_same_queries_as_it_grows(self, client, review):
        client.force_login(make_editor())
        url = reverse("reviews:review-preview", kwargs={"slug": review.slug})
        before, _ = counted(lambda: client.get(url))
        self.grow(review)
        after, response = counted(lambda: client.get(url))
        assert before == after
        assert "Still in the drawer" not in response.content.decode()

    def test_a_comment_to_correct_runs_the_same_queries_as_it_grows(self, client, review):
        url = reverse("reviews:comment-create", kwargs={"slug": review.slug})
        data = {"name": "Reader", "email": "not an address", "text": "Hello"}
        before, _ = counted(lambda: client.post(url, data))
        self.grow(review)
        after, response = counted(lambda: client.post(url, data))
        assert response.status_code == 400
        assert before == after
        assert "Still in the drawer" not in response.content.decode()

    def test_co_directors_in_one_section_or_in_two_cost_the_same(self, client):
        review, joel = review_with(other_films=2)
        url = review.get_absolute_url()
        alone = queries(client, url)
        ethan = make_person(name="Ethan Co")
        for film in Film.objects.filter(credits__person=joel):
            make_credit(film=film, person=ethan)
        together = queries(client, url)
        html = client.get(url).content.decode()
        assert html.count('class="more-by"') == 1 and " and <a href" in html
        make_review(film=make_credit(person=ethan, film=make_film(title="Ethan solo")).film)
        apart = queries(client, url)
        assert client.get(url).content.decode().count('class="more-by"') == 2
        assert alone == together == apart <= REVIEW_PAGE_BUDGET

    def test_linking_the_authors_favourites_costs_no_query(self, client, review):
        url = review.get_absolute_url()
        unmatched = queries(client, url)
        author = review.author
        author.favourite_film, author.favourite_director = "Matched Film", "Matched Director"
        author.save()
        make_film(title="Matched Film")
        make_person(name="Matched Director")
        matched = queries(client, url)
        html = client.get(url).content.decode()
        assert '<a href="/films/matched-film/"><cite>Matched Film</cite></a>' in html
        assert '<a href="/people/matched-director/">Matched Director</a>' in html
        assert unmatched == matched <= REVIEW_PAGE_BUDGET
        author_url = author.get_absolute_url()
        assert queries(client, author_url) == 4
        assert "<cite>Matched Film</cite></a>" in client.get(author_url).content.decode()

    def test_a_comment_taken_reads_only_what_it_needs(self, client, review):
        import time

        from reviews.forms import started_token

        url = reverse("reviews:comment-create", kwargs={"slug": review.slug})
        data = {
            "name": "Reader",
            "email": "reader@example.com",
            "text": "Hello",
            "started": started_token(now=time.time() - 60),
        }
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, data, REMOTE_ADDR="10.1.0.1")
        assert response.status_code == 302
        self.grow(review)
        with CaptureQueriesContext(connection) as grown:
            client.post(url, data, REMOTE_ADDR="10.1.0.2")
        # The review, the comment's insert (in its savepoint): not the page's queries.
        assert len(captured) == len(grown) < REVIEW_PAGE_BUDGET

    def test_within_budget_and_the_same_for_1_and_15_quotes(self, client):
        small, _ = review_with(quotes=1)
        large, _ = review_with(quotes=15)
        n_small = queries(client, small.get_absolute_url())
        n_large = queries(client, large.get_absolute_url())
        assert n_small == n_large <= REVIEW_PAGE_BUDGET

    def test_the_same_for_3_and_60_credits(self, client):
        small, _ = review_with(credits=3)
        large, _ = review_with(credits=60)
        assert queries(client, small.get_absolute_url()) == queries(
            client, large.get_absolute_url()
        )

    def test_the_same_for_a_director_with_1_and_20_other_reviewed_films(self, client):
        small, _ = review_with(other_films=1)
        large, _ = review_with(other_films=20)
        n_small = queries(client, small.get_absolute_url())
        assert n_small == queries(client, large.get_absolute_url()) <= REVIEW_PAGE_BUDGET

    def test_the_same_with_two_directors(self, client):
        single, _ = review_with(other_films=2)
        double, _ = review_with(other_films=2)
        second = make_person()
        make_credit(film=double.film, person=second)
        for i in range(3):
            make_review(film=make_credit(person=second, film=make_film(title=f"B{i}")).film)
        assert queries(client, single.get_absolute_url()) == queries(
            client, double.get_absolute_url()
        )


class TestFilmPage:
    def test_the_same_for_3_and_60_credits(self, client):
        small, _ = film_with_credits(3, title="Small")
        large, _ = film_with_credits(60, title="Large")
        for film in (small, large):
            make_review(film=film)
            make_review(film=film)
        n_small = queries(client, small.get_absolute_url())
        assert n_small == queries(client, large.get_absolute_url()) <= 8


class TestPersonPage:
    def test_the_same_for_1_and_20_films(self, client):
        _, small = review_with(other_films=1)
        _, large = review_with(other_films=20)
        n_small = queries(client, small.get_absolute_url())
        assert n_small == queries(client, large.get_absolute_url()) <= 6


class TestListPages:
    @pytest.mark.parametrize("count", [1, 15])
    def test_home_author_and_archives_do_not_grow_with_their_lists(self, client, count):
        reviews = [review_with(other_films=0)[0] for _ in range(count)]
        author = reviews[0].author
        for review in reviews[1:]:
            review.author = author
            review.save()
        urls = {
            "home": "/",
            "author": author.get_absolute_url(),
            "tag": "/tags/tag0/",
            "country": "/countries/france/",
            "year": "/years/2012/",
            "archive": "/archive/",
            "rss": "/feeds/rss/",
            "atom": "/feeds/atom/",
            "author feed": f"/feeds/authors/{author.slug}/rss/",
            "tag feed": "/feeds/tags/tag0/atom/",
            "search": "/search/?q=film",
            "search films": "/search/?q=film&kind=films",
            "sitemap": "/sitemap.xml",
        }
        counts = {name: queries(client, url) for name, url in urls.items()}
        # PostgreSQL's search first parses the words into their readings, in one
        # query (search/postgresql.py text_queries()).
        readings = 1 if connection.vendor == "postgresql" else 0
        expected = {
            "home": 2,
            "author": 4,
            "tag": 3,
            "country": 3,
            "year": 2,
            "archive": 4,
            # The items, then their tags and their films' genres for the categories.
            "rss": 3,
            "atom": 3,
            "author feed": 4,
            "tag feed": 4,
            "search": 5 + readings,  # the films and the people bring their reviews
            "search films": 3 + readings,
            # Two for each of its nine sections, but the years' and the home page's.
            "sitemap": 16,
        }
        assert counts == expected


class TestReviewPageWithReaderContributions:
    """Comments are paginated and ratings read from counters, so neither grows the page."""

    def test_the_same_for_1_comment_and_100_comments_with_replies_and_10000_ratings(self, client):
        from decimal import Decimal

        from reviews.models import Like, Rating, Review
        from tests.factories import make_comment

        small, _ = review_with()
        make_comment(review=small)
        large, _ = review_with()
        for i in range(100):
            comment = make_comment(review=large, text=f"Comment {i}")
            if i % 10 == 0:
                make_comment(review=large, parent=comment, text=f"Reply {i}")
        Rating.objects.bulk_create(
            Rating(review=large, reader_id=f"{n:032x}", value=Decimal(n % 10 + 1) / 2)
            for n in range(10_000)
        )
        Like.objects.bulk_create(Like(review=large, reader_id=f"{n:032x}") for n in range(500))
        Review.objects.filter(pk=large.pk).update(
            rating_count=10_000,
            rating_total=sum(n % 10 + 1 for n in range(10_000)),
            like_count=500,
        )
        n_small = queries(client, small.get_absolute_url())
        n_large = queries(client, large.get_absolute_url())
        assert n_small == n_large == REVIEW_PAGE_BUDGET + COMMENT_QUERIES <= 10
        assert queries(client, large.get_absolute_url() + "?comments=5") == n_large
