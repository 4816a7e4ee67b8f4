"""
Sending activities: one ``Activity`` row per change (its unique ``change_key``
makes a second send of the same change a no-op), one ``Delivery`` row per
inbox (a server's shared inbox stands for all its followers, so a server with
a thousand followers gets one request), signed with the sending actor's key.

Delivery runs on the task runner (core/tasks.py). ``deliver_activity`` makes
the deliveries and tries each once, several inboxes at a time (the HTTP
requests on threads, the database work on the task's own thread). A
delivery that failed for a reason that may pass (no answer, 5xx, 429) is
tried again by ``retry_delivery`` with a growing delay; one refused outright
(another 4xx) is given up. An inbox that has failed for
FEDERATION_DEAD_AFTER_DAYS loses its followers: that server is gone.
"""

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django_tasks import task

from core import links
from core.tasks import delay_after
from federation import actors, documents, http, signatures
from federation.models import Activity, DeadInbox, Delivery, Follower, LocalActor
from federation.remote import blocked_domains, domain_of, is_blocked

logger = logging.getLogger(__name__)

# Attempts before a delivery is given up: the delays (one minute, doubling,
# at most six hours) add up to about two days.
MAX_ATTEMPTS = 14
# Deliveries loaded and tried in one go.
BATCH = 500


def queue(*, actor, kind, object, change_key, review_id=None, audience=(), inbox="", to=None,
          cc=None):  # fmt: skip
    """
    Record ``kind`` of ``object`` by ``actor`` for the followers of ``audience``
    (LocalActors) and/or one ``inbox``, and deliver it once the transaction
    commits. Returns the Activity, or None when this change was already sent.
    """
    activity = Activity(
        actor=actor,
        kind=kind,
        change_key=change_key[:300],
        review_id=review_id,
        audience=[a.pk for a in audience],
        inbox=inbox,
        payload={},
    )
    activity.payload = documents.activity(
        kind,
        actor=actors.actor_id(actor),
        object=object,
        activity_id=_activity_id(activity),
        to=to,
        cc=cc,
        published=timezone.now().isoformat(),
    )
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        logger.info("%s was already sent: not again", change_key)
        return None
    transaction.on_commit(lambda: deliver_activity.enqueue(activity.pk))
    return activity


def _activity_id(activity):
    return links.absolute(links.url("federation:activity", str(activity.uuid)))


def inboxes_for(activity):
    """Every inbox the activity goes to: one per server that shares one, none twice."""
    followers = Follower.objects.filter(actor__in=activity.audience)
    found = set(
        followers.annotate(
            target=Coalesce(NullIf("remote__shared_inbox", Value("")), "remote__inbox")
        )
        .values_list("target", flat=True)
        .distinct()
    )
    if activity.inbox:
        found.add(activity.inbox)
    blocked = blocked_domains()
    return sorted(inbox for inbox in found if not is_blocked(domain_of(inbox), blocked))


def _post(inbox, body, key_id, private_pem):
    """POST one signed activity; (True, "") or (False, error text, temporary)."""
    try:
        response = http.request(
            "POST",
            inbox,
            headers={"Content-Type": http.ACTIVITY_JSON, "Accept": http.ACTIVITY_JSON},
            body=body,
            max_bytes=64 * 1024,
            sign=lambda method, url, data: signatures.sign(
                method=method, url=url, body=data, key_id=key_id, private_pem=private_pem
            ),
        )
    except http.FetchError as error:
        return False, str(error)[:300], error.temporary
    if 200 <= response.status < 300:
        return True, "", False
    temporary = response.status >= 500 or response.status in {408, 429}
    return False, f"{inbox} answered {response.status}", temporary


def _attempt(activity, deliveries):
    """Try ``deliveries`` of ``activity`` once each; returns those to try again later."""
    actor = LocalActor.objects.get(pk=activity.actor_id)
    body = json.dumps(activity.payload, ensure_ascii=False).encode()
    key_id, pem = actors.key_id(actor), actor.private_key_pem
    threads = max(1, settings.FEDERATION_DELIVERY_THREADS)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(lambda d: _post(d.inbox, body, key_id, pem), deliveries))
    now = timezone.now()
    done, retry, failed = [], [], []
    for delivery, (ok, error, temporary) in zip(deliveries, results, strict=True):
        delivery.attempts += 1
        delivery.last_error = error
        if ok:
            delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, now
            done.append(delivery)
        elif temporary and delivery.attempts < MAX_ATTEMPTS:
            retry.append(delivery)
        else:
            delivery.status = Delivery.Status.FAILED
            failed.append(delivery)
    Delivery.objects.bulk_update(
        done + retry + failed, ["status", "attempts", "last_error", "delivered_at", "updated_at"]
    )
    DeadInbox.objects.filter(inbox__in=[d.inbox for d in done]).delete()
    _note_failures([d.inbox for d in retry + failed], now)
    for delivery in failed:
        logger.warning("Gave up delivering %s: %s", delivery, delivery.last_error)
    return [d for d in retry if d.status == Delivery.Status.PENDING]


def _note_failures(inboxes, now):
    """Remember since when each inbox fails; drop the followers behind a dead one."""
    if not inboxes:
        return
    DeadInbox.objects.bulk_create(
        [DeadInbox(inbox=inbox, failing_since=now) for inbox in set(inboxes)],
        ignore_conflicts=True,
    )
    cutoff = now - timedelta(days=settings.FEDERATION_DEAD_AFTER_DAYS)
    dead = list(
        DeadInbox.objects.filter(inbox__in=inboxes, failing_since__lt=cutoff).values_list(
            "inbox", flat=True
        )
    )
    if dead:
        gone = Follower.objects.filter(
            Q(remote__shared_inbox__in=dead) | Q(remote__inbox__in=dead)
        )
        count, _ = gone.delete()
        Delivery.objects.filter(inbox__in=dead, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.FAILED, last_error="the server has not answered for days"
        )
        logger.warning("Dropped %s followers behind dead inboxes %s", count, ", ".join(dead))


def _schedule_retries(deliveries):
    backend = retry_delivery.get_backend()
    for delivery in deliveries:
        if not backend.supports_defer:
            logger.warning("Delivery to %s failed and cannot be retried here", delivery.inbox)
            continue
        when = timezone.now() + timedelta(seconds=delay_after(delivery.attempts))
        retry_delivery.using(run_after=when).enqueue(delivery.pk, delivery.attempts)


@task()
def deliver_activity(activity_id):
    """Make the activity's deliveries, one per inbox, and try each once."""
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None:
        return 0
    Delivery.objects.bulk_create(
        [Delivery(activity=activity, inbox=inbox) for inbox in inboxes_for(activity)],
        ignore_conflicts=True,
    )
    pending = Delivery.objects.filter(
        activity=activity, status=Delivery.Status.PENDING, attempts=0
    ).order_by("pk")
    tried = 0
    while True:
        batch = list(pending[:BATCH])
        if not batch:
            break
        tried += len(batch)
        _schedule_retries(_attempt(activity, batch))
    return tried


@task()
def retry_delivery(delivery_id, attempt):
    """Try one delivery again, unless it went through or was given up meanwhile."""
    delivery = (
        Delivery.objects.select_related("activity")
        .filter(pk=delivery_id, status=Delivery.Status.PENDING, attempts=attempt)
        .first()
    )
    if delivery is None:
        return False
    _schedule_retries(_attempt(delivery.activity, [delivery]))
    delivery.refresh_from_db(fields=["status"])
    return delivery.status == Delivery.Status.DELIVERED
