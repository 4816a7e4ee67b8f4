"""
The review body's own blocks: what the toolbar makes survives the sanitiser and
nothing else does; the page draws pictures through the renditions and trailers
as our own play button; feeds and the digest get plain pictures, links and
marked spoilers; a picture in use cannot be deleted.
"""

import re

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from reviews.models import Picture, Review
from tests.factories import image_file, make_review

pytestmark = pytest.mark.django_db

# Exactly what static/js/review-blocks.js makes (Tiptap's getHTML()).
TOOLBAR_BLOCKS = [
    '<figure data-image="7" data-layout="wide"></figure>',
    '<figure data-image="7" data-layout="beside"></figure>',
    '<figure data-image="12" data-layout="column"></figure>',
    '<figure data-embed="youtube:dQw4w9WgXcQ" data-title="Trailer"></figure>',
    '<figure data-embed="vimeo:76979871"></figure>',
    '<blockquote data-pull-quote="">A line worth <em>repeating</em>.</blockquote>',
    "<details><summary>Spoilers: the ending</summary><p>They <strong>live</strong>.</p>"
    "<ul><li><p>and more</p></li></ul></details>",
    "<blockquote><p>An ordinary quote.</p></blockquote>",
]

# Pasted or forged HTML, and what is left of it.
FOREIGN = [
    ('<figure data-image="7 onload=x" data-layout="wide"></figure>', ""),
    ('<figure data-image="7" data-layout="huge"></figure>', '<figure data-image="7"></figure>'),
    ('<figure data-embed="youtube:short"></figure>', ""),
    ('<figure data-embed="dailymotion:x8abcd1"></figure>', ""),
    ('<figure><img src="https://tracker.example/x.gif"><figcaption>Hi</figcaption></figure>', ""),
    (
        '<figure data-image="3" class="x" style="color:red"></figure>',
        '<figure data-image="3"></figure>',
    ),
    (
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe><p>after</p>',
        "<p>after</p>",
    ),
    (
        '<blockquote data-pull-quote="loud" onclick="x()">Hi</blockquote>',
        '<blockquote data-pull-quote="">Hi</blockquote>',
    ),
    (
        '<details open ontoggle="alert(1)"><summary>S</summary><p>x</p></details>',
        "<details><summary>S</summary><p>x</p></details>",
    ),
    ('<div data-embed="youtube:dQw4w9WgXcQ">x</div>', "x"),
    ('<img src="/media/x.jpg" alt="x">', ""),
]


def sanitize(html):
    return Review._meta.get_field("body").sanitize(html)


@pytest.mark.parametrize("html", TOOLBAR_BLOCKS)
def test_what_the_toolbar_makes_survives_the_sanitiser(html):
    assert sanitize(html) == html
    # And saving keeps it too.
    assert make_review(body=html).body == html


@pytest.mark.parametrize("html, kept", FOREIGN)
def test_anything_else_is_dropped(html, kept):
    assert sanitize(html) == kept


def make_picture(**kwargs):
    kwargs.setdefault("alt", "A woman at the edge of a pool")
    kwargs.setdefault("caption", "Stéphanie at the marine park")
    kwargs.setdefault("credit", "Photo: Why Not Productions")
    picture = Picture(**kwargs)
    picture.image.save("still.png", image_file(size=(1600, 900)), save=True)
    return picture


def review_page(client, review):
    return client.get(review.get_absolute_url()).content.decode()


def test_an_in_text_picture_is_drawn_with_every_rendition(client):
    picture = make_picture()
    review = make_review(
        body=f'<p>Before.</p><figure data-image="{picture.pk}" data-layout="column"></figure>'
        "<p>After.</p>"
    )
    html = review_page(client, review)
    figure = re.search(
        r'<figure class="body-picture body-picture-column">.*?</figure>', html, re.S
    )
    assert figure, "the picture is not on the page"
    figure = figure.group(0)
    assert 'type="image/webp"' in figure
    assert re.search(r'srcset="[^"]+\.jpg 1x, [^"]+-2x\.jpg \d(\.\d+)?x"', figure)
    assert 'width="720" height="405"' in figure
    assert 'loading="lazy"' in figure
    assert 'alt="A woman at the edge of a pool"' in figure
    assert "Stéphanie at the marine park" in figure and "Photo: Why Not Productions" in figure
    # Below it, the text goes on; the stored marker itself is gone.
    assert "data-image" not in html


def test_each_layout_has_its_own_size(client):
    picture = make_picture()
    body = "".join(
        f'<figure data-image="{picture.pk}" data-layout="{layout}"></figure>'
        for layout in ("wide", "beside")
    )
    html = review_page(client, make_review(body=body))
    assert 'class="body-picture body-picture-wide"' in html
    assert 'class="body-picture body-picture-beside"' in html
    assert 'width="1280" height="720"' in html
    assert 'width="360" height="203"' in html


def test_a_picture_no_longer_in_the_library_leaves_no_trace(client):
    review = make_review(body='<p>Text.</p><figure data-image="999"></figure>')
    html = review_page(client, review)
    assert "body-picture" not in html and "<p>Text.</p>" in html


def test_pictures_cost_one_query_however_many(client, django_assert_num_queries):
    first, second = make_picture(), make_picture(alt="Another")
    one = make_review(body=f'<figure data-image="{first.pk}"></figure>')
    two = make_review(
        body=f'<figure data-image="{first.pk}"></figure><figure data-image="{second.pk}"></figure>'
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for review in (one, two):
        client.get(review.get_absolute_url())  # renditions made, caches warm
        with CaptureQueriesContext(connection) as queries:
            client.get(review.get_absolute_url() + "?again")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_trailer_is_our_own_play_button_until_pressed(client):
    review = make_review(
        body='<figure data-embed="youtube:dQw4w9WgXcQ" data-title="Official trailer"></figure>'
    )
    response = client.get(review.get_absolute_url())
    html = response.content.decode()
    assert '<button type="button" class="embed-play"' in html
    assert "Official trailer" in html
    assert "<iframe" not in html
    # The player's address is only data for the script; nothing on the page loads
    # from the video sites (no src, srcset or link to them).
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?' in html
    assert not re.search(
        r'\s(src|srcset|href)="https://[^"]*(youtube|ytimg|vimeo)[^"]*"',
        html.replace('href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"', ""),
    )
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in html  # "Watch on YouTube"
    policy = response.headers["Content-Security-Policy"]
    frame_src = re.search(r"frame-src ([^;]+)", policy).group(1).split()
    assert sorted(frame_src) == ["https://player.vimeo.com", "https://www.youtube-nocookie.com"]


def test_a_vimeo_clip_plays_without_tracking(client):
    html = review_page(client, make_review(body='<figure data-embed="vimeo:76979871"></figure>'))
    assert 'data-embed-src="https://player.vimeo.com/video/76979871?dnt=1' in html
    assert "Watch on Vimeo" in html


def test_a_spoiler_is_closed_on_the_page(client):
    review = make_review(body="<details><summary>Spoilers</summary><p>The twist.</p></details>")
    html = review_page(client, review)
    assert "<details><summary>Spoilers</summary><p>The twist.</p></details>" in html


BODY = (
    "<p>Opening.</p>"
    '<figure data-image="{pk}" data-layout="beside"></figure>'
    '<figure data-embed="youtube:dQw4w9WgXcQ" data-title="Trailer"></figure>'
    "<details><summary>Spoilers: the end</summary><p>Everybody dies.</p></details>"
    '<blockquote data-pull-quote="">Big words.</blockquote>'
)


def test_the_feed_carries_links_plain_pictures_and_no_spoilers(client):
    picture = make_picture()
    make_review(body=BODY.format(pk=picture.pk))
    xml = client.get(reverse("feeds:rss")).content.decode()
    assert "Everybody dies" not in xml
    assert "Spoiler: Spoilers: the end" not in xml and "Spoilers: the end" in xml
    assert "read it on the site" in xml
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in xml
    assert "youtube-nocookie" not in xml and "iframe" not in xml and "embed-play" not in xml
    assert '&lt;img src="http://127.0.0.1:8000/media/renditions/column/' in xml  # plain, absolute
    assert "&lt;picture" not in xml and "data-image" not in xml and "details" not in xml
    assert "Big words." in xml


def test_the_digest_opens_with_the_body_and_hides_spoilers(client):
    from subscriptions.digest import _candidate_reviews, _digest_review

    picture = make_picture()
    body = (
        "<details><summary>Spoiler</summary><p>Everybody dies.</p></details>"
        f'<figure data-image="{picture.pk}"></figure><p>First words.</p><p>Second words.</p>'
    )
    review = make_review(body=body)
    opening = _digest_review(_candidate_reviews().get(pk=review.pk)).opening
    assert "Everybody dies" not in opening
    assert "read it on the site" in opening
    assert "<img src=" in opening and 'alt="A woman at the edge of a pool"' in opening
    assert "First words." in opening and "Second words." not in opening


def test_a_picture_in_use_cannot_be_deleted(admin_client):
    picture = make_picture()
    review = make_review(
        headline="The one that uses it", body=f'<figure data-image="{picture.pk}"></figure>'
    )
    with pytest.raises(ProtectedError):
        picture.delete()
    url = reverse("admin:reviews_picture_delete", args=[picture.pk])
    page = admin_client.get(url).content.decode()
    assert "The one that uses it" in page
    response = admin_client.post(url, {"post": "yes"})
    assert Picture.objects.filter(pk=picture.pk).exists()
    assert response.status_code == 200
    # Once no review shows it, it goes.
    review.body = "<p>No picture.</p>"
    review.save()
    admin_client.post(url, {"post": "yes"})
    assert not Picture.objects.filter(pk=picture.pk).exists()


def test_a_picture_with_a_similar_id_does_not_count_as_used():
    picture = make_picture()
    make_review(body=f'<figure data-image="{picture.pk}0"></figure>')
    assert list(picture.reviews_using()) == []
    picture.delete()


def test_the_library_is_searched_by_its_words(admin_client):
    make_picture(alt="An orca behind glass")
    make_picture(alt="A boxing ring", caption="Ali between fights")
    url = reverse("admin:reviews_picture_library")
    found = admin_client.get(url, {"q": "fights"}).json()["pictures"]
    assert [p["alt"] for p in found] == ["A boxing ring"]
    assert found[0]["thumb"].endswith(".jpg")
    everything = admin_client.get(url).json()["pictures"]
    assert len(everything) == 2


def test_an_upload_needs_a_description(admin_client):
    url = reverse("admin:reviews_picture_upload")
    response = admin_client.post(url, {"image": image_file(size=(400, 300)), "alt": ""})
    assert response.status_code == 400
    assert "alt" in response.json()["errors"]
    assert not Picture.objects.exists()
    response = admin_client.post(
        url, {"image": image_file(size=(400, 300)), "alt": "A pier at dusk", "credit": "Me"}
    )
    assert response.status_code == 201
    picture = Picture.objects.get()
    assert response.json()["id"] == picture.pk and picture.credit == "Me"


def test_an_author_may_use_the_library(client):
    from tests.factories import make_writer

    client.force_login(make_writer())
    make_picture()
    assert client.get(reverse("admin:reviews_picture_library")).status_code == 200
    response = client.post(
        reverse("admin:reviews_picture_upload"),
        {"image": image_file(size=(400, 300)), "alt": "A pier"},
    )
    assert response.status_code == 201
