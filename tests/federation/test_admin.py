"""The desk: followers per actor, removing one, blocking a server, rotating keys."""

from federation import actors
from federation.models import BlockedDomain, Follower, LocalActor
from tests.factories import make_author
from tests.federation.test_delivery import follow


def test_the_desk_lists_actors_with_their_follower_counts_and_followers_per_actor(
    admin_client, peer
):
    author = make_author(display_name="Ada Reel")
    blog, writer = actors.blog_actor(), actors.author_actor(author)
    follow(peer, "alice", blog)
    follow(peer, "bob", blog)
    follow(peer, "alice", writer)
    page = admin_client.get("/admin/federation/localactor/").content.decode()
    assert "@reviews@testserver" in page and f"@{author.slug}@testserver" in page
    assert '<td class="field-follower_count">2</td>' in page
    assert '<td class="field-follower_count">1</td>' in page
    listed = admin_client.get(f"/admin/federation/follower/?actor__id__exact={writer.pk}")
    assert "@alice@127.0.0.1" in listed.content.decode()
    assert "@bob@127.0.0.1" not in listed.content.decode()


def test_removing_a_follower_tells_their_server(
    admin_client, peer, django_capture_on_commit_callbacks
):
    follower = follow(peer, "bob", actors.blog_actor())
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/federation/follower/",
            {"action": "remove", "_selected_action": [follower.pk]},
        )
    assert not Follower.objects.exists()
    reject = peer.inbox_activities("Reject")
    assert len(reject) == 1 and reject[0]["object"]["actor"] == follower.remote.url


def test_a_blocked_domain_added_on_the_desk_removes_its_followers(admin_client, peer):
    follow(peer, "alice", actors.blog_actor())
    admin_client.post(
        "/admin/federation/blockeddomain/add/", {"domain": "127.0.0.1", "note": "spam"}
    )
    assert BlockedDomain.objects.get().note == "spam"
    assert not Follower.objects.exists()


def test_rotating_keys_on_the_desk_sends_the_new_key_to_followers(
    admin_client, peer, django_capture_on_commit_callbacks
):
    blog = actors.blog_actor()
    follow(peer, "alice", blog)
    old = blog.public_key_pem
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/federation/localactor/",
            {"action": "rotate_keys", "_selected_action": [blog.pk]},
        )
    new = LocalActor.objects.get(pk=blog.pk).public_key_pem
    assert new != old
    update = peer.inbox_activities("Update")
    assert update and update[0]["object"]["publicKey"]["publicKeyPem"] == new
