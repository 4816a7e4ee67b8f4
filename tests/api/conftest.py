import pytest


@pytest.fixture
def api_key(db):
    """A key (ApiKey, key in clear) with the site's default limit."""
    from api.keys import create_key

    return create_key("Festival schedule", allowed_origins="https://festival.example")


@pytest.fixture
def api(client, api_key):
    """The test client, sending the key as a bearer token."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_key[1]}"
    return client
