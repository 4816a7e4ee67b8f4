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


def pages_showing(model, instance):
    """
    A reader's comment, rating or like shows only on its review's page; any
    other change (films, credits, reviews, quotes, genres...) may show on
    every page: a film's credits on review, film and person pages, cards on
    every list. Editors save a few times an hour; readers read all the time.
    """
    from core.pagecache import review_tag
    from reviews.models import Comment, Like, Rating

    if model in (Comment, Rating, Like):
        return [review_tag(instance.review.slug)]
    return None


class ReviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"
    verbose_name = "Films and reviews"

    def ready(self):
        from core import pagecache
        from reviews import revisions
        from reviews.roles import sync_groups_after_migrate

        post_migrate.connect(sync_groups_after_migrate, sender=self)
        # Each version of a review follows its critic quotes and tags.
        revisions.register()

        pagecache.expire_on_change("reviews", pages_showing)
        # Tags are shown on review pages, tag archives and feeds.
        pagecache.expire_on_change("taggit")
        pagecache.watch_schedule(next_scheduled_publication)
