"""
From nothing to a published review of a new film with three new people and a
new genre, as an editor does it in Chromium, with every page load and form
submission counted: the people and the genre are added from the film form's
own boxes, with no pop-up window (goal: 12 steps or fewer; it took 27).
"""

import re

import pytest

from filmblog.demo import load_demo
from filmblog.demo_content import DEMO_PASSWORD
from people.models import Person
from reviews.models import Film, Review
from tests.browser.conftest import type_into_autocomplete

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PEOPLE = [("Mira Okafor", "director"), ("Tomas Lindqvist", "cast"), ("Ana Ferreira", "cast")]


def choose_new(page, box, name):
    """Type a name the catalogue lacks into an autocomplete box and pick "Add <name>"."""
    type_into_autocomplete(page, box, name)
    page.locator(".select2-results__option", has_text=f"Add “{name}”").click()


def test_a_new_film_with_new_people_and_a_published_review_in_twelve_steps(
    browser, page, live_server
):
    load_demo()
    loads, submissions = [], []
    page.on(
        "framenavigated",
        lambda frame: loads.append(frame.url) if frame == page.main_frame else None,
    )
    popups = []
    page.on("popup", lambda popup: popups.append(popup.url))

    def submit(locator):
        submissions.append(locator)
        locator.click()

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", DEMO_PASSWORD)
    submit(page.locator("input[type=submit]"))
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/reviews/film/add/")
    page.fill("#id_title", "Paper Lanterns")
    page.fill("#id_year", "2025")
    choose_new(page, page.locator(".field-genres .select2-selection"), "Slow cinema")
    add_row = page.locator("#credits-group .add-row a")
    for index, (name, role) in enumerate(NEW_PEOPLE):
        if index:
            add_row.click()
        row = page.locator(f"#credits-{index}")
        choose_new(page, row.locator(".field-person .select2-selection"), name)
        row.locator(".field-role select").select_option(role)
    submit(page.locator("input[name=_save]"))
    page.wait_for_url(re.compile(r"/admin/reviews/film/$"))
    film = Film.objects.get(title="Paper Lanterns")
    assert sorted(film.credits.values_list("person__name", flat=True)) == sorted(
        name for name, _ in NEW_PEOPLE
    )

    page.goto(f"{live_server.url}/admin/reviews/review/add/")
    type_into_autocomplete(page, ".field-film .select2-selection", "Paper Lant")
    page.locator(".select2-results__option", has_text="Paper Lanterns").click()
    page.fill("#id_headline", "Paper Lanterns lights a small town")
    page.locator(".ProseMirror[contenteditable=true]").first.click()
    page.keyboard.type("A patient debut that trusts its actors and its silences.")
    submit(page.locator("button[name=_move][value=publish]"))
    page.wait_for_url(re.compile(r"/admin/reviews/review/$"))

    review = Review.objects.get(headline="Paper Lanterns lights a small town")
    assert review.is_public
    assert page.request.get(f"{live_server.url}{review.get_absolute_url()}").status == 200
    assert set(film.genres.values_list("name", flat=True)) == {"Slow cinema"}
    assert Person.objects.filter(name="Mira Okafor").count() == 1
    assert popups == []
    steps = len(loads) + len(submissions)
    assert steps <= 12, (steps, loads)
