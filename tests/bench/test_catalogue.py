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


@pytest.mark.urls("bench.nodb.urls")
def test_the_review_page_without_its_query_matches_the_real_one(client, settings):
    """The load run's ceiling renders what the review page renders, with no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0
    catalogue.build(40, log=lambda message: None)
    url = catalogue.pages()["review"]
    real = client.get(url).content.decode()
    ceiling = url.replace("/reviews/", "/bench/review-from-memory/", 1)
    client.get(ceiling)  # loads the review
    with CaptureQueriesContext(connection) as captured:
        response = client.get(ceiling)
    assert response.status_code == 200
    assert len(captured) == 0
    # The same page, but for the per-request values of the comment form.
    assert response.content.decode().count("<section") == real.count("<section")
