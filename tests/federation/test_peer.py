"""
Against a real fediverse server: bovine-herd (bovine, from PyPI) runs in a
process of its own, and the site under test answers on a real port. Over
HTTP, as between two servers: bovine looks the blog up by WebFinger, follows
it and gets the Accept; a published review reaches bovine's inbox whole, with
its hashtags and image; bovine's reply lands in the moderation queue.
"""

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.services import answers, free_port, wait_for

bovine = pytest.importorskip("bovine")

from bovine import BovineClient  # noqa: E402
from bovine.clients import lookup_uri_with_webfinger  # noqa: E402

from federation.models import Follower  # noqa: E402
from reviews import workflow  # noqa: E402
from reviews.models import Comment, Credit, Genre  # noqa: E402
from tests.factories import (  # noqa: E402
    image_file,
    make_credit,
    make_editor,
    make_film,
    make_person,
    make_review,
)

AS = "https://www.w3.org/ns/activitystreams"
PUBLIC = AS + "#Public"


@pytest.fixture
def bovine_server(tmp_path):
    port = free_port()
    log = open(tmp_path / "bovine.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("bovine_peer.py")), str(port),
         str(tmp_path / "bovine.sqlite3")],
        stdout=subprocess.PIPE, stderr=log, text=True,
    )  # fmt: skip
    try:
        config = json.loads(process.stdout.readline() or "{}")
        if not config:
            pytest.fail(f"bovine did not start: {(tmp_path / 'bovine.log').read_text()[-2000:]}")
        wait_for(lambda: answers(port), "bovine answering")
        yield config
    finally:
        process.terminate()
        process.wait(10)
        log.close()


@pytest.fixture
def site(live_server, settings):
    settings.FEDERATION = True
    settings.SITE_URL = live_server.url
    settings.FEDERATION_ALLOW_PRIVATE_ADDRESSES = True
    return live_server.url


def eventually(check, what, seconds=20):
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds} s")
        time.sleep(0.2)


async def inbox_items(client):
    """What bovine's inbox holds, newest first, each item fetched whole."""
    inbox = await client.get(client.information["inbox"])
    page = inbox.get("first") or inbox
    if isinstance(page, str):
        page = await client.get(page)
    items = []
    for item in page.get("orderedItems", []):
        items.append(await client.proxy(item) if isinstance(item, str) else item)
    return items


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.mark.django_db(transaction=True)
def test_bovine_follows_the_blog_receives_a_review_and_replies(bovine_server, site):
    editor = make_editor()
    film = make_film(
        title="Cléo from 5 to 7", year=1962, genres=[Genre.objects.create(name="Drama")]
    )
    make_credit(film=film, person=make_person(name="Agnès Varda"), role=Credit.Role.DIRECTOR)
    review = make_review(
        film=film, author=editor.author_profile, status="draft", headline="Two hours in Paris",
        body="<p>Varda follows Cléo through Paris.</p>",
        hero_image=image_file("cleo.png", size=(1400, 800)), hero_image_alt="Cléo in a hat",
    )  # fmt: skip
    review.tags.add("French New Wave")
    host = site.split("://", 1)[1]
    client = BovineClient(
        actor_id=bovine_server["actor_id"],
        secret=bovine_server["secret"],
        domain=bovine_server["domain"],
    )

    async def look_up_and_follow():
        async with client:
            blog, _ = await lookup_uri_with_webfinger(
                client.session, f"acct:reviews@{host}", domain=site
            )
            await client.send_to_outbox(
                {"@context": AS, "type": "Follow", "actor": client.actor_id, "object": blog,
                 "to": [blog]}
            )  # fmt: skip
            return blog

    blog = run(look_up_and_follow())
    assert blog == f"{site}/ap/blog/"
    follower = eventually(lambda: Follower.objects.select_related("remote").first(), "the follow")
    assert follower.remote.url == bovine_server["actor_id"]
    assert follower.actor.kind == "blog"

    async def items():
        async with client:
            return await inbox_items(client)

    eventually(lambda: any(i.get("type") == "Accept" for i in run(items())), "the Accept")

    workflow.publish(review, by=editor)

    def article():
        for item in run(items()):
            if item.get("type") == "Create":
                found = item["object"]
                return found if isinstance(found, dict) else None
        return None

    received = eventually(article, "the review reaching bovine")
    assert received["type"] == "Article"
    assert received["name"] == "Two hours in Paris"
    assert "Varda follows Cléo through Paris." in received["content"]
    tags = {tag["name"] for tag in received["tag"]}
    assert {"#CléoFrom5To7", "#AgnèsVarda", "#Drama", "#FrenchNewWave"} <= tags
    image = received["attachment"]
    image = image[0] if isinstance(image, list) else image
    assert image["name"] == "Cléo in a hat" and image["url"].endswith(".jpg")

    async def reply():
        async with client:
            await client.send_to_outbox(
                {
                    "@context": AS,
                    "type": "Create",
                    "actor": client.actor_id,
                    "to": [PUBLIC, received["attributedTo"]],
                    "object": {
                        "type": "Note",
                        "attributedTo": client.actor_id,
                        "inReplyTo": received["id"],
                        "content": "<p>A fine review. <script>alert(1)</script></p>",
                        "to": [PUBLIC, received["attributedTo"]],
                    },
                }
            )

    run(reply())
    comment = eventually(lambda: Comment.objects.first(), "the reply landing in the queue")
    assert comment.status == Comment.Status.PENDING
    assert comment.review == review
    assert comment.text == "A fine review."
    assert comment.author_handle == "@critic@127.0.0.1"
