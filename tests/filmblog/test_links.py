import pytest
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from filmblog.links import fixed_url, slug_url

ROUTES = [
    "reviews:review-detail",
    "reviews:film-detail",
    "reviews:genre-detail",
    "reviews:country-detail",
    "people:person-detail",
    "people:author-detail",
]


@pytest.mark.parametrize("name", ROUTES)
def test_the_same_address_as_reverse(name):
    for slug in ["a", "the-godfather-1972", "film_2"]:
        assert slug_url(name, slug) == reverse(name, kwargs={"slug": slug})


def test_follows_the_script_prefix():
    set_script_prefix("/blog/")
    try:
        assert slug_url("reviews:film-detail", "heat") == "/blog/films/heat/"
    finally:
        set_script_prefix("/")
    assert slug_url("reviews:film-detail", "heat") == "/films/heat/"


def test_anything_but_a_plain_slug_is_left_to_reverse():
    # reverse() quotes what it accepts and refuses what the route does not.
    with pytest.raises(Exception, match="Reverse"):
        slug_url("reviews:film-detail", "two words")


@override_settings(ROOT_URLCONF="tests.filmblog.urls_moved")
def test_follows_a_change_of_urlconf():
    assert slug_url("reviews:film-detail", "heat") == "/moved/films/heat/"


@pytest.mark.parametrize("name", ["reviews:home", "reviews:archive", "search", "feeds:rss"])
def test_fixed_routes_are_the_same_address_as_reverse(name):
    assert fixed_url(name) == reverse(name)


def test_fixed_routes_follow_the_script_prefix_and_the_urlconf():
    set_script_prefix("/blog/")
    try:
        assert fixed_url("reviews:archive") == "/blog/archive/"
    finally:
        set_script_prefix("/")
    assert fixed_url("reviews:archive") == "/archive/"
    with override_settings(ROOT_URLCONF="tests.filmblog.urls_moved"):
        assert fixed_url("reviews:archive") == "/moved/archive/"
