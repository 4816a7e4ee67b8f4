"""The blog and its authors as actors: WebFinger, NodeInfo, actor documents, keys, links."""

import io

import pytest
from django.core.management import call_command

from federation import actors, keys
from federation.models import LocalActor
from tests.factories import make_author, make_review

AP = "application/activity+json"


@pytest.mark.django_db
def test_with_federation_off_the_well_known_addresses_answer_404(client):
    author = make_author(display_name="Ada Reel")
    assert client.get("/.well-known/webfinger?resource=acct:reviews@testserver").status_code == 404
    assert client.get("/.well-known/nodeinfo").status_code == 404
    assert client.get("/ap/blog/").status_code == 404
    assert client.get(f"/ap/authors/{author.slug}/").status_code == 404
    assert client.post("/ap/inbox/", b"{}", content_type=AP).status_code == 404
    home = client.get("/")
    assert "Link" not in home.headers
    assert b"fediverse" not in home.content.lower()
    assert not LocalActor.objects.exists()


def test_webfinger_finds_the_blog_and_an_author(client, federation):
    author = make_author(display_name="Ada Reel")
    response = client.get("/.well-known/webfinger", {"resource": "acct:reviews@testserver"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jrd+json"
    data = response.json()
    assert data["subject"] == "acct:reviews@testserver"
    self_link = next(link for link in data["links"] if link["rel"] == "self")
    assert self_link == {"rel": "self", "type": AP, "href": "http://testserver/ap/blog/"}

    data = client.get(
        "/.well-known/webfinger", {"resource": f"acct:{author.slug}@testserver"}
    ).json()
    assert data["subject"] == f"acct:{author.slug}@testserver"
    assert f"http://testserver/authors/{author.slug}/" in data["aliases"]
    # The actor's address works as the resource too.
    by_url = client.get(
        "/.well-known/webfinger", {"resource": f"http://testserver/ap/authors/{author.slug}/"}
    )
    assert by_url.json()["subject"] == f"acct:{author.slug}@testserver"


def test_webfinger_refuses_unknown_accounts_and_other_hosts(client, federation):
    assert client.get("/.well-known/webfinger").status_code == 400
    for resource in ["acct:nobody@testserver", "acct:reviews@elsewhere.example", "nonsense"]:
        assert client.get("/.well-known/webfinger", {"resource": resource}).status_code == 404


def test_nodeinfo_counts_published_reviews_and_their_authors(client, federation):
    make_review()
    make_review(status="draft")
    links = client.get("/.well-known/nodeinfo").json()["links"]
    assert links[0]["href"] == "http://testserver/nodeinfo/2.1"
    info = client.get("/nodeinfo/2.1").json()
    assert info["version"] == "2.1"
    assert info["protocols"] == ["activitypub"]
    assert info["usage"]["localPosts"] == 1
    assert info["usage"]["users"]["total"] == 1
    assert info["metadata"]["nodeName"] == "Filmblog Reviews"


def test_actor_documents_carry_inbox_outbox_followers_key_and_profile(client, federation):
    author = make_author(display_name="Ada Reel", bio="Writes about <noir>.")
    response = client.get(f"/ap/authors/{author.slug}/", HTTP_ACCEPT=AP)
    assert response.status_code == 200
    assert response["Content-Type"] == AP
    doc = response.json()
    base = f"http://testserver/ap/authors/{author.slug}/"
    assert doc["id"] == base
    assert doc["type"] == "Person"
    assert doc["preferredUsername"] == author.slug
    assert doc["name"] == "Ada Reel"
    assert doc["summary"] == "<p>Writes about &lt;noir&gt;.</p>"
    assert doc["url"] == f"http://testserver/authors/{author.slug}/"
    assert doc["inbox"] == base + "inbox/"
    assert doc["outbox"] == base + "outbox/"
    assert doc["followers"] == base + "followers/"
    assert doc["endpoints"]["sharedInbox"] == "http://testserver/ap/inbox/"
    assert doc["publicKey"]["id"] == base + "#main-key"
    assert doc["publicKey"]["owner"] == base
    keys.load_public(doc["publicKey"]["publicKeyPem"])  # a real RSA key

    blog = client.get("/ap/blog/", HTTP_ACCEPT=AP).json()
    assert blog["type"] == "Organization"
    assert blog["name"] == "Filmblog Reviews"
    assert blog["preferredUsername"] == "reviews"
    assert blog["icon"]["url"].startswith("http://testserver/static/")
    # The same key on the next request: made once, kept.
    again = client.get("/ap/blog/", HTTP_ACCEPT=AP).json()
    assert again["publicKey"]["publicKeyPem"] == blog["publicKey"]["publicKeyPem"]
    # A browser asking for the actor gets the profile page.
    assert client.get("/ap/blog/", HTTP_ACCEPT="text/html").url == "/"


def test_followers_and_outbox_collections_count(client, federation):
    author = make_author()
    followers = client.get(f"/ap/authors/{author.slug}/followers/").json()
    assert followers["type"] == "OrderedCollection"
    assert followers["totalItems"] == 0
    outbox = client.get("/ap/blog/outbox/").json()
    assert outbox["totalItems"] == 0
    assert outbox["first"] == "http://testserver/ap/blog/outbox/?page=1"
    assert client.get("/ap/authors/nobody/").status_code == 404


def test_rotating_keys_gives_a_new_key(federation):
    author = make_author()
    actor = actors.author_actor(author)
    old = actor.public_key_pem
    call_command("rotate_federation_keys", author.slug, stdout=io.StringIO())
    actor.refresh_from_db()
    assert actor.public_key_pem != old
    keys.load_private(actor.private_key_pem)


def test_pages_link_to_their_actor_and_show_the_handle_with_a_follow_form(client, federation):
    author = make_author(display_name="Ada Reel")
    review = make_review(author=author)
    home = client.get("/")
    assert home.headers["Link"] == (
        '<http://testserver/ap/blog/>; rel="alternate"; type="application/activity+json"'
    )
    html = home.content.decode()
    assert (
        '<link rel="alternate" type="application/activity+json" href="http://testserver/ap/blog/">'
        in html
    )
    assert "@reviews@testserver" in html
    assert 'action="/ap/follow/"' in html and 'name="account"' in html

    page = client.get(author.get_absolute_url())
    assert f"ap/authors/{author.slug}/" in page.headers["Link"]
    assert f"@{author.slug}@testserver" in page.content.decode()

    detail = client.get(review.get_absolute_url())
    assert f"/ap/reviews/{review.pk}/" in detail.headers["Link"]
    assert f'href="http://testserver/ap/reviews/{review.pk}/"' in detail.content.decode()


def test_follow_form_sends_the_reader_to_their_server(client, peer):
    response = client.get("/ap/follow/", {"actor": "reviews", "account": f"@alice@{peer.host}"})
    # The peer's WebFinger template is https; the reader goes there with our handle.
    assert response.status_code == 302
    assert response.url == f"https://{peer.host}/authorize_interaction?uri=reviews@testserver"


def test_follow_form_explains_a_handle_it_cannot_use(client, peer):
    response = client.get("/ap/follow/", {"actor": "reviews", "account": "not a handle"})
    assert response.status_code == 400
    assert "Write your handle as @name@server." in response.content.decode()
    response = client.get("/ap/follow/", {"actor": "reviews", "account": f"@nobody@{peer.host}"})
    assert response.status_code == 400
    assert "Search for @reviews@testserver on your server" in response.content.decode()
    # What the reader typed is still there.
    assert f"@nobody@{peer.host}" in response.content.decode()


def test_follow_form_refuses_private_addresses_by_default(client, peer, settings):
    settings.FEDERATION_ALLOW_PRIVATE_ADDRESSES = False
    response = client.get("/ap/follow/", {"actor": "reviews", "account": f"@alice@{peer.host}"})
    assert response.status_code == 400
    assert not peer.received
