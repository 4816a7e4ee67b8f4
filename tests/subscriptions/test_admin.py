import csv
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse

from subscriptions.models import Subscriber
from tests.filmblog.factories import make_subscriber

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:subscriptions_subscriber_changelist")


def act(client, action, subscribers, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [s.pk for s in subscribers], **extra},
        follow=not extra.get("post") and action != "export_csv",
    )


def test_editors_list_search_and_filter_subscribers(admin_client):
    make_subscriber(email="ann@example.com", name="Ann")
    make_subscriber(email="bob@example.com", state=Subscriber.State.PENDING)
    make_subscriber(email="cy@example.com", state=Subscriber.State.UNSUBSCRIBED)

    html = admin_client.get(CHANGELIST).content.decode()
    for address in ("ann@example.com", "bob@example.com", "cy@example.com"):
        assert address in html

    html = admin_client.get(CHANGELIST, {"q": "ann"}).content.decode()
    assert "ann@example.com" in html and "bob@example.com" not in html

    html = admin_client.get(CHANGELIST, {"state__exact": "pending"}).content.decode()
    assert "bob@example.com" in html and "ann@example.com" not in html


def test_editors_cannot_add_subscribers_by_hand(admin_client):
    response = admin_client.get(reverse("admin:subscriptions_subscriber_add"))
    assert response.status_code == 403


def test_export_csv(admin_client):
    ann = make_subscriber(email="ann@example.com", name="Ann")
    evil = make_subscriber(email="evil@example.com", name="=HYPERLINK(1)")
    response = act(admin_client, "export_csv", [ann, evil])
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["E-mail", "Name", "State"]
    assert rows[1][:3] == ["ann@example.com", "Ann", "confirmed"]
    # A formula in a name is defused, so the spreadsheet shows it as text.
    assert rows[2][1] == "'=HYPERLINK(1)"


def test_resend_confirmation_to_pending_subscribers_only(admin_client):
    pending = make_subscriber(email="p@example.com", state=Subscriber.State.PENDING)
    confirmed = make_subscriber(email="c@example.com")
    response = act(admin_client, "resend_confirmation", [pending, confirmed])
    html = response.content.decode()
    assert "Sent 1 confirmation e-mail(s)." in html
    assert "Skipped 1 subscriber(s)" in html
    assert [message.to for message in mail.outbox] == [["p@example.com"]]
    assert "/subscribe/confirm/" in mail.outbox[0].body


def test_erasing_a_subscriber_removes_everything_kept_about_them(admin_client, superuser):
    subscriber = make_subscriber(email="forget.me@example.com", name="Forget Me")
    change = reverse("admin:subscriptions_subscriber_change", args=[subscriber.pk])
    # An editor's earlier edit left a history line naming the address.
    admin_client.post(change, {"name": "Forget Me Now"})
    assert LogEntry.objects.filter(object_repr__contains="forget.me").exists()

    page = admin_client.get(CHANGELIST).content.decode()
    assert "Erase selected subscribers and everything kept about them (GDPR)" in page
    response = act(admin_client, "delete_selected", [subscriber], post="yes")
    assert response.status_code == 302

    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert not LogEntry.objects.filter(object_repr__icontains="forget").exists()
    assert not LogEntry.objects.filter(change_message__icontains="forget").exists()
    trail = LogEntry.objects.get(object_id=str(subscriber.pk))
    assert trail.object_repr == f"Subscriber #{subscriber.pk} (erased)"
    assert trail.user == superuser


def test_erasing_from_the_change_page(admin_client):
    subscriber = make_subscriber(email="gone@example.com")
    delete = reverse("admin:subscriptions_subscriber_delete", args=[subscriber.pk])
    admin_client.post(delete, {"post": "yes"})
    assert not Subscriber.objects.exists()
    assert not LogEntry.objects.filter(object_repr__icontains="gone@").exists()


def test_an_erased_subscribers_unsubscribe_link_still_answers_kindly(client, admin_client):
    subscriber = make_subscriber()
    link = subscriber.get_absolute_url()
    act(admin_client, "delete_selected", [subscriber], post="yes")
    response = client.post(link)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
