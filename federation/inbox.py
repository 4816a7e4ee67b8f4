"""
What an activity from a verified signer does here (federation/views.py has
checked the signature, the size and the block list before this runs):

- ``Follow`` of one of our actors: recorded, and answered with ``Accept``;
  ``Undo`` of it: the follower is removed.
- ``Create`` of a ``Note`` in reply to a review (or to a reply we hold): a
  comment waiting in the moderation queue, with the author's name, handle and
  profile link. ``Delete`` of that note removes it.
- ``Like`` and ``Announce`` (a boost) of a review: counted; ``Undo`` uncounts.
- ``Update`` of the signer's own actor: its name, inbox and key are refreshed.

Anything else is accepted and ignored, as other servers expect.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from federation import actors, delivery, remote, sanitise
from federation.models import Follower, Reaction, RemoteReply, SeenSignature
from reviews.models import Comment, Review

logger = logging.getLogger(__name__)


class Refused(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def _id(value):
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def handle(activity, *, signer, target):
    kind = activity["type"]
    handler = HANDLERS.get(kind)
    if handler is None:
        logger.info("Inbox ignored a %s from %s", kind, signer.url)
        return
    handler(activity, signer, target)


def follow(activity, signer, target):
    actor = actors.by_id(_id(activity.get("object")))
    if actor is None:
        raise Refused("the Follow names none of our actors", status=404)
    follow_id = _id(activity)[:500]
    Follower.objects.update_or_create(
        actor=actor, remote=signer, defaults={"follow_id": follow_id}
    )
    delivery.queue(
        actor=actor,
        kind="Accept",
        object={
            "id": follow_id,
            "type": "Follow",
            "actor": signer.url,
            "object": actors.actor_id(actor),
        },
        change_key=f"accept:{actor.pk}:{signer.pk}:{follow_id}",
        inbox=signer.inbox,
        to=[signer.url],
    )


def undo(activity, signer, target):
    inner = activity.get("object")
    if isinstance(inner, str):
        # Only an id: find what it undoes among what we keep.
        Follower.objects.filter(remote=signer, follow_id=inner).delete()
        Reaction.objects.filter(remote=signer, activity_id=inner).delete()
        return
    if not isinstance(inner, dict):
        raise Refused("Undo of nothing")
    kind = inner.get("type")
    if kind == "Follow":
        actor = actors.by_id(_id(inner.get("object")))
        if actor is not None:
            Follower.objects.filter(actor=actor, remote=signer).delete()
    elif kind in REACTIONS:
        review = _review_for(_id(inner.get("object")))
        found = Reaction.objects.filter(remote=signer, kind=REACTIONS[kind])
        if review is not None:
            found.filter(review=review).delete()
        elif _id(inner):
            found.filter(activity_id=_id(inner)).delete()


def _review_for(url):
    """The public review that ``url`` (its Article id or its page) names, or None."""
    match = actors.resolve_site_url(url)
    if match is None:
        return None
    reviews = Review.objects.published()
    if match.view_name == "federation:review":
        return reviews.filter(pk=match.kwargs["pk"]).first()
    if match.view_name == "reviews:review-detail":
        return reviews.filter(slug=match.kwargs["slug"]).first()
    return None


def create(activity, signer, target):
    note = activity.get("object")
    if not isinstance(note, dict) or note.get("type") != "Note":
        return
    if _id(note.get("attributedTo")) not in {signer.url, ""}:
        raise Refused("the note is attributed to someone else", status=401)
    note_id = _id(note)
    if not note_id or remote.domain_of(note_id) != signer.domain:
        raise Refused("the note's id is not on its author's server")
    replied_to = _id(note.get("inReplyTo"))
    parent = None
    review = _review_for(replied_to)
    if review is None and replied_to:
        answered = RemoteReply.objects.select_related("comment").filter(note_id=replied_to).first()
        if answered:
            parent = answered.comment.parent or answered.comment
            review = Review.objects.published().filter(pk=parent.review_id).first()
    if review is None:
        logger.info("Inbox ignored a note from %s that answers no review", signer.url)
        return
    if not review.comments_open:
        logger.info("Inbox ignored a reply to %s: comments are closed", review)
        return
    blog = settings.FEDERATION_BLOG_USERNAME
    text = sanitise.note_text(
        note.get("content") or "",
        drop_mentions=(f"@{blog}@{actors.host()}", f"@{blog}", f"@{review.author.slug}",
                       f"@{review.author.slug}@{actors.host()}"),
    )  # fmt: skip
    summary = remote.plain(note.get("summary"), 200)
    if summary:
        text = f"[{summary}]\n\n{text}"
    if not text:
        raise Refused("the note has no text")
    name = signer.name or signer.username or signer.domain
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                review=review,
                parent=parent,
                name=name[:80],
                email="",
                text=text,
                status=Comment.Status.PENDING,
                author_handle=signer.handle[:255],
                author_url=(signer.profile_url or signer.url)[:500],
            )
            RemoteReply.objects.create(comment=comment, note_id=note_id[:500], remote=signer)
    except IntegrityError:
        logger.info("Inbox already holds %s", note_id)


def delete(activity, signer, target):
    gone = _id(activity.get("object"))
    if gone == signer.url:
        # The account itself was deleted: it follows no one any more.
        Follower.objects.filter(remote=signer).delete()
        return
    for reply in RemoteReply.objects.select_related("comment").filter(note_id=gone, remote=signer):
        reply.comment.delete()


def react(activity, signer, target):
    review = _review_for(_id(activity.get("object")))
    if review is None:
        return
    Reaction.objects.get_or_create(
        review=review,
        remote=signer,
        kind=REACTIONS[activity["type"]],
        defaults={"activity_id": _id(activity)[:500]},
    )


def update(activity, signer, target):
    changed = activity.get("object")
    if isinstance(changed, dict) and _id(changed) == signer.url:
        remote.store(changed, fetched_from=signer.url)


REACTIONS = {"Like": Reaction.Kind.LIKE, "Announce": Reaction.Kind.BOOST}
HANDLERS = {
    "Follow": follow,
    "Undo": undo,
    "Create": create,
    "Delete": delete,
    "Like": react,
    "Announce": react,
    "Update": update,
}


def forget_old_signatures():
    """Signatures older than the window cannot be replayed anyway (their Date is too old)."""
    cutoff = timezone.now() - timedelta(seconds=2 * settings.FEDERATION_SIGNATURE_WINDOW)
    SeenSignature.objects.filter(seen_at__lt=cutoff).delete()
