"""Subscriber now lives in the subscriptions app; its table stays (see there)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("filmblog", "0001_initial"),
        ("subscriptions", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Subscriber")],
            database_operations=[],
        ),
    ]
