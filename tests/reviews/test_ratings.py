"""Reader ratings and likes: one per reader, changeable, counted without reading rows."""

import json
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError

from filmblog.jinja2 import crispy
from reviews import reader_actions
from reviews.forms import RatingForm, seconds_since
from reviews.models import Like, Rating, Review
from reviews.reader_actions import Reader
from tests.factories import make_review, make_user

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def rate_url(review):
    return f"{review.get_absolute_url()}rating/"


def like_url(review):
    return f"{review.get_absolute_url()}like/"


def reader(n):
    return Reader(reader_id=f"{n:032x}")


def checked_choices(page):
    return re.findall(r'<input type="radio" name="value" value="([^"]+)"[^>]* checked>', page)


class TestRateFunction:
    def test_counts_and_average(self, review):
        for n, value in enumerate(["5", "4.5", "0.5"]):
            reader_actions.rate(review, reader=reader(n), value=value)
        review.refresh_from_db()
        assert review.rating_count == 3
        assert review.rating_total == 20  # half stars
        assert review.reader_rating_average == Decimal("3.3")

    def test_changing_a_rating_keeps_one_row(self, review):
        reader_actions.rate(review, reader=reader(1), value="2")
        reader_actions.rate(review, reader=reader(1), value="4.5")
        review.refresh_from_db()
        assert Rating.objects.get().value == Decimal("4.5")
        assert (review.rating_count, review.rating_total) == (1, 9)

    def test_a_user_is_recognised_by_account(self, review):
        user = make_user()
        reader_actions.rate(review, reader=Reader(user=user), value="3")
        reader_actions.rate(review, reader=Reader(user=user), value="1")
        review.refresh_from_db()
        assert (review.rating_count, review.rating_total) == (1, 2)

    def test_withdrawing(self, review):
        reader_actions.rate(review, reader=reader(1), value="3")
        assert reader_actions.unrate(review, reader=reader(1))
        review.refresh_from_db()
        assert (review.rating_count, review.rating_total) == (0, 0)
        assert review.reader_rating_average is None

    def test_the_database_refuses_two_rows_for_one_reader(self, review):
        Rating.objects.create(review=review, reader_id="a" * 32, value=Decimal("3"))
        with pytest.raises(IntegrityError):
            Rating.objects.create(review=review, reader_id="a" * 32, value=Decimal("4"))

    @pytest.mark.parametrize("value", ["0", "5.5", "3.3", "-1"])
    def test_the_database_refuses_values_out_of_range(self, review, value):
        with pytest.raises(IntegrityError):
            Rating.objects.create(review=review, reader_id="b" * 32, value=Decimal(value))


class TestRatingForm:
    @pytest.mark.parametrize("value", ["", "0", "6", "4.3", "abc", "-0.5"])
    def test_bad_input(self, value):
        assert not RatingForm(data={"value": value}).is_valid()

    @pytest.mark.parametrize("value", ["0.5", "3.0", "5.0"])
    def test_good_input(self, value):
        assert RatingForm(data={"value": value}).is_valid()


class TestRatingViews:
    def test_without_javascript_a_form_post_and_a_redirect(self, client, review):
        response = client.post(rate_url(review), {"value": "4.5"})
        assert response.status_code == 302
        assert response["Location"] == f"{review.get_absolute_url()}?rated=4.5#reader-rating"
        assert "reader" in response.cookies
        page = client.get(response["Location"]).content.decode()
        assert "User Ratings (1)" in page
        assert ">Your rating: 4.5</p>" in page
        assert checked_choices(page) == ["4.5"]

    def test_five_stars_without_javascript(self, client, review):
        response = client.post(rate_url(review), {"value": "5.0"})
        assert response["Location"].endswith("?rated=5#reader-rating")
        page = client.get(response["Location"]).content.decode()
        assert ">Your rating: 5</p>" in page
        assert checked_choices(page) == ["5.0"]

    @pytest.mark.parametrize("rated", ["6", "4.3", "abc", "", "5.00"])
    def test_a_made_up_rated_address_claims_nothing(self, client, review, rated):
        page = client.get(f"{review.get_absolute_url()}?rated={rated}").content.decode()
        assert "Your rating:" not in page
        assert checked_choices(page) == []

    def test_the_cookie_recognises_the_reader_when_they_change_their_mind(self, client, review):
        client.post(rate_url(review), {"value": "1.0"})
        client.post(rate_url(review), {"value": "5.0"})
        review.refresh_from_db()
        assert (review.rating_count, review.rating_total) == (1, 10)

    def test_two_readers_are_two_ratings(self, client, review, django_user_model):
        client.post(rate_url(review), {"value": "1.0"})
        client.cookies.clear()
        client.post(rate_url(review), {"value": "2.0"})
        client.force_login(make_user())
        client.post(rate_url(review), {"value": "3.0"})
        review.refresh_from_db()
        assert review.rating_count == 3
        assert Rating.objects.filter(user__isnull=False, reader_id="").count() == 1

    def test_a_forged_cookie_is_a_new_reader(self, client, review):
        client.post(rate_url(review), {"value": "1.0"})
        client.cookies["reader"] = "f" * 32  # unsigned
        client.post(rate_url(review), {"value": "2.0"})
        assert Rating.objects.count() == 2

    def test_with_javascript_json_and_no_reload(self, client, review):
        response = client.post(rate_url(review), {"value": "3.5"}, **JSON)
        assert response.status_code == 200
        assert response.json() == {
            "rating_count": 1,
            "rating_average": "3.5",
            "like_count": 0,
            "your_rating": "3.5",
        }

    def test_bad_input(self, client, review):
        response = client.post(rate_url(review), {"value": "7"})
        assert response["Location"].endswith("?rating=invalid#reader-rating")
        page = client.get(response["Location"]).content.decode()
        assert "data-rating-status>Pick from half a star to five stars" in page
        assert client.post(rate_url(review), {}).status_code == 302  # no choice: the same
        assert client.post(rate_url(review), {"value": "x"}, **JSON).status_code == 400
        assert not Rating.objects.exists()

    def test_drafts_cannot_be_rated(self, client):
        draft = make_review(status="draft")
        assert client.post(rate_url(draft), {"value": "3.0"}).status_code == 404

    def test_mine_tells_the_script_what_this_reader_chose(self, client, review):
        mine = f"{review.get_absolute_url()}mine/"
        first = client.get(mine).json()
        assert first["your_rating"] is None and first["liked"] is False
        client.post(rate_url(review), {"value": "2.5"})
        client.post(like_url(review), {"action": "like"})
        after = client.get(mine).json()
        assert after["your_rating"] == "2.5" and after["liked"] is True

    def test_mine_gives_the_comment_form_a_fresh_start_time(self, client, review):
        """The page may come from the cache; the script times the comment form from now."""
        token = client.get(f"{review.get_absolute_url()}mine/").json()["comment_started"]
        assert abs(seconds_since(token)) < 5


class TestLikes:
    def test_like_once_and_undo(self, client, review):
        response = client.post(like_url(review), {"action": "like"})
        assert response["Location"].endswith("?liked=1#likes")
        client.post(like_url(review), {"action": "like"})
        review.refresh_from_db()
        assert review.like_count == 1 == Like.objects.count()
        page = client.get(response["Location"]).content.decode()
        assert "1 reader likes this" in re.sub(r"<[^>]+>", "", page)
        assert "Liked · undo" in page
        client.post(like_url(review), {"action": "unlike"})
        review.refresh_from_db()
        assert review.like_count == 0 == Like.objects.count()

    def test_unliking_what_was_never_liked_changes_nothing(self, client, review):
        reader_actions.like(review, reader=reader(1))
        client.post(like_url(review), {"action": "unlike"})
        review.refresh_from_db()
        assert review.like_count == 1

    def test_json(self, client, review):
        response = client.post(like_url(review), {"action": "like"}, **JSON)
        assert response.json()["like_count"] == 1
        assert response.json()["liked"] is True

    def test_many_readers(self, client, review):
        for n in range(5):
            reader_actions.like(review, reader=reader(n))
        page = client.get(review.get_absolute_url()).content.decode()
        assert "5 readers like this" in re.sub(r"<[^>]+>", "", page)


class TestTheStarControl:
    """The reader's rating control: a RatingForm laid out by crispy as five stars in halves."""

    @pytest.fixture
    def control(self, client, review):
        html = client.get(review.get_absolute_url()).content.decode()
        start = html.index('<fieldset id="div_id_rating_value"')
        return html[start : html.index("</fieldset>", start)]

    def test_ten_half_star_choices_each_with_its_own_label(self, control):
        assert '<legend class="rating-label">Your rating</legend>' in control
        choices = re.findall(
            r'<input type="radio" name="value" value="([^"]+)" class="star-radio" '
            r'id="(id_rating_value_\d)" required><label for="\2" [^>]*>'
            r'<span class="visually-hidden">([^<]+)</span>',
            control,
        )
        assert [(value, name) for value, _, name in choices] == [
            ("0.5", "0.5 stars"),
            ("1.0", "1 star"),
            ("1.5", "1.5 stars"),
            ("2.0", "2 stars"),
            ("2.5", "2.5 stars"),
            ("3.0", "3 stars"),
            ("3.5", "3.5 stars"),
            ("4.0", "4 stars"),
            ("4.5", "4.5 stars"),
            ("5.0", "5 stars"),
        ]
        # The stars are drawn for the eye only; each label names its choice.
        assert control.count('aria-hidden="true" focusable="false"') == 10

    def test_its_help_is_tied_to_it(self, control):
        assert 'aria-describedby="id_rating_value_helptext"' in control
        assert '<p id="id_rating_value_helptext"' in control

    def test_nothing_is_chosen_for_a_new_reader(self, control):
        assert checked_choices(control) == []

    def test_a_bound_form_with_an_error_says_so_by_the_stars(self):
        form = RatingForm(data={"value": "9"})
        assert not form.is_valid()
        html = str(crispy(form))
        assert 'aria-describedby="id_rating_value_error id_rating_value_helptext"' in html
        assert (
            '<p id="id_rating_value_error" class="invalid-feedback">'
            "Pick from half a star to five stars, then press Rate.</p>"
        ) in html

    def test_the_partial_writes_no_form_field_of_its_own(self):
        from django.conf import settings

        partial = (settings.BASE_DIR / "templates/reviews/_reader_rating.html").read_text()
        assert "{{ rating_form|crispy }}" in partial
        assert '<input type="radio"' not in partial


class TestOnThePage:
    def json_ld(self, client, review):
        html = client.get(review.get_absolute_url()).content.decode()
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        return json.loads(block.group(1))

    def test_no_aggregate_rating_before_any_vote(self, client, review):
        assert "aggregateRating" not in self.json_ld(client, review)["itemReviewed"]

    def test_aggregate_rating_on_the_movie(self, client, review):
        reader_actions.rate(review, reader=reader(1), value="4")
        reader_actions.rate(review, reader=reader(2), value="3")
        data = self.json_ld(client, review)["itemReviewed"]["aggregateRating"]
        assert data == {
            "@type": "AggregateRating",
            "ratingValue": "3.5",
            "ratingCount": 2,
            "bestRating": "5",
            "worstRating": "0.5",
        }

    def test_average_and_count_next_to_the_editorial_stars(self, client, review):
        for n, value in enumerate(["4", "5", "5"]):
            reader_actions.rate(review, reader=reader(n), value=value)
        html = client.get(review.get_absolute_url()).content.decode()
        ratings = html[
            html.index('class="ratings"') : html.index("</section>", html.index('class="ratings"'))
        ]
        assert "Our rating" in ratings
        assert "User Ratings (3)" in ratings
        assert "4.7 / 5" in ratings


def test_saving_a_review_does_not_overwrite_the_reader_counters(review):
    stale = Review.objects.get(pk=review.pk)  # an editor opens the review
    reader_actions.rate(review, reader=reader(1), value="4")
    reader_actions.like(review, reader=reader(1))
    stale.headline = "A loud, long film"
    stale.save()
    fresh = Review.objects.get(pk=review.pk)
    assert fresh.headline == "A loud, long film"
    assert (fresh.rating_count, fresh.rating_total, fresh.like_count) == (1, 8, 1)
