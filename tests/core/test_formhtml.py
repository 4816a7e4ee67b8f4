"""
The blank forms' HTML kept per process (core/formhtml.py): a page that reuses
it is byte for byte the page laid out afresh, whatever the request asks for.
"""

import re

import pytest
from django.core import signing

from core import formhtml
from reviews.forms import STARTED_SALT, CommentForm, RatingForm
from subscriptions.forms import SubscriberForm
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_start(settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request renders its page
    formhtml.forget()
    yield
    formhtml.forget()


def afresh(client, url):
    formhtml.forget()
    return client.get(url).content.decode()


def started(html):
    """The time the page's comment form says it was shown."""
    token = re.search(r'name="started" value="([^"]+)"', html)[1]
    return signing.loads(token, salt=STARTED_SALT)


@pytest.mark.parametrize("query", ["", "?rated=4.5", "?reply={reply}", "?rated=1.0&reply={reply}"])
def test_the_review_page_is_the_same_as_when_laid_out_afresh(client, review, query, time_machine):
    reply = make_comment(review=review, parent=None).pk
    url = review.get_absolute_url() + query.format(reply=reply)
    time_machine.move_to(1_900_000_000, tick=False)
    expected = afresh(client, url)
    assert client.get(url).content.decode() == expected  # from the kept layouts
    # Other values in the fresh fields: a later time, another comment replied to.
    time_machine.move_to(1_900_000_100, tick=False)
    other_url = url.replace(f"reply={reply}", f"reply={reply + 1}")
    kept = client.get(other_url).content.decode()
    assert kept == afresh(client, other_url)
    assert (started(expected), started(kept)) == (1_900_000_000, 1_900_000_100)


def test_every_request_gets_a_start_time_of_its_own(client, review, time_machine):
    url = review.get_absolute_url()
    times = []
    for second in (1_900_000_000, 1_900_000_007):
        time_machine.move_to(second, tick=False)
        times.append(started(client.get(url).content.decode()))
    assert times == [1_900_000_000, 1_900_000_007]


def test_a_reply_id_and_a_chosen_rating_show_only_on_their_own_request(client, review):
    url = review.get_absolute_url()
    reply = make_comment(review=review).pk
    with_both = client.get(f"{url}?reply={reply}&rated=4.5").content.decode()
    assert f'name="parent" value="{reply}"' in with_both
    assert re.search(r'value="4.5"[^>]* checked', with_both)
    plain = client.get(url).content.decode()
    assert 'name="parent" value=' not in plain
    assert " checked" not in plain


def test_a_form_sent_back_with_errors_is_never_taken_from_the_kept_html(client, review):
    url = review.get_absolute_url()
    client.get(url)  # the blank comment form is now kept
    response = client.post(
        f"{url}comments/",
        {"name": "", "email": "maya@example.com", "text": "Kept text", "started": ""},
    )
    html = response.content.decode()
    assert "Kept text" in html
    assert "This field is required." in html


def test_values_that_html_would_change_are_never_put_back(rf, review):
    form = CommentForm(review=review, initial={"parent": '1" onfocus="x'})
    rendered = formhtml.render_kept(form, str_of)
    assert rendered == str_of(form)
    assert not formhtml._kept


@pytest.mark.parametrize("form_class", [RatingForm, SubscriberForm])
def test_the_same_blank_form_is_laid_out_once(form_class):
    calls = []

    def render(form):
        calls.append(form)
        return str_of(form)

    first = formhtml.render_kept(form_class(), render)
    second = formhtml.render_kept(form_class(), render)
    assert first == second
    assert len(calls) == 1


def test_nothing_is_kept_while_debugging(settings):
    settings.DEBUG = True
    calls = []
    for _ in range(2):
        formhtml.render_kept(SubscriberForm(), lambda form: calls.append(form) or "html")
    assert len(calls) == 2


def str_of(form):
    from filmblog.jinja2 import _crispy

    return str(_crispy(form))
