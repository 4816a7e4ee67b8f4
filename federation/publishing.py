"""
Telling followers about reviews: ``sync_review()`` compares what a review is
now (public or not, and its Article) with what was last sent
(``FederatedReview``) and sends the difference: ``Create`` when it goes
public, ``Update`` when its Article changed, ``Delete`` when it is
unpublished or deleted. Run it twice and the second run sends nothing.

It runs on the task runner after every save or delete of a review (once the
editor's transaction has committed, tags included). A scheduled review is
synced by a task that waits for its publish time (where the task backend can
wait) and by ``manage.py federate_scheduled``, which a timer runs every minute.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django_tasks import task

from federation import actors, delivery, documents
from federation.models import FederatedReview
from reviews.models import Review

logger = logging.getLogger(__name__)


def sync_review(review_id):
    """Send what changed about review ``review_id``; returns the Activity sent, or None."""
    with transaction.atomic():
        review = (
            Review.objects.published()
            .select_related("film", "author")
            .prefetch_related("tags", "film__genres", "film__credits__person")
            .filter(pk=review_id)
            .first()
        )
        if review is None and not FederatedReview.objects.filter(review_id=review_id).exists():
            return None  # never sent: a draft, or a review whose time has not come
        state, _ = FederatedReview.objects.select_for_update().get_or_create(review_id=review_id)
        blog = actors.blog_actor()
        if review is not None:
            author = actors.author_actor(review.author)
            article = documents.article(review, author_actor=author, blog_actor=blog)
            fingerprint = documents.fingerprint(article)
            if not state.live:
                state.generation += 1
                kind, key = "Create", f"review:{review_id}:{state.generation}:create"
            elif state.fingerprint != fingerprint:
                kind = "Update"
                key = f"review:{review_id}:{state.generation}:update:{fingerprint}"
                article["updated"] = timezone.now().isoformat()
            else:
                return None
            state.live, state.fingerprint, state.actor = True, fingerprint, author
            payload = article
        else:
            if not state.live:
                return None
            author = state.actor or blog
            kind, key = "Delete", f"review:{review_id}:{state.generation}:delete"
            payload = {"id": documents.article_id(review_id), "type": "Tombstone"}
            state.live = False
        state.save()
        return delivery.queue(
            actor=author,
            kind=kind,
            object=payload,
            change_key=key,
            review_id=review_id,
            audience=[author, blog],
            to=[documents.AS_PUBLIC],
            cc=[actors.actor_id(author, "followers"), actors.actor_id(blog, "followers")],
        )


@task()
def sync_review_task(review_id):
    activity = sync_review(review_id)
    return activity.kind if activity else ""


def due_reviews():
    """Reviews whose state differs from what followers were told, as far as a list can say."""
    live = FederatedReview.objects.filter(live=True).values("review_id")
    appeared = Review.objects.published().exclude(pk__in=live).values_list("pk", flat=True)
    public = Review.objects.published().values("pk")
    gone = (
        FederatedReview.objects.filter(live=True)
        .exclude(review_id__in=public)
        .values_list("review_id", flat=True)
    )
    return sorted({*appeared, *gone})


def _on_save(sender, instance, **kwargs):
    if not settings.FEDERATION:
        return
    review_id = instance.pk
    transaction.on_commit(lambda: sync_review_task.enqueue(review_id))
    when = instance.published_at
    if instance.status == Review.Status.SCHEDULED and when and when > timezone.now():
        backend = sync_review_task.get_backend()
        if backend.supports_defer:
            transaction.on_commit(
                lambda: sync_review_task.using(run_after=when).enqueue(review_id)
            )


def _on_delete(sender, instance, **kwargs):
    if not settings.FEDERATION:
        return
    review_id = instance.pk
    transaction.on_commit(lambda: sync_review_task.enqueue(review_id))


def connect():
    post_save.connect(_on_save, sender=Review, dispatch_uid="federation-review-saved")
    post_delete.connect(_on_delete, sender=Review, dispatch_uid="federation-review-deleted")
