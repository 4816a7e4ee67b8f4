"""A take-down time: the review leaves the site at that time, with no job to run it."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from reviews.models import Review
from tests.factories import make_editor, make_review

pytestmark = pytest.mark.django_db


def test_a_review_is_public_until_its_take_down_time(client):
    review = make_review(
        headline="Festival embargo", unpublish_at=timezone.now() + datetime.timedelta(hours=2)
    )
    url = review.get_absolute_url()
    assert client.get(url).status_code == 200
    assert "Festival embargo" in client.get("/").content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=3)):
        assert client.get(url).status_code == 404
        assert "Festival embargo" not in client.get("/").content.decode()
        assert not Review.objects.published().filter(pk=review.pk).exists()
        assert not Review.objects.get(pk=review.pk).is_public


def test_a_cached_page_comes_down_at_the_take_down_time(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    review = make_review(unpublish_at=timezone.now() + datetime.timedelta(minutes=30))
    url = review.get_absolute_url()
    client.get(url)
    assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        assert client.get(url).status_code == 404


def test_the_take_down_time_must_follow_the_publish_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_review(
            published_at=timezone.now(), unpublish_at=timezone.now() - datetime.timedelta(days=1)
        )


def test_the_desk_lists_what_comes_down_next(client):
    client.force_login(make_editor())
    when = timezone.now() + datetime.timedelta(days=2)
    review = make_review(headline="Coming down soon", unpublish_at=when)
    content = client.get(reverse("admin:index")).content.decode()
    assert "Coming down (1)" in content
    assert "Coming down soon" in content
    assert "comes down" in review.get_status_now_display()
    changelist = client.get(
        reverse("admin:reviews_review_changelist") + "?unpublish_at__isempty=0"
    )
    assert changelist.status_code == 200
    assert "Coming down soon" in changelist.content.decode()


def test_an_editor_sets_a_take_down_time_in_the_review_form(client):
    client.force_login(make_editor())
    review = make_review(headline="Short run")
    page = client.get(reverse("admin:reviews_review_change", args=[review.pk]))
    assert 'name="unpublish_at_0"' in page.content.decode()
