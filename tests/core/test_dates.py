"""One date style: core/dates.py, on the public pages, in e-mails and in the admin."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core import dates
from reviews import workflow
from tests.factories import make_comment, make_review

PARIS_EVENING = datetime.datetime(2012, 11, 23, 14, 29, 6, 83504, tzinfo=datetime.UTC)
# What the W3C checker accepts in <time datetime>: to the second, with an offset.
VALID_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z))?$")
TEMPLATE_DIRS = [Path("templates"), Path("subscriptions/jinja2")]


class TestTheStyle:
    def test_dates_read_day_month_year(self):
        assert dates.long_date(datetime.date(2012, 5, 17)) == "17 May 2012"

    def test_times_say_their_zone(self, settings):
        settings.TIME_ZONE = "Europe/Paris"
        assert dates.time_of_day(PARIS_EVENING) == "15:29 CET"
        assert dates.date_and_time(PARIS_EVENING) == "23 November 2012, 15:29 CET"

    def test_a_date_falls_on_the_sites_day(self, settings):
        settings.TIME_ZONE = "Pacific/Auckland"
        late = datetime.datetime(2012, 11, 23, 22, 0, tzinfo=datetime.UTC)
        assert dates.long_date(late) == "24 November 2012"

    def test_machine_times_have_no_microseconds(self):
        assert dates.machine(PARIS_EVENING) == "2012-11-23T14:29:06+00:00"
        assert dates.machine(datetime.date(2012, 11, 23)) == "2012-11-23"
        assert dates.machine(None) == ""


def test_no_template_writes_a_date_format_of_its_own():
    """Every template uses the date filters without a format: one style, one place."""
    offending = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.*"):
            text = path.read_text()
            if re.search(r"\|\s*date\s*\(|\.isoformat\(\)|\.strftime\(", text):
                offending.append(str(path))
    assert offending == []


@pytest.mark.django_db
class TestOnThePages:
    def test_a_review_and_comment_published_now_have_valid_machine_times(self, client):
        review = make_review(status="published", published_at=timezone.now())
        make_comment(review=review)
        content = client.get(review.get_absolute_url()).content.decode()
        stamps = re.findall(r'<time datetime="([^"]*)"', content)
        stamps += re.findall(r'property="article:published_time" content="([^"]*)"', content)
        stamps += re.findall(r'"date(?:Published|Modified)": "([^"]*)"', content)
        assert len(stamps) >= 4
        for stamp in stamps:
            assert VALID_DATETIME.match(stamp), stamp

    def test_the_byline_and_the_card_share_the_style(self, client):
        make_review(headline="A night out", published_at=PARIS_EVENING)
        home = client.get(reverse("reviews:home")).content.decode()
        assert "23 November 2012" in home
        review_page = client.get(make_review(published_at=PARIS_EVENING).get_absolute_url())
        assert "23 November 2012" in review_page.content.decode()


@pytest.mark.django_db
class TestInTheAdminAndMail:
    def test_the_changelist_says_the_time_zone(self, client, editor, settings):
        settings.TIME_ZONE = "Europe/Paris"
        make_review(status="published", published_at=PARIS_EVENING)
        client.force_login(editor)
        content = client.get(reverse("admin:reviews_review_changelist")).content.decode()
        assert "23\u00a0November\u00a02012, 15:29 CET" in content

    def test_a_scheduled_review_says_the_zone_on_the_desk(self, client, editor, settings):
        settings.TIME_ZONE = "Europe/Paris"
        at = datetime.datetime(2026, 12, 7, 14, 29, tzinfo=datetime.UTC)
        review = make_review(status="scheduled", published_at=at)
        client.force_login(editor)
        with time_machine.travel(at - datetime.timedelta(hours=2), tick=False):
            page = client.get(reverse("admin:reviews_review_change", args=[review.pk]))
        content = page.content.decode()
        assert "Scheduled for 15:29 CET" in content
        assert "In the site's time zone, Europe/Paris." in content

    def test_the_revision_history_says_the_time_zone(self, client, editor):
        review = make_review(status="submitted")
        workflow.publish(review, by=editor)
        client.force_login(editor)
        content = client.get(
            reverse("admin:reviews_review_history", args=[review.pk])
        ).content.decode()
        assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} UTC", content)

    def test_the_schedule_mail_says_the_date_and_zone(
        self, editor, writer, settings, django_capture_on_commit_callbacks
    ):
        settings.TIME_ZONE = "Europe/Paris"
        review = make_review(author=writer.author_profile, status="submitted")
        at = timezone.now() + datetime.timedelta(days=3)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.schedule(review, at=at, by=editor)
        body = mail.outbox[-1].body
        assert f"It goes public on {dates.date_and_time(at)}." in body
        assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} CES?T", body)
