"""The bench's synthetic catalogue: it builds, and every page the benches time answers."""

import pytest

from bench import catalogue
from people.models import Person
from reviews.models import Credit, Film

pytestmark = pytest.mark.django_db


def test_a_small_catalogue_has_the_promised_shape():
    catalogue.build(40, log=lambda message: None)

    assert catalogue.is_built(40)
    # Every director has the same number of films, whatever the catalogue's size.
    directors = Person.objects.filter(credits__role=Credit.Role.DIRECTOR).distinct()
    assert {p.credits.count() for p in directors} == {catalogue.FILMS_PER_DIRECTOR}
    assert Film.objects.filter(title__icontains=catalogue.RARE_SEARCH).count() == len(
        catalogue.RARE_TITLES
    )


def test_every_page_the_benches_time_answers(client):
    catalogue.build(40, log=lambda message: None)

    for name, url in catalogue.pages().items():
        assert client.get(url).status_code == 200, name
