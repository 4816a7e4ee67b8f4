"""The inbox: follows, replies into the moderation queue, likes and boosts, and refusals."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from federation import actors, signatures
from federation.models import BlockedDomain, Follower, Reaction, RemoteReply
from reviews.models import Comment
from tests.factories import make_author, make_review
from tests.federation import mastodon

AP = "application/activity+json"
BLOG = "http://testserver/ap/blog/"


def post(client, peer, name, activity, *, path="/ap/inbox/", when=None, body=None, **extra):
    body = json.dumps(activity).encode() if body is None else body
    signed = peer.sign_for(
        name, method="POST", url=f"http://testserver{path}", body=body, when=when
    )
    headers = {f"HTTP_{key.upper()}": value for key, value in signed.items()}
    headers.update(extra)
    return client.post(path, body, content_type=AP, **headers)


@pytest.fixture
def delivered(django_capture_on_commit_callbacks):
    """``with delivered():`` runs what waits for the commit, as a request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_follow_is_recorded_and_accepted(client, peer, delivered):
    actors.blog_actor()
    with delivered():
        response = post(
            client, peer, "bob", mastodon.follow(peer, "bob", BLOG), path="/ap/blog/inbox/"
        )
    assert response.status_code == 202
    follower = Follower.objects.get()
    assert follower.remote.handle == "@bob@127.0.0.1"
    assert follower.actor.kind == "blog"
    assert client.get("/ap/blog/followers/").json()["totalItems"] == 1
    accept = peer.inbox_activities("Accept")
    assert len(accept) == 1
    assert accept[0]["actor"] == BLOG
    assert accept[0]["object"]["id"] == mastodon.follow(peer, "bob", BLOG)["id"]
    # bob has no shared inbox: the Accept went to his own.
    assert peer.received[0][0] == "/users/bob/inbox"


def test_undo_follow_removes_the_follower(client, peer, delivered):
    author = make_author()
    target = f"http://testserver/ap/authors/{author.slug}/"
    assert post(client, peer, "alice", mastodon.follow(peer, "alice", target)).status_code == 202
    assert Follower.objects.filter(actor__author=author).count() == 1
    assert (
        post(client, peer, "alice", mastodon.undo_follow(peer, "alice", target)).status_code == 202
    )
    assert not Follower.objects.exists()


def test_a_reply_lands_in_the_moderation_queue_and_shows_once_approved(client, peer, admin_client):
    review = make_review(headline="Two hours in Paris")
    content = (
        '<p><span class="h-card"><a href="http://testserver/ap/blog/" class="u-url mention">'
        "@<span>reviews</span></a></span> Loved it &amp; <b>agree</b>! "
        '<script>alert("x")</script>See <a href="https://films.example/cleo" rel="nofollow">'
        '<span class="invisible">https://</span>films.example/cleo</a></p><p>Second para</p>'
    )
    activity = mastodon.reply(
        peer, "alice", f"http://testserver/ap/reviews/{review.pk}/", content=content
    )
    assert post(client, peer, "alice", activity).status_code == 202
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.review == review
    assert comment.name == "Alice Watcher"
    assert comment.author_handle == "@alice@127.0.0.1"
    assert comment.author_url == f"{peer.url}/@alice"
    assert comment.text == "Loved it & agree! See https://films.example/cleo\n\nSecond para"
    assert RemoteReply.objects.get().note_id == activity["object"]["id"]
    # The same note again is not a second comment.
    activity["id"] += "-again"
    assert post(client, peer, "alice", activity).status_code == 202
    assert Comment.objects.count() == 1

    queue = admin_client.get("/admin/reviews/comment/?status=pending")
    assert "Loved it" in queue.content.decode()
    assert not client.get(review.get_absolute_url()).content.decode().count("Loved it")
    admin_client.post(
        "/admin/reviews/comment/",
        {"action": "mark_approved", "_selected_action": [comment.pk]},
    )
    html = client.get(review.get_absolute_url()).content.decode()
    assert "Loved it &amp; agree!" in html
    assert "alert" not in html
    assert '<a href="https://films.example/cleo" rel="nofollow ugc">' in html
    assert f'href="{peer.url}/@alice"' in html and "@alice@127.0.0.1" in html


def test_a_reply_to_a_reply_joins_its_thread_and_delete_removes_it(client, peer):
    review = make_review()
    page = f"http://testserver{review.get_absolute_url()}"
    first = mastodon.reply(peer, "alice", page, content="<p>First</p>", status_id="1")
    assert post(client, peer, "alice", first).status_code == 202
    second = mastodon.reply(
        peer, "alice", first["object"]["id"], content="<p>Second</p>", status_id="2"
    )
    assert post(client, peer, "alice", second).status_code == 202
    parent, child = Comment.objects.order_by("pk")
    assert child.parent == parent
    gone = mastodon.delete_note(peer, "alice", second["object"]["id"])
    assert post(client, peer, "alice", gone).status_code == 202
    assert list(Comment.objects.all()) == [parent]


def test_likes_and_boosts_are_counted_and_undone(client, peer):
    review = make_review()
    article = f"http://testserver/ap/reviews/{review.pk}/"
    like = mastodon.like(peer, "alice", article)
    boost = mastodon.announce(peer, "bob", article)
    assert post(client, peer, "alice", like).status_code == 202
    assert post(client, peer, "bob", boost).status_code == 202
    assert post(
        client, peer, "alice", mastodon.like(peer, "alice", article) | {"id": "x"}
    ).status_code in {202, 401}
    assert Reaction.objects.filter(review=review, kind="like").count() == 1
    assert Reaction.objects.filter(review=review, kind="boost").count() == 1
    article_json = client.get(f"/ap/reviews/{review.pk}/", HTTP_ACCEPT=AP).json()
    assert article_json["likes"]["totalItems"] == 1
    assert article_json["shares"]["totalItems"] == 1
    assert post(client, peer, "alice", mastodon.undo(like)).status_code == 202
    assert not Reaction.objects.filter(kind="like").exists()
    assert client.get(f"/ap/reviews/{review.pk}/").json()["likes"]["totalItems"] == 0


# --- Refusals -----------------------------------------------------------------


def test_an_unsigned_request_is_refused_with_401(client, peer, caplog):
    body = json.dumps(mastodon.follow(peer, "alice", BLOG))
    response = client.post("/ap/inbox/", body, content_type=AP)
    assert response.status_code == 401
    assert "not signed" in caplog.text
    assert not Follower.objects.exists()


def test_a_badly_signed_request_is_refused_with_401(client, peer):
    activity = mastodon.follow(peer, "alice", BLOG)
    body = json.dumps(activity).encode()
    # Signed by alice's key, but the body is another one.
    tampered = json.dumps(activity | {"object": "http://testserver/ap/authors/x/"}).encode()
    signed = peer.sign_for("alice", method="POST", url="http://testserver/ap/inbox/", body=body)
    headers = {f"HTTP_{k.upper()}": v for k, v in signed.items()}
    headers["HTTP_DIGEST"] = signatures.digest(tampered)
    assert client.post("/ap/inbox/", tampered, content_type=AP, **headers).status_code == 401
    # Signed by bob for alice's activity.
    assert post(client, peer, "bob", activity).status_code == 401
    assert not Follower.objects.exists()


def test_an_expired_request_is_refused_with_401(client, peer):
    old = datetime.now(UTC) - timedelta(hours=2)
    response = post(client, peer, "alice", mastodon.follow(peer, "alice", BLOG), when=old)
    assert response.status_code == 401
    assert b"expired" in response.content


def test_a_replayed_request_is_refused_with_401(client, peer):
    activity = mastodon.follow(peer, "alice", BLOG)
    body = json.dumps(activity).encode()
    signed = peer.sign_for("alice", method="POST", url="http://testserver/ap/inbox/", body=body)
    headers = {f"HTTP_{k.upper()}": v for k, v in signed.items()}
    assert client.post("/ap/inbox/", body, content_type=AP, **headers).status_code == 202
    again = client.post("/ap/inbox/", body, content_type=AP, **headers)
    assert again.status_code == 401
    assert b"replay" in again.content


def test_an_oversized_request_is_refused_with_413(client, peer, federation):
    federation.FEDERATION_INBOX_MAX_BYTES = 1000
    note = mastodon.reply(peer, "alice", "http://testserver/ap/reviews/1/", content="x" * 2000)
    assert post(client, peer, "alice", note).status_code == 413


def test_a_blocked_domain_is_refused_with_403(client, peer):
    BlockedDomain.objects.create(domain="127.0.0.1")
    response = post(client, peer, "alice", mastodon.follow(peer, "alice", BLOG))
    assert response.status_code == 403
    assert not Follower.objects.exists()


def test_blocking_a_known_server_removes_its_followers_and_refuses_it(client, peer, admin_client):
    assert post(client, peer, "alice", mastodon.follow(peer, "alice", BLOG)).status_code == 202
    follower = Follower.objects.get()
    admin_client.post(
        "/admin/federation/follower/",
        {"action": "block_domains", "_selected_action": [follower.pk]},
    )
    assert BlockedDomain.objects.filter(domain="127.0.0.1").exists()
    assert not Follower.objects.exists()
    like = mastodon.like(peer, "alice", "http://testserver/ap/reviews/1/")
    assert post(client, peer, "alice", like).status_code == 403


def test_too_many_requests_are_refused_with_429(client, peer, federation):
    federation.FEDERATION_INBOX_RATE_LIMIT = 2
    likes = [
        mastodon.like(peer, "alice", f"http://x/{n}") | {"id": f"{peer.url}/{n}"} for n in range(3)
    ]
    # Inside one counting window, however slow the machine.
    with time_machine.travel(datetime.now(UTC).replace(second=1), tick=False):
        statuses = [post(client, peer, "alice", like).status_code for like in likes]
    assert statuses == [202, 202, 429]


@pytest.mark.parametrize(
    "activity",
    [
        {"type": "Create", "object": ["a", "list"]},
        {"type": "Create", "object": {"type": "Note", "inReplyTo": {"id": 5}, "content": None}},
        {"type": "Undo", "object": 12},
        {"type": "Follow", "object": None},
        {"type": "Like", "object": {"id": ["x"]}},
        {"type": "Update", "object": {"id": "nope", "type": "Person"}},
        {"type": "Move", "object": "http://example/"},
    ],
)
def test_strange_activities_never_cause_a_500(client, peer, activity):
    activity = {"id": f"{peer.url}/x", "actor": f"{peer.url}/users/alice", **activity}
    response = post(client, peer, "alice", activity)
    assert response.status_code in {202, 400, 401, 404}


def test_not_json_is_refused_with_400(client, peer):
    assert post(client, peer, "alice", None, body=b"not json").status_code == 400
