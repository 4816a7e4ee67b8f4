from django.apps import AppConfig
from django.db.models.signals import post_migrate


def next_scheduled_publication():
    """When the next scheduled review becomes public, or a public one comes down, or None."""
    from django.utils import timezone

    from reviews.models import PUBLIC_STATUSES, Review

    now = timezone.now()
    going_up = (
        Review.objects.filter(status=Review.Status.SCHEDULED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    coming_down = (
        Review.objects.filter(status__in=PUBLIC_STATUSES, unpublish_at__gt=now)
        .order_by("unpublish_at")
        .values_list("unpublish_at", flat=True)
        .first()
    )
    return min((time for time in (going_up, coming_down) if time), default=None)


class ReviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"
    verbose_name = "Films and reviews"

    def ready(self):
        from core import pagecache, purges
        from reviews import pagetags, revisions
        from reviews.roles import sync_groups_after_migrate

        post_migrate.connect(sync_groups_after_migrate, sender=self)
        # Each version of a review follows its critic quotes and tags.
        revisions.register()

        # What each change purges: reviews/pagetags.py.
        purges.expire_on_change("reviews", pagetags.changed, track=pagetags.TRACKED)
        purges.expire_on_change("taggit", pagetags.taggit_changed)
        pagecache.watch_schedule(next_scheduled_publication)
