"""Abuse has limits: votes, sign-ins and password resets are rate-limited."""

import pytest
from django.core import mail

from reviews.reader_views import VOTE_RATE_PER_ADDRESS

pytestmark = pytest.mark.django_db


def vote(client, url, data):
    client.cookies.clear()  # a new cookie-less reader every time
    return client.post(url, data, HTTP_ACCEPT="application/json")


class TestVotes:
    def test_cookie_less_ratings_from_one_address_stop_counting(self, client, review):
        url = f"{review.get_absolute_url()}rating/"
        answers = [vote(client, url, {"value": "5.0"}) for _ in range(60)]
        assert [a.status_code for a in answers].count(200) == VOTE_RATE_PER_ADDRESS
        assert answers[-1].status_code == 429
        review.refresh_from_db()
        assert review.rating_count == VOTE_RATE_PER_ADDRESS

    def test_likes_are_limited_the_same_way(self, client, review):
        url = f"{review.get_absolute_url()}like/"
        answers = [vote(client, url, {"action": "like"}) for _ in range(30)]
        assert answers[-1].status_code == 429
        review.refresh_from_db()
        assert review.like_count == VOTE_RATE_PER_ADDRESS

    def test_another_address_still_votes(self, client, review):
        url = f"{review.get_absolute_url()}rating/"
        for _ in range(VOTE_RATE_PER_ADDRESS + 1):
            vote(client, url, {"value": "5.0"})
        other = client.post(
            url, {"value": "1.0"}, HTTP_ACCEPT="application/json", REMOTE_ADDR="10.9.9.9"
        )
        assert other.status_code == 200


class TestLogins:
    @pytest.fixture
    def editor(self, django_user_model):
        return django_user_model.objects.create_user(
            username="editor", password="the-right-password-1", is_staff=True
        )

    @pytest.mark.parametrize("url", ["/admin/login/", "/account/login/"])
    def test_forty_wrong_passwords_then_the_right_one_is_refused(self, client, editor, url):
        for _ in range(40):
            client.post(url, {"username": "editor", "password": "wrong"})
        response = client.post(url, {"username": "editor", "password": "the-right-password-1"})
        assert response.status_code == 200
        assert "Too many sign-in attempts" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_other_accounts_from_elsewhere_still_sign_in(self, client, editor, django_user_model):
        for _ in range(40):
            client.post("/admin/login/", {"username": "editor", "password": "wrong"})
        django_user_model.objects.create_user(
            username="other", password="another-password-2", is_staff=True
        )
        response = client.post(
            "/admin/login/",
            {"username": "other", "password": "another-password-2"},
            REMOTE_ADDR="10.1.2.3",
        )
        assert response.status_code == 302


class TestPasswordReset:
    """The mail is a task, enqueued when the request's transaction commits."""

    @pytest.fixture
    def reset(self, client, django_capture_on_commit_callbacks):
        def post(email):
            with django_capture_on_commit_callbacks(execute=True):
                return client.post("/account/password/reset/", {"email": email})

        return post

    def test_known_and_unknown_addresses_get_the_same_answer(self, reset, django_user_model):
        django_user_model.objects.create_user(
            username="ada", email="ada@example.com", password="pw-long-enough-1"
        )
        known = reset("ada@example.com")
        unknown = reset("nobody@example.com")
        assert known.status_code == unknown.status_code == 302
        assert known["Location"] == unknown["Location"]
        assert [m.to for m in mail.outbox] == [["ada@example.com"]]

    def test_one_account_gets_a_few_mails_an_hour_at_most(self, reset, django_user_model):
        django_user_model.objects.create_user(
            username="ada", email="ada@example.com", password="pw-long-enough-1"
        )
        for _ in range(20):
            assert reset("ada@example.com").status_code == 302
        assert len(mail.outbox) == 3

    def test_nothing_is_mailed_inside_the_request(self, client, django_user_model):
        """Without the commit (as inside a test's transaction) no mail has gone yet."""
        django_user_model.objects.create_user(
            username="ada", email="ada@example.com", password="pw-long-enough-1"
        )
        assert (
            client.post("/account/password/reset/", {"email": "ada@example.com"}).status_code
            == 302
        )
        assert mail.outbox == []
