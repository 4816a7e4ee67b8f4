"""A restore restores words, not state: through the desk, as an editor would."""

import datetime
import re

import pytest
import reversion
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from reviews import workflow
from reviews.models import CriticQuote, Review
from tests.factories import make_review
from tests.reviews.test_admin_permissions import change_form

pytestmark = pytest.mark.django_db


def url(view, *args):
    return reverse(f"admin:reviews_review_{view}", args=args)


def publish_fields(review):
    if review.published_at is None:
        return {"published_at_0": "", "published_at_1": ""}
    local = timezone.localtime(review.published_at)
    return {
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
    }


def save_as(client, user, review, **changes):
    client.force_login(user)
    review.refresh_from_db()
    data = change_form(review, **publish_fields(review))
    data.update(changes)
    response = client.post(url("change", review.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]


@pytest.fixture
def history(client, writer, editor):
    """
    A review drafted by its author, published by an editor, then rewritten:
    three versions, the oldest a draft with the good words.
    """
    review = make_review(author=writer.author_profile, status="draft", headline="Draft")
    save_as(client, writer, review, headline="Good headline", body="<p>Good body.</p>")
    workflow.publish(Review.objects.get(pk=review.pk), by=editor)
    save_as(client, editor, review, headline="Worse headline", body="<p>Worse body.</p>")
    review.refresh_from_db()
    return review


def oldest(review):
    return Version.objects.get_for_object(review).last()


def test_restoring_a_draft_version_of_a_live_review_keeps_it_live(client, editor, history):
    review = history
    published_at, slug = review.published_at, review.slug
    client.force_login(editor)

    # The history, then the comparison of the oldest and newest versions.
    versions = list(Version.objects.get_for_object(review))
    compare = client.get(
        url("compare", review.pk), {"old": versions[-1].pk, "new": versions[0].pk}
    )
    restore_link = url("revision", review.pk, versions[-1].pk)
    assert restore_link in compare.content.decode()

    page = client.get(restore_link)
    assert page.status_code == 200
    content = page.content.decode()
    assert "What comes back" in content and "What stays" in content
    assert "<del>Worse</del><ins>Good</ins>" in content
    assert "Published, publish time" in content and "live on the site" in content
    assert "the review would leave the site" in content  # the option, not the default
    assert 'name="with_state"' in content and "checked" not in content

    response = client.post(restore_link, {})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.headline, review.body) == ("Good headline", "<p>Good body.</p>")
    assert review.status == Review.Status.PUBLISHED
    assert review.published_at == published_at and review.slug == slug

    message = client.get(response["Location"]).content.decode()
    assert "Restored the words of the version saved" in message
    assert f"It is live at /reviews/{slug}/" in message
    client.logout()
    public = client.get(f"/reviews/{slug}/")
    assert public.status_code == 200 and "Good body." in public.content.decode()
    assert "Good headline" in client.get("/").content.decode()
    latest = Version.objects.get_for_object(review).first()
    assert latest.revision.comment.startswith("Restored its words from the version saved")
    assert latest.revision.user == editor


def test_the_editor_may_bring_the_old_state_back_on_purpose(client, editor, history):
    client.force_login(editor)
    response = client.post(url("revision", history.pk, oldest(history).pk), {"with_state": "on"})
    assert response.status_code == 302
    history.refresh_from_db()
    assert history.status == Review.Status.DRAFT and history.published_at is None
    assert history.headline == "Good headline"
    assert "It is draft" in client.get(response["Location"]).content.decode()


def test_a_scheduled_review_stays_scheduled_for_its_time(client, editor, writer):
    review = make_review(author=writer.author_profile, status="draft", headline="Draft")
    save_as(client, writer, review, headline="Good headline", body="<p>Good body.</p>")
    at = (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)
    workflow.schedule(Review.objects.get(pk=review.pk), at=at, by=editor)
    save_as(client, editor, review, headline="Worse headline")
    client.force_login(editor)
    client.post(url("revision", review.pk, oldest(review).pk), {})
    review.refresh_from_db()
    assert review.status == Review.Status.SCHEDULED and review.published_at == at
    assert review.headline == "Good headline"


def test_tags_quotes_rating_and_hero_text_come_back(client, editor):
    review = make_review(headline="Tagged", rating="4.0", hero_image_alt="A harbour at dusk")
    with reversion.create_revision():
        review.tags.set(["Noir", "Paris"])
        CriticQuote.objects.create(review=review, quote="A quiet marvel.", critic="Ann Lee")
        review.save()
    with reversion.create_revision():
        review.rating = "2.0"
        review.hero_image_alt = "A car park"
        review.save()
        review.tags.set(["Crime"])
        review.critic_quotes.all().delete()
        CriticQuote.objects.create(review=review, quote="Overlong.", critic="Bo Park")
    old = Version.objects.get_for_object(review).last()
    client.force_login(editor)
    content = client.get(url("revision", review.pk, old.pk)).content.decode()
    assert "Crime → Noir, Paris" in content
    assert "1 now → 1 in this version" in content and "A quiet marvel." in content
    client.post(url("revision", review.pk, old.pk), {})
    review.refresh_from_db()
    assert str(review.rating) == "4.0" and review.hero_image_alt == "A harbour at dusk"
    assert sorted(review.tags.names()) == ["Noir", "Paris"]
    assert [q.quote for q in review.critic_quotes.all()] == ["A quiet marvel."]


def test_the_old_address_comes_back_only_when_asked_and_the_new_one_then_leads_there(
    client, editor, history
):
    save_as(client, editor, history, slug="renamed")
    history.refresh_from_db()
    client.force_login(editor)
    restore_link = url("revision", history.pk, oldest(history).pk)
    content = client.get(restore_link).content.decode()
    old_slug = oldest(history).field_dict["slug"]
    assert re.search(rf"Also bring back its address, /reviews/{old_slug}/", content)

    client.post(restore_link, {})
    history.refresh_from_db()
    assert history.slug == "renamed"

    client.post(restore_link, {"with_address": "on"})
    history.refresh_from_db()
    assert history.slug == old_slug
    client.logout()
    assert client.get(f"/reviews/{old_slug}/").status_code == 200
    response = client.get("/reviews/renamed/")
    assert response.status_code == 301 and response["Location"] == f"/reviews/{old_slug}/"


def test_an_author_cannot_open_the_restore_page(client, writer, history):
    client.force_login(writer)
    assert client.get(url("revision", history.pk, oldest(history).pk)).status_code == 403
    assert client.post(url("revision", history.pk, oldest(history).pk)).status_code == 403
