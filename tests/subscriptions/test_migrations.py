"""
Subscriber's migrations were squashed into one when the project package lost
its own history: a database that applied the old steps must count the new
migration as applied and keep its rows, not create the table again.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from subscriptions.models import Subscriber

SQUASHED = ("subscriptions", "0001_squashed_0002_subscriber_table")
OLD_STEPS = [
    ("filmblog", "0001_initial"),
    ("subscriptions", "0001_initial"),
    ("filmblog", "0002_subscriber_moved_to_subscriptions"),
    ("subscriptions", "0002_subscriber_table"),
]


@pytest.mark.django_db(transaction=True)
def test_a_database_migrated_through_the_old_steps_keeps_its_subscribers():
    now = timezone.now()
    Subscriber.objects.create(email="ada@example.com", consent_at=now, consent_version="2026-11")
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied(*SQUASHED)
    for app, name in OLD_STEPS:
        recorder.record_applied(app, name)
    try:
        assert SQUASHED in MigrationLoader(connection).applied_migrations
        call_command("migrate", verbosity=0)
        assert list(Subscriber.objects.values_list("email", flat=True)) == ["ada@example.com"]
    finally:
        for app, name in OLD_STEPS:
            recorder.record_unapplied(app, name)
        recorder.record_applied(*SQUASHED)
