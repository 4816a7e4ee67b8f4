"""
The public page cache: anonymous readers get stored pages, every kind of change
makes the pages that show it fresh at once, and nobody is served a page that
was rendered for someone else.
"""

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import purges
from core.pagecache import HEADER, purge_stored, tag
from people.models import AuthorLink
from reviews import reader_actions
from reviews.models import Comment, Credit, Film
from reviews.reader_actions import Reader
from tests.factories import (
    make_comment,
    make_credit,
    make_editor,
    make_genre,
    make_person,
    make_quote,
    make_review,
)

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def cached(client, url):
    """Request ``url`` twice; the second answer must come from the cache."""
    fetch(client, url)
    response = fetch(client, url)
    assert response[HEADER] == "hit", url
    return response


class TestServing:
    def test_a_repeat_request_is_served_from_the_cache_without_queries(self, client, review):
        url = review.get_absolute_url()
        first = fetch(client, url)
        assert first[HEADER] == "miss"
        with CaptureQueriesContext(connection) as queries:
            second = fetch(client, url)
        assert second[HEADER] == "hit"
        assert len(queries) == 0
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]

    @pytest.mark.parametrize(
        "url",
        [
            "/",
            "/archive/",
            "/search/?q=paris",
            "/subscribe/",
            "/feeds/rss/",
        ],
    )
    def test_public_pages_are_cached(self, client, review, url):
        cached(client, url)

    def test_film_person_and_author_pages_are_cached(self, client, review):
        for url in (
            review.film.get_absolute_url(),
            review.film.directors[0].get_absolute_url(),
            review.author.get_absolute_url(),
        ):
            cached(client, url)

    def test_each_query_string_is_its_own_page(self, client, review):
        url = review.get_absolute_url()
        fetch(client, url)
        rated = fetch(client, url + "?rated=4.5")
        assert rated[HEADER] == "miss"
        assert "Your rating: 4.5" in text(rated)
        assert "Your rating:" not in text(fetch(client, url))

    def test_the_cache_can_be_turned_off(self, client, review, settings):
        settings.PAGE_CACHE_SECONDS = 0
        url = review.get_absolute_url()
        fetch(client, url)
        assert HEADER not in fetch(client, url)

    def test_a_missing_page_is_not_cached(self, client):
        assert client.get("/reviews/nothing-here/").status_code == 404
        assert HEADER not in client.get("/reviews/nothing-here/")

    def test_head_requests_are_answered_fresh(self, client, review):
        assert client.head(review.get_absolute_url()).status_code == 200


class TestCachedPagesCarryNoVisitorState:
    @pytest.mark.parametrize("path", ["review", "/", "/subscribe/"])
    def test_forms_carry_no_csrf_token_and_set_no_cookie(self, client, review, path):
        url = review.get_absolute_url() if path == "review" else path
        response = fetch(client, url)
        assert response[HEADER] == "miss"
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not response.cookies
        assert "<form" in response.content.decode()

    def test_a_signed_in_editor_gets_a_fresh_page_with_their_bar(self, client, review):
        url = review.get_absolute_url()
        cached(client, url)  # an anonymous copy is in the cache
        editor = make_editor(username="iris")
        client.force_login(editor)
        page = fetch(client, url)
        assert HEADER not in page
        assert "Signed in as iris" in text(page)
        assert "Edit this review" in text(page)

    def test_an_editors_page_is_never_served_to_a_reader(self, client, review):
        url = review.get_absolute_url()
        client.force_login(make_editor(username="iris"))
        fetch(client, url)
        fetch(client, url)
        client.logout()
        client.cookies.clear()
        page = fetch(client, url)
        assert page[HEADER] == "miss"
        assert "Signed in as" not in text(page)
        assert "Edit this review" not in text(page)

    def test_a_readers_rating_is_not_in_the_page_others_get(self, client, review):
        url = review.get_absolute_url()
        cached(client, url)
        client.post(f"{url}rating/", {"value": "4.5"})
        # The reader's own choice comes from /mine/, never from the shared page.
        page = fetch(client, url)
        assert "Your rating:" not in text(page)
        assert " checked>" not in page.content.decode()  # no star chosen
        other = type(client)()
        assert "Your rating:" not in text(fetch(other, url))
        assert client.get(f"{url}mine/").json()["your_rating"] == "4.5"
        assert other.get(f"{url}mine/").json()["your_rating"] is None

    def test_a_draft_preview_is_never_stored(self, client, review):
        draft = make_review(status="draft", headline="Not yet")
        author = draft.author.user
        client.force_login(author)
        preview = client.get(f"{draft.get_absolute_url()}preview/")
        assert preview.status_code == 200
        assert HEADER not in preview
        client.logout()
        client.cookies.clear()
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert "Not yet" not in text(cached(client, "/"))

    def test_a_visitor_with_a_pending_message_gets_a_fresh_page(self, client, review):
        url = review.get_absolute_url()
        cached(client, url)
        client.cookies["messages"] = "anything"
        assert HEADER not in fetch(client, url)


class TestChangesMakePagesFresh:
    """One test per kind of change: the pages that show it change at once."""

    def test_publishing_a_review(self, client, review):
        cached(client, "/")
        draft = make_review(status="draft", headline="A late discovery")
        cached(client, "/")
        assert client.get(draft.get_absolute_url()).status_code == 404
        draft.status = draft.Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.save()
        assert "A late discovery" in text(fetch(client, "/"))
        assert fetch(client, draft.get_absolute_url()).status_code == 200

    def test_unpublishing_a_review(self, client, review):
        cached(client, review.get_absolute_url())
        cached(client, "/")
        review.status = review.Status.DRAFT
        review.save()
        assert client.get(review.get_absolute_url()).status_code == 404
        assert "Two hours in Paris" not in text(fetch(client, "/"))

    def test_editing_a_review(self, client, review):
        cached(client, review.get_absolute_url())
        review.standfirst = "A woman waits for a diagnosis."
        review.save()
        assert "A woman waits for a diagnosis." in text(fetch(client, review.get_absolute_url()))

    def test_a_scheduled_review_appears_when_its_time_comes(self, client, review):
        at = timezone.now() + timezone.timedelta(hours=2)
        make_review(status="scheduled", published_at=at, headline="Coming on Friday")
        assert "Coming on Friday" not in text(cached(client, "/"))
        with time_machine.travel(at + timezone.timedelta(minutes=1)):
            assert "Coming on Friday" in text(fetch(client, "/"))

    def test_editing_a_film(self, client, review):
        film = review.film
        urls = [review.get_absolute_url(), film.get_absolute_url(), "/"]
        for url in urls:
            cached(client, url)
        film.title = "Cleo de 5 a 7"
        film.save()
        for url in urls:
            assert "Cleo de 5 a 7" in text(fetch(client, url)), url

    def test_changing_a_films_genres(self, client, review):
        cached(client, review.film.get_absolute_url())
        review.film.genres.add(make_genre(name="Nouvelle Vague"))
        assert "Nouvelle Vague" in text(fetch(client, review.film.get_absolute_url()))

    def test_renaming_a_person(self, client, review):
        director = review.film.directors[0]
        urls = [review.get_absolute_url(), review.film.get_absolute_url()]
        for url in urls:
            cached(client, url)
        director.name = "Agnès V."
        director.save()
        for url in urls:
            assert "Agnès V." in text(fetch(client, url)), url

    def test_adding_and_removing_a_credit(self, client, review):
        film_url = review.film.get_absolute_url()
        cached(client, film_url)
        cached(client, review.get_absolute_url())
        credit = make_credit(
            film=review.film,
            person=make_person(name="Michel Legrand"),
            role=Credit.Role.CAST,
            character="Bob",
            order=2,
        )
        assert "Michel Legrand" in text(fetch(client, film_url))
        assert "Michel Legrand" in text(fetch(client, review.get_absolute_url()))
        person_url = credit.person.get_absolute_url()
        cached(client, person_url)
        credit.delete()
        assert "Michel Legrand" not in text(fetch(client, film_url))
        assert "Cléo from 5 to 7" not in text(fetch(client, person_url))

    def test_editing_an_author_bio(self, client, review):
        author = review.author
        urls = [author.get_absolute_url(), review.get_absolute_url()]
        for url in urls:
            cached(client, url)
        author.bio = "Writes about the French New Wave."
        author.save()
        for url in urls:
            assert "Writes about the French New Wave." in text(fetch(client, url)), url

    def test_adding_an_author_link(self, client, review):
        url = review.author.get_absolute_url()
        cached(client, url)
        AuthorLink.objects.create(
            author=review.author, label="Letterboxd", url="https://letterboxd.com/someone/"
        )
        assert "Letterboxd" in text(fetch(client, url))

    def test_adding_a_critic_quote(self, client, review):
        cached(client, review.get_absolute_url())
        make_quote(review=review, quote="Quietly devastating.")
        assert "Quietly devastating." in text(fetch(client, review.get_absolute_url()))

    def test_approving_a_comment(self, client, review):
        url = review.get_absolute_url()
        comment = make_comment(review=review, status="pending", text="The mirror scene!")
        cached(client, url)
        reader_actions.moderate(
            Comment.objects.filter(pk=comment.pk), status=Comment.Status.APPROVED, by=None
        )
        page = text(fetch(client, url))
        assert "The mirror scene!" in page
        assert "(1 comment)" in page

    def test_removing_a_comment(self, client, review):
        url = review.get_absolute_url()
        make_comment(review=review, text="Spam, spam, spam.")
        assert "Spam, spam, spam." in text(cached(client, url))
        reader_actions.delete_comments(Comment.objects.filter(review=review))
        assert "Spam, spam, spam." not in text(fetch(client, url))

    def test_a_rating_updates_the_count(self, client, review):
        url = review.get_absolute_url()
        assert "User Ratings (0)" in text(cached(client, url))
        reader_actions.rate(review, reader=Reader(reader_id="abc"), value="4.0")
        assert "User Ratings (1)" in text(fetch(client, url))

    def test_a_like_updates_the_count(self, client, review):
        url = review.get_absolute_url()
        cached(client, url)
        reader_actions.like(review, reader=Reader(reader_id="abc"))
        assert "1 reader likes this" in text(fetch(client, url))

    def test_reader_contributions_leave_other_pages_cached(self, client, review):
        other = make_review(headline="Another one")
        cached(client, other.get_absolute_url())
        cached(client, "/")
        reader_actions.like(review, reader=Reader(reader_id="abc"))
        assert fetch(client, other.get_absolute_url())[HEADER] == "hit"
        assert fetch(client, "/")[HEADER] == "hit"

    def test_a_genre_rename_reaches_its_archive(self, client, review):
        genre = make_genre(name="Drama")
        review.film.genres.add(genre)
        url = f"/genres/{genre.slug}/"
        cached(client, url)
        genre.name = "Melodrama"
        genre.save()
        assert "Melodrama" in text(fetch(client, url))


class TestConsistency:
    def test_a_page_rendered_while_its_data_changed_is_not_kept(self, client, review, monkeypatch):
        """The versions a page is stored under are the ones read before it was rendered."""
        from reviews import views

        url = review.get_absolute_url()
        real = views.more_by_directors

        def change_the_film_mid_render(page_review):
            film = Film.objects.get(pk=page_review.film_id)
            film.title = "Retitled"
            film.save()
            return real(page_review)

        monkeypatch.setattr(views, "more_by_directors", change_the_film_mid_render)
        stale = fetch(client, url)
        assert "Retitled" not in text(stale)  # rendered from what was read first
        monkeypatch.setattr(views, "more_by_directors", real)
        assert "Retitled" in text(fetch(client, url))

    def test_purges_wait_for_the_commit(
        self, client, review, monkeypatch, django_capture_on_commit_callbacks
    ):
        """Nothing is purged inside the editor's transaction: only once it commits."""
        from django.db import transaction

        monkeypatch.setattr(purges, "after_commit", transaction.on_commit)
        url = review.get_absolute_url()
        cached(client, url)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            film = Film.objects.get(pk=review.film_id)
            film.title = "Retitled at commit"
            film.save()
        assert fetch(client, url)[HEADER] == "hit"
        assert len(callbacks) >= 1
        for callback in callbacks:
            callback()
        page = fetch(client, url)
        assert page[HEADER] == "miss"
        assert "Retitled at commit" in text(page)

    def test_an_emptied_cache_is_a_miss_not_an_error(self, client, review):
        from django.core.cache import cache

        url = review.get_absolute_url()
        cached(client, url)
        cache.clear()
        assert fetch(client, url)[HEADER] == "miss"


class TestWithRedis:
    """The same cache in Redis, as production runs it: every app server shares it."""

    @pytest.fixture(autouse=True)
    def redis_cache(self, shared_redis):
        pass

    def test_hit_and_invalidation(self, client, review):
        url = review.get_absolute_url()
        cached(client, url)
        review.film.title = "Cleo, in Redis"
        review.film.save()
        page = fetch(client, url)
        assert page[HEADER] == "miss"
        assert "Cleo, in Redis" in text(page)
        assert fetch(client, url)[HEADER] == "hit"

    def test_a_change_on_another_server_is_seen_here(self, client, review):
        """Another app server purges a tag in Redis: this one serves no stale copy."""
        url = review.get_absolute_url()
        cached(client, url)
        Film.objects.filter(pk=review.film_id).update(title="Renamed elsewhere")
        purge_stored(tag("film", review.film_id))
        page = fetch(client, url)
        assert page[HEADER] == "miss"
        assert "Renamed elsewhere" in text(page)

    def test_a_like_leaves_other_reviews_cached(self, client, review):
        other = make_review(headline="Another one")
        for url in (review.get_absolute_url(), other.get_absolute_url()):
            cached(client, url)
        reader_actions.like(review, reader=Reader(reader_id="abc"))
        assert fetch(client, other.get_absolute_url())[HEADER] == "hit"
        assert "1 reader likes this" in text(fetch(client, review.get_absolute_url()))


class TestStaleBeatsDown:
    """The database unreachable: a page's previous copy, never a 503 when one exists."""

    @pytest.fixture
    def database_down(self, monkeypatch):
        from django.db import OperationalError

        from reviews import views

        def unreachable(slug):
            raise OperationalError("connection refused")

        return lambda: monkeypatch.setattr(views, "public_review", unreachable)

    def test_a_purged_page_is_served_stale(self, client, review, database_down):
        url = review.get_absolute_url()
        cached(client, url)
        reader_actions.rate(review, reader=Reader(reader_id="abc"), value="4.0")
        database_down()
        page = fetch(client, url)
        assert page[HEADER] == "stale"
        assert "Two hours in Paris" in text(page)
        assert "User Ratings (0)" in text(page)  # as it was before the rating
        assert "s-maxage=5" in page["Cache-Control"]

    def test_a_page_of_a_past_site_version_is_served_stale(self, client, review, database_down):
        url = review.get_absolute_url()
        cached(client, url)
        purge_stored("site")
        database_down()
        assert fetch(client, url)[HEADER] == "stale"

    def test_a_page_never_cached_gets_the_503_page(self, client, review, database_down):
        database_down()
        client.raise_request_exception = False
        response = client.get(review.get_absolute_url())
        assert response.status_code == 503

    def test_a_stale_copy_is_not_stored_as_current(self, client, review, database_down):
        url = review.get_absolute_url()
        cached(client, url)
        reader_actions.like(review, reader=Reader(reader_id="abc"))
        database_down()
        assert fetch(client, url)[HEADER] == "stale"
        assert fetch(client, url)[HEADER] == "stale"

    def test_other_errors_are_not_hidden(self, client, review, monkeypatch):
        from reviews import views

        url = review.get_absolute_url()
        cached(client, url)
        reader_actions.like(review, reader=Reader(reader_id="abc"))

        def broken(slug):
            raise ValueError("a bug")

        monkeypatch.setattr(views, "public_review", broken)
        client.raise_request_exception = False
        assert client.get(url).status_code == 500
