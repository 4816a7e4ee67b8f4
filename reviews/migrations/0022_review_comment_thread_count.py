from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_threads(apps, schema_editor):
    """Each review's approved comments that are not replies, as recount_comments() counts them."""
    Comment = apps.get_model("reviews", "Comment")
    Review = apps.get_model("reviews", "Review")
    threads = (
        Comment.objects.filter(review=OuterRef("pk"), status="approved", parent__isnull=True)
        .order_by()
        .values("review")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Review.objects.filter(comment_count__gt=0).update(
        comment_thread_count=Coalesce(Subquery(threads), 0)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0021_review_autosave"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="comment_thread_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="approved comment threads"
            ),
        ),
        migrations.RunPython(count_threads, migrations.RunPython.noop),
    ]
