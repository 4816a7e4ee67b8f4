"""
A quick contract check inside the suite: schemathesis calls the genre, tag and
author endpoints through the WSGI application, with values valid and invalid,
and checks every answer against the OpenAPI document. The whole API is
checked this way by scripts/api-contract.sh in CI.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.factories import make_author, make_genre, make_review

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# As scripts/api-contract.sh: no NUL bytes. The site refuses them in any parameter
# with a 400, which a document cannot say of the key parameter.
schema.config.generation.update(allow_x00=False)


@pytest.fixture
def connection_kept():
    """
    As Django's test client does: the request signals would otherwise close the
    test's database connection, inside its transaction (PostgreSQL notices).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def content(api_key, connection_kept):
    drama = make_genre(name="Drama")
    make_genre(name="Heist", parent=drama)
    make_review(author=make_author(display_name="Iris")).tags.add("Cannes")
    return api_key[1]


@schema.include(path_regex=r"^/api/v1/(genres|tags|authors)/$").parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_lists_keep_to_the_document(case, content):
    headers = {"Authorization": f"Bearer {content}", "Accept-Encoding": "identity"}
    case.call_and_validate(headers=headers)
