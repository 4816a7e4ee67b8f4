"""What editors do about followers: remove one (their server is told) or block a domain."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from federation import actors, delivery
from federation.models import BlockedDomain, Follower


def remove_followers(followers):
    """Remove ``followers``; each one's server gets a ``Reject`` of their Follow."""
    removed = 0
    with transaction.atomic():
        for follower in followers.select_related("actor__author", "remote"):
            delivery.queue(
                actor=follower.actor,
                kind="Reject",
                object={
                    "id": follower.follow_id or None,
                    "type": "Follow",
                    "actor": follower.remote.url,
                    "object": actors.actor_id(follower.actor),
                },
                change_key=f"reject:{follower.pk}:{timezone.now().isoformat()}",
                inbox=follower.remote.inbox,
                to=[follower.remote.url],
            )
            follower.delete()
            removed += 1
    return removed


def followers_on(domain):
    domain = domain.strip().lower().rstrip(".")
    return Follower.objects.filter(
        Q(remote__domain=domain) | Q(remote__domain__endswith=f".{domain}")
    )


def block_domain(domain, note=""):
    """Block ``domain`` (and its subdomains): its followers go, its requests are refused."""
    with transaction.atomic():
        blocked, _ = BlockedDomain.objects.get_or_create(
            domain=domain.strip().lower().rstrip("."), defaults={"note": note}
        )
        count, _ = followers_on(blocked.domain).delete()
    return blocked, count
