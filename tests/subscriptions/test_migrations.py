"""Moving Subscriber into the subscriptions app keeps its table's rows."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from subscriptions.models import Subscriber

BEFORE = [("filmblog", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_subscribers_saved_before_the_move_are_there_after_it():
    call_command("migrate", "subscriptions", "zero", verbosity=0)
    try:
        state = MigrationExecutor(connection).loader.project_state(BEFORE)
        old_model = state.apps.get_model("filmblog", "Subscriber")
        now = timezone.now()
        old_model.objects.create(
            email="ada@example.com",
            state="confirmed",
            consent_at=now,
            consent_version="2026-11",
            confirmed_at=now,
            mailed_through=now,
        )
        old_model.objects.create(email="bo@example.com", consent_at=now, consent_version="2026-11")
    finally:
        call_command("migrate", verbosity=0)

    assert Subscriber._meta.db_table == "subscriptions_subscriber"
    assert {s.email: s.state for s in Subscriber.objects.all()} == {
        "ada@example.com": "confirmed",
        "bo@example.com": "pending",
    }
    # The digest's reading of the table works on the moved rows.
    assert list(Subscriber.objects.confirmed().values_list("email", flat=True)) == [
        "ada@example.com"
    ]


@pytest.mark.django_db
def test_editors_keep_their_subscriber_permissions_in_the_new_app():
    from django.contrib.auth.models import Group

    editors = Group.objects.get(name="Editors")
    names = set(editors.permissions.values_list("content_type__app_label", "codename"))
    assert ("subscriptions", "view_subscriber") in names
    assert not {name for name in names if name[0] == "filmblog"}
