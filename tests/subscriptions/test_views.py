import re
from urllib.parse import urlsplit

import pytest
import redis
import time_machine
from django.core import mail
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from subscriptions.forms import SubscriberForm
from subscriptions.mail import confirmation_token, unsubscribe_token
from subscriptions.models import Subscriber
from tests.factories import make_review
from tests.filmblog.factories import make_subscriber

pytestmark = pytest.mark.django_db

SIGN_UP = "/subscribe/sign-up/"


def sign_up(client, email="reader@example.com", **data):
    return client.post(SIGN_UP, {"email": email, **data})


def link_in(message, kind):
    match = re.search(rf"https?://\S+/subscribe/{kind}/\S+/", message.body)
    assert match, f"no {kind} link in: {message.body}"
    return urlsplit(match.group(0)).path


def html_part(message):
    return next(body for body, mimetype in message.alternatives if mimetype == "text/html")


# --- The form on every page -------------------------------------------------


def test_subscribe_page_shows_the_form_with_consent_wording(client):
    response = client.get("/subscribe/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Get the latest posts delivered to your mailbox" in html
    assert 'action="/subscribe/sign-up/"' in html
    assert "every e-mail has a link to stop them" in html


def test_the_include_renders_the_form_on_any_page_without_view_context(rf):
    from django.template import engines

    template = engines["jinja2"].from_string('{% include "subscriptions/_subscribe.html" %}')
    html = template.render({}, rf.get("/any-page/"))
    assert "Get the latest posts delivered to your mailbox" in html
    assert 'name="email"' in html
    assert 'action="/subscribe/sign-up/"' in html


def test_sign_up_is_post_only(client):
    assert client.get(SIGN_UP).status_code == 405


# --- Double opt-in, end to end ---------------------------------------------


def test_sign_up_confirm_digest_unsubscribe_by_header(client):
    from django.core.management import call_command

    response = sign_up(client, "Reader@Example.com", name="Ann")
    assert response.status_code == 302
    assert response.url == reverse("subscriptions:check-inbox")
    assert "Check your inbox" in client.get(response.url).content.decode()

    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["reader@example.com"]
    assert "Hello Ann" in confirmation.body
    assert "Confirm my subscription" in html_part(confirmation)
    subscriber = Subscriber.objects.get()
    assert subscriber.state == Subscriber.State.PENDING

    # Nothing goes to an address that never confirmed.
    make_review(headline="Published before confirming")
    call_command("send_digest", verbosity=0)
    assert len(mail.outbox) == 1

    confirm_path = link_in(confirmation, "confirm")
    page = client.get(confirm_path)
    assert "Yes, send me new reviews" in page.content.decode()
    assert Subscriber.objects.get().state == Subscriber.State.PENDING  # GET alone does nothing
    done = client.post(confirm_path)
    assert "You are subscribed" in done.content.decode()
    assert Subscriber.objects.get().state == Subscriber.State.CONFIRMED

    make_review(headline="Rust and Bone, reconsidered", published_at=timezone.now())
    call_command("send_digest", verbosity=0)
    assert len(mail.outbox) == 2
    digest = mail.outbox[1]
    assert "Rust and Bone, reconsidered" in digest.body
    assert "Rust and Bone, reconsidered" in html_part(digest)
    assert "Published before confirming" not in digest.body

    header = digest.extra_headers["List-Unsubscribe"]
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = urlsplit(header.strip("<>")).path
    # A mail client's one-click POST: no cookies, no CSRF token.
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscriber.objects.get().state == Subscriber.State.UNSUBSCRIBED

    make_review(headline="After leaving", published_at=timezone.now())
    call_command("send_digest", verbosity=0)
    assert len(mail.outbox) == 2


def test_unsubscribe_through_the_page(client):
    subscriber = make_subscriber()
    path = reverse("subscriptions:unsubscribe", kwargs={"token": unsubscribe_token(subscriber)})
    page = client.get(path)
    assert "Stop the e-mails?" in page.content.decode()
    assert subscriber.email in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.CONFIRMED

    response = client.post(path)
    assert "You are unsubscribed" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    # The link keeps saying so afterwards.
    assert "You are unsubscribed" in client.get(path).content.decode()


def test_every_mail_has_the_unsubscribe_link_in_its_body(client):
    sign_up(client)
    message = mail.outbox[0]
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    assert link in html_part(message)


def test_an_old_confirmation_link_does_not_undo_an_unsubscribe(client):
    subscriber = make_subscriber(state=Subscriber.State.UNSUBSCRIBED)
    path = reverse("subscriptions:confirm", kwargs={"token": confirmation_token(subscriber)})
    response = client.post(path)
    assert "has unsubscribed" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.UNSUBSCRIBED


def test_coming_back_after_unsubscribing_needs_a_new_confirmation(client):
    make_subscriber(email="back@example.com", state=Subscriber.State.UNSUBSCRIBED)
    sign_up(client, "back@example.com")
    subscriber = Subscriber.objects.get()
    assert subscriber.state == Subscriber.State.PENDING
    assert "confirm" in mail.outbox[0].subject.lower()


# --- No enumeration ---------------------------------------------------------


@pytest.mark.parametrize("state", [None, "pending", "confirmed", "unsubscribed"])
def test_the_answer_is_the_same_for_new_and_known_addresses(client, state):
    if state:
        make_subscriber(email="known@example.com", state=state)
    response = sign_up(client, "KNOWN@example.com")
    assert response.status_code == 302
    assert response.url == reverse("subscriptions:check-inbox")
    assert Subscriber.objects.filter(email="known@example.com").count() == 1
    # Whoever owns the mailbox hears about it; the page says nothing either way.
    assert len(mail.outbox) == 1


def test_a_confirmed_address_is_told_it_is_already_subscribed_not_asked_again(client):
    make_subscriber(email="known@example.com")
    sign_up(client, "known@example.com")
    assert "already receives our new reviews" in mail.outbox[0].body
    assert "/subscribe/confirm/" not in mail.outbox[0].body
    assert Subscriber.objects.get().state == Subscriber.State.CONFIRMED


def test_repeated_sign_ups_do_not_flood_a_mailbox(client):
    for _ in range(3):
        sign_up(client, "victim@example.com")
    assert len(mail.outbox) == 1


# --- Bad input --------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    ["", "not-an-address", "a@b", "a@b.c\nBcc: x@y.z", "a@b.c\r\nBcc: x@y.z", "x" * 250 + "@b.co"],
)
def test_bad_addresses_are_refused_with_a_message(client, email):
    response = sign_up(client, email)
    assert response.status_code == 400
    html = response.content.decode()
    assert "invalid-feedback" in html or "This field is required" in html
    assert Subscriber.objects.count() == 0
    assert mail.outbox == []


def test_header_injection_in_the_name_is_refused(client):
    response = sign_up(client, "ok@example.com", name="Ann\nBcc: x@y.z")
    assert response.status_code == 400
    assert "letters and spaces only" in response.content.decode()
    assert mail.outbox == []


def test_form_accepts_a_good_address_and_normalises_it():
    form = SubscriberForm(data={"email": "  Mixed@Case.Example ", "name": "  Ann   Lee "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "mixed@case.example"
    assert form.cleaned_data["name"] == "Ann Lee"


def test_form_does_not_reveal_an_existing_address():
    make_subscriber(email="known@example.com")
    form = SubscriberForm(data={"email": "known@example.com"})
    assert form.is_valid(), form.errors


def test_the_database_refuses_a_second_spelling_of_one_address():
    make_subscriber(email="one@example.com")
    with pytest.raises(IntegrityError):
        Subscriber.objects.bulk_create(
            [Subscriber(email="ONE@example.com", consent_at=timezone.now(), consent_version="x")]
        )


def test_the_bot_trap_pretends_success_and_sends_nothing(client):
    response = sign_up(client, "bot@example.com", website="http://spam.example")
    assert response.status_code == 302
    assert response.url == reverse("subscriptions:check-inbox")
    assert Subscriber.objects.count() == 0
    assert mail.outbox == []


# --- Links ------------------------------------------------------------------


def test_a_tampered_confirmation_link_gets_a_clear_page(client):
    subscriber = make_subscriber(state=Subscriber.State.PENDING)
    token = confirmation_token(subscriber)
    for bad in (
        token[:-2] + "xx",
        "nonsense",
        token.replace(token[0], "f" if token[0] != "f" else "e", 1),
    ):
        response = client.post(reverse("subscriptions:confirm", kwargs={"token": bad}))
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.PENDING


def test_an_expired_confirmation_link_gets_a_clear_page(client, settings):
    subscriber = make_subscriber(state=Subscriber.State.PENDING)
    path = reverse("subscriptions:confirm", kwargs={"token": confirmation_token(subscriber)})
    later = timezone.now() + timezone.timedelta(seconds=settings.SUBSCRIBE_CONFIRM_MAX_AGE + 60)
    with time_machine.travel(later):
        response = client.post(path)
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert "Get the latest posts delivered to your mailbox" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.PENDING


def test_a_tampered_unsubscribe_link_gets_a_clear_page(client):
    subscriber = make_subscriber()
    token = unsubscribe_token(subscriber)
    for method in (client.get, client.post):
        response = method(reverse("subscriptions:unsubscribe", kwargs={"token": token + "x"}))
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.CONFIRMED


def test_a_confirmation_link_cannot_be_used_to_unsubscribe_and_back(client):
    subscriber = make_subscriber(state=Subscriber.State.PENDING)
    token = confirmation_token(subscriber)
    response = client.post(reverse("subscriptions:unsubscribe", kwargs={"token": token}))
    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.PENDING


def test_an_unsubscribe_link_still_works_years_later(client):
    subscriber = make_subscriber()
    path = reverse("subscriptions:unsubscribe", kwargs={"token": unsubscribe_token(subscriber)})
    with time_machine.travel(timezone.now() + timezone.timedelta(days=5 * 365)):
        client.post(path)
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.UNSUBSCRIBED


# --- Rate limit -------------------------------------------------------------


def test_sign_up_is_rate_limited_per_client(client, settings):
    settings.SUBSCRIBE_RATE_LIMIT = 3
    for n in range(3):
        assert sign_up(client, f"r{n}@example.com").status_code == 302
    response = sign_up(client, "r9@example.com")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert not Subscriber.objects.filter(email="r9@example.com").exists()
    # Another client is not affected.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(SIGN_UP, {"email": "o@example.com"}).status_code == 302


def test_the_rate_limit_window_passes(client, settings):
    settings.SUBSCRIBE_RATE_LIMIT = 1
    assert sign_up(client, "a@example.com").status_code == 302
    assert sign_up(client, "b@example.com").status_code == 429
    later = timezone.now() + timezone.timedelta(seconds=settings.SUBSCRIBE_RATE_WINDOW + 1)
    with time_machine.travel(later):
        assert sign_up(client, "c@example.com").status_code == 302


def test_behind_a_proxy_the_forwarded_client_is_limited(settings):
    settings.SUBSCRIBE_RATE_LIMIT = 1
    settings.NUM_PROXIES = 1
    first = Client(HTTP_X_FORWARDED_FOR="203.0.113.5")
    second = Client(HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert first.post(SIGN_UP, {"email": "a@example.com"}).status_code == 302
    assert first.post(SIGN_UP, {"email": "b@example.com"}).status_code == 429
    # Same proxy address, different client: its own allowance.
    assert second.post(SIGN_UP, {"email": "c@example.com"}).status_code == 302
    # A forged entry in front of the real one changes nothing.
    forged = Client(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert forged.post(SIGN_UP, {"email": "d@example.com"}).status_code == 429


def test_the_rate_limit_lives_in_redis_so_every_app_server_shares_it(settings, shared_redis):
    from django.core.cache import caches

    settings.SUBSCRIBE_RATE_LIMIT = 2
    try:
        assert sign_up(Client(), "a@example.com").status_code == 302
        assert sign_up(Client(), "b@example.com").status_code == 302
        # A fresh connection, as another app server would have, sees the same count.
        caches["default"].close()
        settings.CACHES = {"default": {**settings.CACHES["default"]}}
        assert sign_up(Client(), "c@example.com").status_code == 429
        assert not Subscriber.objects.filter(email="c@example.com").exists()
    finally:
        prefix = settings.CACHES["default"]["KEY_PREFIX"]
        client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


@pytest.mark.parametrize("page", ["home", "review"])
def test_the_sign_up_form_is_on_the_home_and_review_pages(client, page):
    review = make_review()
    url = reverse("reviews:home") if page == "home" else review.get_absolute_url()
    content = client.get(url).content.decode()
    assert "Get the latest posts delivered to your mailbox" in content
    assert f'action="{reverse("subscriptions:sign-up")}"' in content
