import pytest

from tests.federation.peer import Peer


@pytest.fixture
def federation(settings, db):
    """Federation on, for a site at http://testserver (the test client's host)."""
    settings.FEDERATION = True
    settings.SITE_URL = "http://testserver"
    settings.FEDERATION_ALLOW_PRIVATE_ADDRESSES = True
    settings.FEDERATION_BLOG_NAME = "Filmblog Reviews"
    return settings


@pytest.fixture
def peer(federation):
    with Peer() as server:
        server.add_actor("alice", display_name="Alice Watcher")
        server.add_actor("bob", shared_inbox=False)
        yield server
