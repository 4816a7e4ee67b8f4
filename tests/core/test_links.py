import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.links import absolute, fixed_url, same_routing, url

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
        assert url(name, slug) == reverse(name, kwargs={"slug": slug})


def test_follows_the_script_prefix():
    set_script_prefix("/blog/")
    try:
        assert url("reviews:film-detail", "heat") == "/blog/films/heat/"
    finally:
        set_script_prefix("/")
    assert url("reviews:film-detail", "heat") == "/films/heat/"


def test_same_routing_keeps_the_prefix_it_found_and_ends_with_its_block():
    set_script_prefix("/blog/")
    try:
        with same_routing():
            assert url("reviews:film-detail", "heat") == "/blog/films/heat/"
            assert fixed_url("reviews:archive") == "/blog/archive/"
    finally:
        set_script_prefix("/")
    with same_routing():
        assert url("reviews:film-detail", "heat") == "/films/heat/"
    # After the block, each call reads them again.
    set_script_prefix("/other/")
    try:
        assert url("reviews:film-detail", "heat") == "/other/films/heat/"
    finally:
        set_script_prefix("/")


def test_anything_but_a_plain_slug_is_left_to_reverse():
    # reverse() quotes what it accepts and refuses what the route does not.
    with pytest.raises(Exception, match="Reverse"):
        url("reviews:film-detail", "two words")


@override_settings(ROOT_URLCONF="tests.filmblog.urls_moved")
def test_follows_a_change_of_urlconf():
    assert url("reviews:film-detail", "heat") == "/moved/films/heat/"


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


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("reviews:home", (), {}),
        ("reviews:tag-detail", ("film-noir",), {}),
        ("reviews:comment-create", ("heat-1995",), {}),
        ("reviews:year-detail", (1995,), {}),
        ("admin:reviews_review_change", (42,), {}),
        ("reviews:film-detail", (), {"slug": "heat"}),
        ("account:password-reset-confirm", (), {"uidb64": "MQ", "token": "set-password"}),
    ],
)
def test_url_is_reverse_whatever_the_route_takes(name, args, kwargs):
    assert url(name, *args, **kwargs) == reverse(name, args=args or None, kwargs=kwargs or None)


def test_url_leaves_what_is_not_a_plain_slug_to_reverse():
    # reverse() refuses what the route's converter does not accept.
    with pytest.raises(NoReverseMatch):
        url("reviews:tag-detail", "two words")
    set_script_prefix("/blog/")
    try:
        assert url("reviews:tag-detail", "noir") == "/blog/tags/noir/"
    finally:
        set_script_prefix("/")


def test_absolute_puts_site_paths_on_the_public_site(settings):
    settings.SITE_URL = "https://films.example"
    assert absolute("/films/heat/") == "https://films.example/films/heat/"
    assert absolute("https://cdn.example/p.jpg") == "https://cdn.example/p.jpg"
    assert absolute(None) == absolute("") == ""
