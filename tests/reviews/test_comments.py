"""Reader comments: posting, moderation, what readers see, escaping and the bot checks."""

import importlib
import re
import time
from html.parser import HTMLParser

import pytest
from django.contrib.admin.sites import site
from django.core import signing

from reviews import reader_views
from reviews.forms import CommentForm, started_token
from reviews.models import Comment, Review
from tests.factories import make_comment, make_review

pytestmark = pytest.mark.django_db


def comment_url(review):
    return f"{review.get_absolute_url()}comments/"


def form_data(**overrides):
    data = {
        "name": "Maya",
        "email": "maya@example.com",
        "text": "The last scene stayed with me all week.",
        "website": "",
        "started": started_token(now=time.time() - 60),  # a minute ago: a person's pace
    }
    data.update(overrides)
    return data


def post(client, review, **overrides):
    return client.post(comment_url(review), form_data(**overrides), REMOTE_ADDR="10.0.0.1")


def started_field(response):
    """The start time the comment form in ``response`` carries."""
    html = response.content.decode()
    return re.search(r'<input type="hidden" name="started" value="([^"]+)"', html).group(1)


def comments_section(response):
    html = response.content.decode()
    section = html[html.index('id="comments"') :]
    # The subscription form follows the comments; it is not part of them.
    return section.split('class="subscribe"')[0]


class TestPosting:
    def test_a_new_comment_waits_for_moderation(self, client, review):
        response = post(client, review)
        assert response.status_code == 302
        assert response["Location"] == f"{review.get_absolute_url()}?comment=received#comments"
        comment = Comment.objects.get()
        assert comment.status == Comment.Status.PENDING
        assert comment.text == "The last scene stayed with me all week."
        page = client.get(response["Location"])
        section = comments_section(page)
        assert "awaiting moderation" in section
        assert "The last scene stayed with me" not in section
        assert "(0 comments)" in section

    def test_posting_sets_the_reader_cookie(self, client, review):
        response = post(client, review)
        assert "reader" in response.cookies
        assert Comment.objects.get().reader_id

    def test_an_error_keeps_the_text_and_says_what_is_wrong(self, client, review):
        response = post(client, review, email="not an address", text="Keep <b>this</b> text")
        assert response.status_code == 400
        html = response.content.decode()
        assert "Enter a valid email address." in html
        assert "Keep &lt;b&gt;this&lt;/b&gt; text</textarea>" in html
        assert not Comment.objects.exists()

    @pytest.mark.parametrize("field", ["name", "email", "text"])
    def test_required_fields(self, client, review, field):
        response = post(client, review, **{field: ""})
        assert response.status_code == 400
        assert "This field is required." in response.content.decode()
        assert not Comment.objects.exists()

    def test_form_bad_input(self, review):
        form = CommentForm(
            data=form_data(name="x" * 81, email="@", text="y" * 5001, parent="999"),
            review=review,
        )
        assert not form.is_valid()
        assert set(form.errors) == {"name", "email", "text", "parent", "__all__"}

    def test_a_reply_to_an_approved_comment(self, client, review):
        parent = make_comment(review=review)
        post(client, review, parent=parent.pk)
        assert Comment.objects.get(status="pending").parent == parent

    def test_no_reply_to_a_reply_or_to_an_unapproved_comment(self, client, review):
        parent = make_comment(review=review)
        reply = make_comment(review=review, parent=parent)
        pending = make_comment(review=review, status="pending")
        for target in (reply, pending):
            response = post(client, review, parent=target.pk)
            assert response.status_code == 400
            assert "not available" in response.content.decode()

    def test_closed_comments_take_no_more_and_hide_the_form(self, client, review):
        make_comment(review=review, text="Said before closing.")
        review.comments_open = False
        review.save()
        response = post(client, review)
        assert response.status_code == 302
        assert not Comment.objects.filter(status="pending").exists()
        page = client.get(review.get_absolute_url())
        section = comments_section(page)
        assert "Said before closing." in section
        assert "Comments on this review are closed." in section
        assert "<form" not in section

    def test_unpublished_reviews_take_no_comments(self, client):
        draft = make_review(status="draft")
        assert post(client, draft).status_code == 404

    def test_get_is_not_allowed(self, client, review):
        assert client.get(comment_url(review)).status_code == 405


class TestWhatReadersSee:
    def test_only_approved_comments_oldest_first_with_name_and_date(self, client, review):
        make_comment(review=review, name="First", text="One")
        make_comment(review=review, name="Second", text="Two")
        for status in ("pending", "rejected", "spam"):
            make_comment(
                review=review, name=status.title(), text=f"Hidden {status}", status=status
            )
        section = comments_section(client.get(review.get_absolute_url()))
        assert section.index("First") < section.index("Second")
        assert "Hidden" not in section
        assert 'What did you think? <span class="comment-count">(2 comments)</span>' in section
        assert "<time datetime=" in section

    def test_the_email_is_never_shown(self, client, review):
        make_comment(review=review, email="secret-address@example.com")
        assert "secret-address" not in client.get(review.get_absolute_url()).content.decode()

    def test_replies_sit_under_their_comment(self, client, review):
        parent = make_comment(review=review, text="Parent comment")
        make_comment(review=review, parent=parent, text="A reply to it")
        make_comment(review=review, parent=parent, text="Pending reply", status="pending")
        section = comments_section(client.get(review.get_absolute_url()))
        replies = section[section.index('class="comment-replies"') :]
        assert "A reply to it" in replies
        assert "Pending reply" not in section
        assert "(2 comments)" in section

    def test_comments_are_paginated(self, client, review):
        for i in range(25):
            make_comment(review=review, text=f"Comment number {i:02d}")
        first = comments_section(client.get(review.get_absolute_url()))
        assert "Comment number 19" in first and "Comment number 20" not in first
        assert "Comments page 1 of 2" in first
        second = comments_section(client.get(review.get_absolute_url() + "?comments=2"))
        assert "Comment number 20" in second and "Comment number 19" not in second
        assert client.get(review.get_absolute_url() + "?comments=9").status_code == 404


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">click</a>',
    "<iframe src=//evil.example></iframe>",
    "'';!--\"<XSS>=&{()}",
    '<div style="background:url(javascript:alert(1))">',
    'http://example.com/"onmouseover="alert(1)',
    "https://example.com/<script>alert(1)</script>",
    "<body onload=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
]


class TestEscaping:
    @pytest.mark.parametrize("payload", XSS_PAYLOADS)
    def test_no_reader_html_reaches_the_page(self, client, review, payload):
        make_comment(review=review, name=f"N{payload}", text=f"T {payload}")
        page = client.get(review.get_absolute_url()).content.decode()
        start = page.index('<li class="comment"')
        comment = page[start : page.index("</li>", start)]
        tags = TagCollector()
        tags.feed(comment)
        # Only the markup the template and the link filter write, whatever the reader typed.
        assert {tag for tag, _ in tags.seen} <= {
            "article",
            "header",
            "strong",
            "span",
            "time",
            "div",
            "p",
            "br",
            "a",
            "li",
        }
        for tag, attrs in tags.seen:
            names = {name for name, _ in attrs}
            assert names <= {
                "class",
                "id",
                "aria-hidden",
                "datetime",
                "href",
                "rel",
                "data-reply-to",
                "data-reply-name",
            }, (tag, attrs)
            href = dict(attrs).get("href")
            if href:
                assert href.startswith(("http://", "https://", "?reply=")), href
        assert "<script" not in comment


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, attrs))


class TestEscapingOfText:
    def test_text_is_stored_as_typed(self, client, review):
        post(client, review, text="<b>bold?</b>\nsecond line")
        assert Comment.objects.get().text == "<b>bold?</b>\r\nsecond line" or (
            Comment.objects.get().text == "<b>bold?</b>\nsecond line"
        )

    def test_line_breaks_and_safe_links(self, client, review):
        make_comment(
            review=review, text="See https://example.com/essay for more.\nSecond line\n\nNew para"
        )
        section = comments_section(client.get(review.get_absolute_url()))
        assert (
            '<a href="https://example.com/essay" rel="nofollow ugc">https://example.com/essay</a>'
            in section
        )
        assert "for more.<br>Second line</p><p>New para</p>" in section


class TestBots:
    def test_the_honeypot_drops_the_comment_with_the_same_answer(self, client, review):
        good = post(client, review)
        bot = post(client, review, website="http://spam.example")
        assert bot.status_code == good.status_code == 302
        assert bot["Location"] == good["Location"]
        assert Comment.objects.count() == 1

    def test_too_fast_comes_back_with_the_text_and_says_why(self, client, review):
        response = post(client, review, started=started_token(), text="Quick thoughts.")
        assert response.status_code == 400
        assert not Comment.objects.exists()
        section = comments_section(response)
        assert "quicker than anyone can read a review" in section
        assert "awaiting moderation" not in section
        assert ">\nQuick thoughts.</textarea>" in section
        assert 'value="Maya"' in section and 'value="maya@example.com"' in section

    def test_too_fast_then_sent_again_a_moment_later_is_taken(self, client, review, time_machine):
        time_machine.move_to(1_900_000_000, tick=False)
        first = post(client, review, started=started_token())
        assert first.status_code == 400
        # The form came back with the start time of the page the reader opened.
        started = started_field(first)
        time_machine.move_to(1_900_000_000 + 4, tick=False)
        again = post(client, review, started=started)
        assert again["Location"].endswith("?comment=received#comments")
        assert Comment.objects.get().status == Comment.Status.PENDING

    @pytest.mark.parametrize("started", ["", "garbage", "other-salt"])
    def test_a_missing_or_forged_start_time_comes_back_with_a_new_one(
        self, client, review, started, time_machine
    ):
        time_machine.move_to(1_900_000_000, tick=False)
        if started == "other-salt":
            started = signing.dumps(0, salt="other")
        response = post(client, review, started=started)
        assert response.status_code == 400
        assert "could not tell when this page was opened" in comments_section(response)
        assert not Comment.objects.exists()
        time_machine.move_to(1_900_000_000 + 10, tick=False)
        assert post(client, review, started=started_field(response)).status_code == 302
        assert Comment.objects.count() == 1

    def test_the_form_carries_a_fresh_start_time(self, client, review):
        html = client.get(review.get_absolute_url()).content.decode()
        assert 'name="started"' in html and 'name="website"' in html

    def test_the_rate_limit_per_client(self, client, review, monkeypatch):
        monkeypatch.setattr(reader_views, "COMMENT_RATE_LIMIT", 3)
        responses = [post(client, review, text=f"Comment {i}") for i in range(5)]
        assert [r.status_code for r in responses] == [302, 302, 302, 429, 429]
        assert Comment.objects.count() == 3
        # Told so, with the text kept to send later.
        section = comments_section(responses[3])
        assert "several comments in the last few minutes" in section
        assert ">\nComment 3</textarea>" in section
        # Another client is not held back.
        client.post(comment_url(review), form_data(), REMOTE_ADDR="10.0.0.2")
        assert Comment.objects.count() == 4

    def test_readers_behind_one_proxy_are_counted_apart(self, client, review, settings):
        """Eight readers behind the site's one proxy: every comment is stored."""
        settings.NUM_PROXIES = 1
        for reader in range(8):
            client.post(
                comment_url(review),
                form_data(text=f"Comment {reader}"),
                REMOTE_ADDR="10.0.0.254",  # the proxy
                HTTP_X_FORWARDED_FOR=f"198.51.100.{reader}",
            )
        assert Comment.objects.count() == 8

    def test_one_reader_behind_a_proxy_is_still_limited(self, client, review, settings):
        settings.NUM_PROXIES = 1
        for i in range(7):
            client.post(
                comment_url(review),
                # A client cannot dodge the limit by making up a left-hand entry.
                form_data(text=f"Comment {i}"),
                REMOTE_ADDR="10.0.0.254",
                HTTP_X_FORWARDED_FOR=f"203.0.113.{i}, 198.51.100.7",
            )
        assert Comment.objects.count() == reader_views.COMMENT_RATE_LIMIT

    def test_too_many_links_go_to_spam(self, client, review):
        text = "Buy https://a.example https://b.example www.c.example"
        response = post(client, review, text=text)
        assert response["Location"].endswith("?comment=received#comments")
        assert Comment.objects.get().status == Comment.Status.SPAM
        post(client, review, text="Only https://a.example and https://b.example")
        assert Comment.objects.filter(status="pending").count() == 1


class TestModeration:
    @pytest.fixture
    def queue(self, review):
        return [
            make_comment(review=review, status="pending", text=f"Waiting {i}") for i in range(3)
        ]

    def changelist(self, admin_client, **params):
        return admin_client.get("/admin/reviews/comment/", params)

    def test_the_queue_filter_and_pending_count(self, admin_client, queue, review):
        make_comment(review=review, text="Already fine")
        response = self.changelist(admin_client, queue="pending")
        html = response.content.decode()
        assert "3 awaiting moderation" in html
        assert "Waiting 0" in html and "Already fine" not in html

    @pytest.mark.parametrize(
        "action,status,visible",
        [
            ("mark_approved", "approved", True),
            ("mark_rejected", "rejected", False),
            ("mark_spam", "spam", False),
        ],
    )
    def test_bulk_actions(self, admin_client, client, queue, review, action, status, visible):
        response = admin_client.post(
            "/admin/reviews/comment/",
            {"action": action, "_selected_action": [c.pk for c in queue[:2]]},
        )
        assert response.status_code == 302
        assert Comment.objects.filter(status=status).count() == 2
        moderated = Comment.objects.filter(status=status).first()
        assert moderated.moderated_by.username == "boss"
        review.refresh_from_db()
        assert review.comment_count == (2 if visible else 0)
        section = comments_section(client.get(review.get_absolute_url()))
        assert ("Waiting 0" in section) is visible
        assert "Waiting 2" not in section

    def test_approving_through_the_change_form(self, admin_client, queue, review):
        response = admin_client.post(
            f"/admin/reviews/comment/{queue[0].pk}/change/", {"status": "approved"}
        )
        assert response.status_code == 302
        review.refresh_from_db()
        assert review.comment_count == 1

    def test_deleting_keeps_the_count(self, admin_client, review):
        comment = make_comment(review=review)
        make_comment(review=review, parent=comment)
        review.refresh_from_db()
        assert (review.comment_count, review.comment_thread_count) == (2, 1)
        admin_client.post(
            "/admin/reviews/comment/",
            {"action": "delete_selected", "_selected_action": [comment.pk], "post": "yes"},
        )
        review.refresh_from_db()
        assert (review.comment_count, review.comment_thread_count) == (0, 0)

    def test_the_threads_are_counted_apart_from_the_replies(self, admin_client, client, review):
        first = make_comment(review=review, text="First thread.")
        make_comment(review=review, parent=first, text="A reply.")
        make_comment(review=review, parent=first, status="pending", text="Late reply.")
        make_comment(review=review, status="pending", text="Second thread.")
        review.refresh_from_db()
        assert (review.comment_count, review.comment_thread_count) == (2, 1)
        admin_client.post(
            "/admin/reviews/comment/",
            {
                "action": "mark_approved",
                "_selected_action": list(
                    Comment.objects.filter(status="pending").values_list("pk", flat=True)
                ),
            },
        )
        review.refresh_from_db()
        assert (review.comment_count, review.comment_thread_count) == (4, 2)
        section = comments_section(client.get(review.get_absolute_url()))
        assert "(4 comments)" in section
        assert "Second thread." in section and "Late reply." in section

    def test_the_thread_count_is_filled_in_for_comments_from_before_it(self, review):
        from django.apps import apps

        counter = importlib.import_module("reviews.migrations.0022_review_comment_thread_count")
        first = make_comment(review=review)
        make_comment(review=review, parent=first)
        make_comment(review=review)
        make_comment(review=review, status="pending")
        Review.objects.update(comment_thread_count=0)
        counter.count_threads(apps, None)
        review.refresh_from_db()
        assert review.comment_thread_count == 2

    def test_editors_cannot_add_comments(self):
        assert not site.get_model_admin(Comment).has_add_permission(None)


class TestLength:
    """Nothing is cut silently: the limit is said and counted, and a long text comes back whole."""

    def test_the_form_says_the_limit_and_does_not_cut_a_paste(self, client, review):
        section = comments_section(client.get(review.get_absolute_url()))
        textarea = re.search(r"<textarea[^>]*>", section).group(0)
        assert "maxlength" not in textarea
        assert 'data-limit="5000"' in textarea
        assert "up to 5,000 characters" in section
        assert "of 5,000 characters" in section  # the counter the script fills in
        assert 'aria-live="polite" data-counter-announce' in section

    def test_a_text_over_the_limit_comes_back_whole_with_a_clear_message(self, client, review):
        text = "Every frame of this film deserves a word. " * 143  # 6,006 characters
        assert len(text.strip()) > 5000
        response = post(client, review, text=text)
        assert response.status_code == 400
        assert not Comment.objects.exists()
        section = comments_section(response)
        assert "has 6005 characters and a comment can have up to 5000" in section
        assert "your whole text is kept below" in section
        kept = re.search(r"<textarea[^>]*>(.*?)</textarea>", section, re.S).group(1)
        assert kept.strip() == text.strip()

    def test_line_breaks_count_once_as_the_reader_counts_them(self, client, review):
        text = "x" * 4000 + "\r\n" * 1000  # 5,000 characters on screen, 6,000 bytes sent
        response = post(client, review, text=text)
        assert response.status_code == 302
        assert len(Comment.objects.get().text) == 4000  # trailing breaks are stripped
        text = ("y" * 9 + "\r\n") * 500  # 5,000 characters with 499 breaks inside
        response = post(client, review, text=text, email="other@example.com")
        assert response.status_code == 302
