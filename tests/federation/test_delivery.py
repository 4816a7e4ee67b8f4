"""Reviews going out: Create, Update, Delete, once per change, one request per shared inbox."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from federation import actors
from federation.models import Activity, DeadInbox, Delivery, Follower, RemoteActor
from reviews import workflow
from reviews.models import Credit, Genre
from tests.factories import (
    image_file,
    make_credit,
    make_editor,
    make_film,
    make_person,
    make_review,
)


def follow(peer, name, actor):
    """``name`` on the peer follows ``actor`` (as the inbox records a Follow)."""
    document = peer.actors[name]["document"]
    remote, _ = RemoteActor.objects.get_or_create(
        url=document["id"],
        defaults={
            "key_id": document["publicKey"]["id"],
            "public_key_pem": document["publicKey"]["publicKeyPem"],
            "inbox": document["inbox"],
            "shared_inbox": document.get("endpoints", {}).get("sharedInbox", ""),
            "username": name,
            "domain": "127.0.0.1",
            "fetched_at": timezone.now(),
        },
    )
    return Follower.objects.create(actor=actor, remote=remote)


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def film():
    film = make_film(
        title="Cléo from 5 to 7", year=1962, genres=[Genre.objects.create(name="Drama")]
    )
    make_credit(film=film, person=make_person(name="Agnès Varda"), role=Credit.Role.DIRECTOR)
    return film


def test_publishing_sends_the_whole_review_once_per_shared_inbox(peer, sent, film):
    editor = make_editor()
    author = editor.author_profile
    review = make_review(
        film=film,
        author=author,
        status="draft",
        headline="Two hours in Paris",
        standfirst="A walk through <Paris>.",
        body="<p>Varda <em>follows</em> Cléo.</p>",
        hero_image=image_file("cleo.png", size=(1400, 800)),
        hero_image_alt="Cléo in a hat",
    )
    review.tags.add("French New Wave")
    peer.public_keys[actors.key_id(actors.author_actor(author))] = actors.author_actor(
        author
    ).public_key_pem
    follow(peer, "alice", actors.blog_actor())
    follow(peer, "alice", actors.author_actor(author))  # the same server, twice over
    follow(peer, "bob", actors.author_actor(author))  # no shared inbox
    with sent():
        workflow.publish(review, by=editor)
    creates = peer.inbox_activities("Create")
    assert sorted(path for path, _, _ in peer.received) == ["/inbox", "/users/bob/inbox"]
    article = creates[0]["object"]
    assert creates[0]["actor"] == f"http://testserver/ap/authors/{author.slug}/"
    assert article["type"] == "Article"
    assert article["name"] == "Two hours in Paris"
    assert article["url"] == f"http://testserver{review.get_absolute_url()}"
    assert article["summary"] == "A walk through &lt;Paris&gt;."
    assert "<p>Varda <em>follows</em> Cléo.</p>" in article["content"]
    assert "Rating: ★★★½ (3.5/5)" in article["content"]
    assert article["reviewRating"]["ratingValue"] == "3.5"
    image = article["attachment"][0]
    assert image["type"] == "Image" and image["name"] == "Cléo in a hat"
    assert image["url"].startswith("http://testserver/") and image["url"].endswith(".jpg")
    tags = {tag["name"]: tag["href"] for tag in article["tag"]}
    assert tags == {
        "#CléoFrom5To7": f"http://testserver{film.get_absolute_url()}",
        "#AgnèsVarda": "http://testserver/people/agnes-varda/",
        "#Drama": "http://testserver/genres/drama/",
        "#FrenchNewWave": "http://testserver/tags/french-new-wave/",
    }
    assert 'rel="tag"' in article["content"]
    # Saving again without a change sends nothing; an edit sends one Update.
    with sent():
        review.save()
    assert len(peer.received) == 2
    review.headline = "Two hours in Paris, again"
    with sent():
        review.save()
    updates = peer.inbox_activities("Update")
    assert len(updates) == 2 and updates[0]["object"]["name"] == "Two hours in Paris, again"
    with sent():
        workflow.unpublish(review, by=editor)
    deletes = peer.inbox_activities("Delete")
    assert len(deletes) == 2
    assert deletes[0]["object"] == {
        "id": f"http://testserver/ap/reviews/{review.pk}/",
        "type": "Tombstone",
    }
    assert Activity.objects.count() == 3
    assert not Delivery.objects.exclude(status="delivered").exists()


def test_nothing_is_sent_while_federation_is_off(peer, sent, settings):
    settings.FEDERATION = False
    follow(peer, "alice", actors.blog_actor())
    with sent():
        make_review()
    assert not peer.received and not Activity.objects.exists()


def test_a_scheduled_review_goes_out_when_its_time_comes(peer, sent):
    follow(peer, "alice", actors.blog_actor())
    when = timezone.now() + timedelta(hours=1)
    with sent():
        make_review(status="scheduled", published_at=when)
    assert not peer.received
    with time_machine.travel(when + timedelta(minutes=1)), sent():
        call_command("federate_scheduled", stdout=io.StringIO())
    assert [a["type"] for a in peer.inbox_activities()] == ["Create"]
    with time_machine.travel(when + timedelta(minutes=2)), sent():
        call_command("federate_scheduled", stdout=io.StringIO())
    assert len(peer.received) == 1


def test_deleting_a_review_sends_delete(peer, sent):
    follow(peer, "alice", actors.blog_actor())
    with sent():
        review = make_review()
    pk = review.pk
    with sent():
        review.delete()
    assert [a["type"] for a in peer.inbox_activities()] == ["Create", "Delete"]
    assert peer.inbox_activities("Delete")[0]["object"]["id"].endswith(f"/ap/reviews/{pk}/")


@pytest.fixture
def task_queue(settings, transactional_db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def test_a_failing_inbox_is_retried_with_backoff_then_delivered(peer, task_queue):
    follow(peer, "alice", actors.blog_actor())
    peer.fail("/inbox", 503, 503)
    now = timezone.now()
    make_review()
    run_worker()  # sync, then the first attempt: 503
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    with time_machine.travel(now + timedelta(seconds=30), tick=False):
        run_worker()  # not due yet
    assert Delivery.objects.get().attempts == 1
    with time_machine.travel(now + timedelta(seconds=90), tick=False):
        run_worker()  # second attempt: 503 again, the next waits two minutes
    assert Delivery.objects.get().attempts == 2
    with time_machine.travel(now + timedelta(minutes=5), tick=False):
        run_worker()
    delivery = Delivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempts == 3
    assert [a["type"] for a in peer.inbox_activities()] == ["Create"]
    with time_machine.travel(now + timedelta(days=1), tick=False):
        run_worker()
    assert len(peer.received) == 1  # nothing twice


def test_a_refusing_inbox_is_given_up_and_a_dead_one_loses_its_followers(peer, sent, settings):
    follow(peer, "alice", actors.blog_actor())
    follow(peer, "bob", actors.blog_actor())
    peer.fail("/users/bob/inbox", 403)
    with sent():
        make_review()
    assert Delivery.objects.get(inbox__endswith="/users/bob/inbox").status == "failed"
    assert Follower.objects.count() == 2
    DeadInbox.objects.create(
        inbox=f"{peer.url}/inbox", failing_since=timezone.now() - timedelta(days=8)
    )
    peer.fail("/inbox", 503)
    with sent():
        make_review()
    assert [f.remote.username for f in Follower.objects.all()] == ["bob"]
