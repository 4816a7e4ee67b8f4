"""
A scripted run of the destructive things an editor does, through the desk and
the public pages as they would: restore an old version of a live review,
change the slug of every kind of page, reload the demo over an author's
edits, post an over-long comment, import a file with namesakes. It ends with
0 pages gone (every public address that answered before still answers, at
most one 301 away) and 0 words lost.
"""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag

from core.purges import expire_pages
from people.models import AuthorProfile, Person
from reviews.forms import started_token
from reviews.models import Comment, Credit, Film, Genre, PendingCredit, Review
from tests.reviews.test_admin_permissions import change_form

pytestmark = pytest.mark.django_db


def public_addresses():
    """Every public address of the demo site: pages, archives, feeds."""
    paths = ["/", "/archive/", "/feeds/rss/", "/feeds/atom/", "/sitemap.xml"]
    paths += [r.get_absolute_url() for r in Review.objects.published()]
    paths += [f.get_absolute_url() for f in Film.objects.all()]
    paths += [p.get_absolute_url() for p in Person.objects.all()]
    paths += [g.get_absolute_url() for g in Genre.objects.all()]
    for author in AuthorProfile.objects.filter(reviews__isnull=False).distinct():
        slug = author.slug
        paths += [author.get_absolute_url(), f"/feeds/authors/{slug}/rss/"]
    for tag in Tag.objects.all():
        paths += [f"/tags/{tag.slug}/", f"/feeds/tags/{tag.slug}/rss/"]
    return paths


def gone(client, paths):
    """The addresses that no longer answer with a page, directly or one 301 away."""
    lost = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 301:
            response = client.get(response["Location"])
        if response.status_code != 200:
            lost.append((path, response.status_code))
    return lost


def publish_fields(review):
    """The fields of a live review's form that the shared helper leaves out."""
    local = timezone.localtime(review.published_at)
    return {
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
        "comments_open": "on" if review.comments_open else "",
        "featured": "on" if review.featured else "",
        "tags": ", ".join(f'"{name}"' if " " in name else name for name in review.tags.names()),
    }


def test_destructive_editor_actions_lose_no_page_and_no_word(demo, client, tmp_path):
    editor_user = AuthorProfile.objects.get(slug="the-editors").user
    iris = AuthorProfile.objects.get(slug="iris-marchetti")
    before = public_addresses()
    assert gone(client, before) == []
    words = []  # texts someone wrote, each of which must still be on the site at the end

    # 1. An editor saves a live review as it is, rewrites it twice, then restores
    #    the first version.
    review = Review.objects.get(film__slug="rust-and-bone")
    original_body = review.body
    desk = client
    desk.force_login(editor_user)
    for body in (original_body, "<p>A first rewrite.</p>", "<p>A second rewrite.</p>"):
        review.refresh_from_db()
        data = change_form(review, body=body, **publish_fields(review))
        assert (
            desk.post(reverse("admin:reviews_review_change", args=[review.pk]), data).status_code
            == 302
        )
    first = Version.objects.get_for_object(review).last()
    restore = reverse("admin:reviews_review_revision", args=[review.pk, first.pk])
    assert "What stays" in desk.get(restore).content.decode()
    assert desk.post(restore, {}).status_code == 302
    review.refresh_from_db()
    assert review.is_public and review.body == original_body
    words.append(("review body", lambda: Review.objects.filter(body=original_body).exists()))

    # 2. A slug change on each kind of page: a review through the desk, the rest saved.
    review.refresh_from_db()
    data = change_form(review, slug="rust-and-bone-revisited", **publish_fields(review))
    assert (
        desk.post(reverse("admin:reviews_review_change", args=[review.pk]), data).status_code
        == 302
    )
    for obj in (
        Film.objects.get(slug="a-prophet"),
        Person.objects.get(slug="jacques-audiard"),
        iris,
        Genre.objects.get(slug="drama"),
        Tag.objects.order_by("pk").first(),
    ):
        obj.slug = f"{obj.slug}-renamed"
        obj.save()

    # 3. The author edits her bio at /account/, then the demo is loaded again.
    desk.logout()
    desk.force_login(iris.user)
    bio = "Rewritten by Iris herself, after the demo was loaded."
    profile = {
        "display_name": "Iris Marchetti",
        "bio": bio,
        "favourite_film": "Stalker",
        "favourite_director": "Andrei Tarkovsky",
        "guilty_pleasure": "Hard Target",
        "desk_emails": "on",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
    }
    assert desk.post("/account/", profile).status_code == 302
    desk.logout()
    call_command("load_demo", stdout=io.StringIO())
    words.append(("author's bio", lambda: AuthorProfile.objects.filter(bio=bio).exists()))
    assert Review.objects.filter(film__slug="rust-and-bone").count() == 1

    # 4. A reader pastes a comment over the limit: it comes back whole, nothing is cut.
    review.refresh_from_db()
    long_text = "Every scene of this film deserves a sentence of its own. " * 100
    response = client.post(
        f"{review.get_absolute_url()}comments/",
        {
            "name": "Maya",
            "email": "maya@example.com",
            "text": long_text,
            "website": "",
            "started": started_token(now=timezone.now().timestamp() - 60),
        },
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 400
    assert long_text.strip() in response.content.decode()
    assert not Comment.objects.filter(text__startswith="Every scene").exists()

    # 5. An import names a person the site holds twice, and one it holds once.
    Person.objects.create(name="Jacques Audiard", birth_year=1990)
    path = tmp_path / "films.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["title", "year", "imdb_id", "directors", "cast"],
                ["Dheepan", "2015", "tt4082068", "Jacques Audiard", "Antonythasan Jesuthasan"],
                ["Emilia Pérez", "2024", "tt20221436", "", "Tahar Rahim"],
            ]
        )
    call_command("import_films", str(path), "--no-progress", stdout=io.StringIO())
    dheepan = Film.objects.get(imdb_id="tt4082068")
    credited = Credit.objects.filter(film__imdb_id__in=["tt4082068", "tt20221436"]).count()
    waiting = PendingCredit.objects.filter(film=dheepan).count()
    assert (credited, waiting) == (2, 1)  # three credits in the file, none dropped

    # The end: no page gone, no word lost.
    expire_pages()
    assert len(before) > 40
    assert gone(client, before) == []
    assert [what for what, still_there in words if not still_there()] == []
