"""An editor imports Fargo, then No Country for Old Men, from the (replayed) TMDB."""

import pytest

from reviews import workflow
from reviews.models import Film, Review
from tests.browser.conftest import admin_login
from tests.factories import make_author, make_genre
from tests.reviews.replay import replay_server, sources  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def import_in_five_steps(page, title):
    """The editor's steps, from the film list to the saved film: five."""
    page.click("text=Import a film")  # 1
    page.fill("#import-title", title)  # 2
    page.click("input[value=Search]")  # 3
    page.click(f"input[aria-label^='Import {title}']")  # 4
    page.wait_for_selector("text=nothing is published")
    page.click("input[name=_save]")  # 5
    page.wait_for_selector("text=was changed successfully")


def test_two_coen_films_imported_share_their_people(page, live_server, sources, django_user_model):  # noqa: F811
    for name in ("Crime", "Drama", "Thriller"):
        make_genre(name=name)
    editor = django_user_model.objects.create_superuser("desk", "desk@example.com", "pw")
    admin_login(page, live_server, "desk", "pw")

    page.goto(f"{live_server.url}/admin/reviews/film/")
    import_in_five_steps(page, "Fargo")
    page.goto(f"{live_server.url}/admin/reviews/film/")
    import_in_five_steps(page, "No Country for Old Men")

    author = make_author(user=editor)
    reviews = {}
    for film in Film.objects.all():
        review = Review.objects.create(film=film, headline=f"On {film.title}", author=author)
        workflow.publish(review, by=editor)
        reviews[film.title] = review

    page.goto(f"{live_server.url}{reviews['Fargo'].get_absolute_url()}")
    facts = page.locator(".facts")
    for label in ("Directors", "Writers"):
        line = facts.locator(".facts-list > div", has=page.locator(f"dt:text-is('{label}')"))
        assert line.locator("a", has_text="Joel Coen").count() == 1
        assert line.locator("a", has_text="Ethan Coen").count() == 1
    # The brothers directed the same other film: one "More by" names both.
    heading = page.locator(".more-by h2")
    assert heading.count() == 1
    assert " ".join(heading.text_content().split()) == "More by Joel Coen and Ethan Coen"
    for name in ("Joel Coen", "Ethan Coen"):
        assert heading.locator("a", has_text=name).count() == 1
    assert page.locator("text=On No Country for Old Men").count() >= 1
