"""The review page: every section of the anatomy in DESIGN.md, in order."""

import datetime
import html as htmllib
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from reviews.body_html import demote_headings
from reviews.models import Credit, Review
from tests.factories import (
    image_file,
    make_author,
    make_credit,
    make_film,
    make_person,
    make_review,
)

pytestmark = pytest.mark.django_db

RUST_AND_BONE = "/reviews/rust-and-bone-two-bruised-bodies-learn-to-lean-on-each-other/"


def text(response):
    """The page's visible text with tags removed and white space collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<head>.*?</head>", " ", html, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def json_ld(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture
def page(client, demo):
    response = client.get(RUST_AND_BONE)
    assert response.status_code == 200
    return response


class TestAnatomyOnTheDemoReview:
    def test_sections_come_in_the_order_of_the_anatomy(self, page):
        body = text(page)
        landmarks = [
            "Rust and Bone: two bruised bodies learn to lean on each other",  # 1 headline
            "By Iris Marchetti",  # 2 byline
            "E-mail",  # 3 share
            "Release date",  # 4 facts
            "Our rating",  # 5 ratings
            "Jacques Audiard turns a story",  # 6 standfirst
            "The Critics Say",  # 7
            "Our View",  # 8
            "Tags",  # 9
            "More by Jacques Audiard",  # 10
            "More about Iris Marchetti",  # 11
            "What did you think?",  # 12
            "Get the latest posts delivered to your mailbox",  # 13
        ]
        positions = [body.find(landmark) for landmark in landmarks]
        assert -1 not in positions, dict(zip(landmarks, positions, strict=True))
        assert positions == sorted(positions)

    def test_headline_film_year_and_aka(self, page):
        html = page.content.decode()
        assert '<h1 class="review-headline">Rust and Bone: two bruised bodies' in html
        body = text(page)
        assert "Rust and Bone (2012) aka De rouille et d'os" in body

    def test_byline_links_to_the_author_and_shows_the_date(self, page):
        html = page.content.decode()
        assert 'href="/authors/iris-marchetti/">Iris Marchetti</a>' in html
        assert "23 November 2012" in text(page)

    def test_share_links_are_plain_links_without_scripts(self, page):
        html = page.content.decode()
        share = re.search(r'<ul class="share".*?</ul>', html, re.S).group(0)
        assert "mailto:?subject=" in share
        assert "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2F" in share
        assert "bsky.app" in share and "x.com" in share
        # Only the site's own scripts: no third-party widgets.
        assert all(
            src.startswith("/static/") for src in re.findall(r'<script src="([^"]+)"', html)
        )

    def test_facts_box(self, page):
        body = text(page)
        facts = body[body.find("Genre") : body.find("Our rating")]
        assert "Drama › Inspirational Drama" in facts
        assert "23 November 2012 (United States – Limited)" in facts
        assert "120 minutes" in facts
        assert "Belgium , France" in facts or "Belgium, France" in facts
        assert "Certification R" in facts
        assert "Director Jacques Audiard" in facts
        assert "Writers Jacques Audiard , Thomas Bidegain" in facts
        assert "Cinematographer Stéphane Fontaine" in facts
        assert "Starring Marion Cotillard , Matthias Schoenaerts , Armand Verdure" in facts

    def test_every_person_in_the_facts_box_links_to_their_page(self, page):
        html = page.content.decode()
        facts = re.search(r'<section class="facts".*?</section>', html, re.S).group(0)
        for slug in (
            "jacques-audiard",
            "thomas-bidegain",
            "stephane-fontaine",
            "marion-cotillard",
        ):
            assert f'href="/people/{slug}/"' in facts
        assert 'href="/genres/inspirational-drama/"' in facts

    def test_editorial_stars_and_reader_ratings_region(self, page):
        html = page.content.decode()
        assert 'aria-label="4 out of 5 stars"' in html
        # The demo's one reader rated it 4.5.
        assert "User Ratings (1)" in text(page)

    def test_critics_say_quotes_critic_and_publication(self, page):
        body = text(page)
        assert "Audiard makes a weepie with its fists up, and it lands every punch." in body
        assert "Hélène Varga , The Projection Booth Quarterly" in body

    def test_our_view_is_the_body_rendered_as_html(self, page):
        html = page.content.decode()
        # The body's own <h2> is a section of "Our View", one level under it.
        assert "<h3>Two performances that refuse to plead</h3>" in html
        assert "<strong>Recommended.</strong>" in html

    def test_synopsis_from_the_film_record_apart_from_standfirst_and_our_view(self, page):
        html = page.content.decode()
        synopsis = re.search(r'<section class="synopsis".*?</section>', html, re.S).group(0)
        assert '<h2 id="synopsis-heading">Synopsis</h2>' in synopsis
        assert "Stéphanie" in htmllib.unescape(synopsis)  # the film's plot
        assert "Jacques Audiard turns a story" not in synopsis  # not the standfirst
        body = text(page)
        assert body.find("Jacques Audiard turns a story") < body.find("Synopsis")
        assert body.find("Synopsis") < body.find("The Critics Say") < body.find("Our View")

    def test_tags_link_to_their_archives(self, page):
        assert 'href="/tags/french-cinema/" rel="tag">French cinema</a>' in page.content.decode()

    def test_more_by_the_director_lists_his_other_reviewed_films_newest_first(self, page):
        body = text(page)
        more_by = body[body.find("More by Jacques Audiard") : body.find("More about")]
        assert "A Prophet (2009)" in more_by
        assert "The Beat That My Heart Skipped (2005)" in more_by
        assert more_by.find("A Prophet") < more_by.find("The Beat That")
        assert "Rust and Bone" not in more_by
        assert "A prison film that plays like a novel" in more_by
        html = page.content.decode()
        assert re.search(
            r'<img src="/media/renditions/thumb/[^"]+" [^>]*alt="Poster for A Prophet"', html
        )

    def test_more_about_the_author(self, page):
        body = text(page)
        box = body[body.find("More about Iris Marchetti") : body.find("What did you think?")]
        assert "Iris has written about films" in box
        assert "Favourite film 2001: A Space Odyssey" in box
        assert "Favourite director Fritz Lang" in box
        assert "Guilty pleasure Hard Target" in box
        assert "All reviews by Iris Marchetti" in box
        assert 'alt="Photo of Iris Marchetti"' in page.content.decode()

    def test_comments_region_shows_the_demo_readers_approved_comment(self, page):
        body = text(page)
        assert "What did you think? (1 comment)" in body
        assert "Nadia" in body and "the orca show" in body

    def test_images_are_renditions_not_originals(self, page):
        html = page.content.decode()
        images = re.findall(r'<img src="([^"]+)"', html)
        assert images
        assert all(src.startswith("/media/renditions/") for src in images)
        assert all(
            re.search(r"<img [^>]*alt=\"[^\"]+\"", tag) for tag in re.findall(r"<img [^>]+>", html)
        )


class TestJsonLd:
    def test_the_review_names_the_movie_director_and_rating(self, page):
        data = json_ld(page)
        assert data["@type"] == "Review"
        assert data["author"] == {
            "@type": "Person",
            "name": "Iris Marchetti",
            "url": "http://127.0.0.1:8000/authors/iris-marchetti/",
        }
        assert data["reviewRating"]["ratingValue"] == "4"
        assert data["reviewRating"]["bestRating"] == "5"
        movie = data["itemReviewed"]
        assert movie["@type"] == "Movie"
        assert movie["name"] == "Rust and Bone"
        assert movie["dateCreated"] == "2012-05-17"
        assert [d["name"] for d in movie["director"]] == ["Jacques Audiard"]
        assert movie["actor"][0]["name"] == "Marion Cotillard"
        assert movie["image"].startswith("http://127.0.0.1:8000/media/renditions/poster/")

    def test_a_title_cannot_break_out_of_the_script(self, client):
        review = make_review(headline="Bad </script><script>alert(1)</script> film")
        data = json_ld(client.get(review.get_absolute_url()))
        assert data["name"] == "Bad </script><script>alert(1)</script> film"


class TestSectionsAbsentWhenEmpty:
    @pytest.fixture
    def bare(self, client):
        review = make_review(film=make_film(title="Lonely Film"), rating=None, standfirst="")
        return client.get(review.get_absolute_url())

    def test_no_critics_tags_or_more_by_without_content(self, bare):
        body = text(bare)
        assert "The Critics Say" not in body
        assert "Tags" not in body.split("Our View")[1]
        assert "More by" not in body
        assert "aka" not in body.split("Our rating")[0]

    def test_an_unrated_review_says_so_instead_of_showing_stars(self, bare):
        assert "Not rated" in text(bare)
        assert "out of 5 stars" not in bare.content.decode()

    def test_a_director_with_no_other_reviewed_film_gets_no_more_by(self, client):
        director = make_person(name="Solo Director")
        film = make_film()
        make_credit(film=film, person=director)
        make_credit(film=make_film(title="Unreviewed"), person=director)
        review = make_review(film=film)
        assert "More by" not in text(client.get(review.get_absolute_url()))

    def test_an_author_without_favourites_shows_no_empty_labels(self, client):
        review = make_review()
        body = text(client.get(review.get_absolute_url()))
        assert f"More about {review.author.display_name}" in body
        assert "Favourite film" not in body


class TestSynopsis:
    def test_paragraphs_of_the_film_record_escaped(self, client):
        film = make_film(synopsis="A <b>bold</b> plan.\n\nIt goes wrong.")
        html = client.get(make_review(film=film).get_absolute_url()).content.decode()
        assert "<p>A &lt;b&gt;bold&lt;/b&gt; plan.</p>\n\n<p>It goes wrong.</p>" in html

    def test_no_synopsis_section_without_one(self, client):
        html = client.get(make_review(film=make_film(synopsis="")).get_absolute_url()).content
        assert b"synopsis-heading" not in html


def headings(response):
    """[(level, text)] of the page's headings, in order."""
    html = response.content.decode()
    return [
        (int(level), " ".join(re.sub(r"<[^>]+>", " ", inner).split()))
        for level, inner in re.findall(r"<h([1-6])\b[^>]*>(.*?)</h\1>", html, re.S)
    ]


class TestHeadings:
    def test_body_headings_sit_under_our_view(self, client):
        review = make_review(body="<h2>Act one</h2><p>Text.</p><h3>A scene</h3><p>More.</p>")
        outline = headings(client.get(review.get_absolute_url()))
        our_view = outline.index((2, "Our View"))
        assert outline[our_view + 1 : our_view + 3] == [(3, "Act one"), (4, "A scene")]
        assert [level for level, _ in outline].count(1) == 1
        # Stored as the editor wrote it: only the page demotes.
        assert Review.objects.get(pk=review.pk).body.startswith("<h2>Act one</h2>")

    def test_the_film_page_does_not_repeat_its_title_as_a_heading(self, client):
        film = make_film(title="Only Once", year=2001)
        make_review(film=film)
        outline = headings(client.get(film.get_absolute_url()))
        assert outline[0] == (1, "Only Once (2001)")
        assert not [h for h in outline[1:] if "Only Once" in h[1]]
        assert (2, "Facts") in outline


def author_box(response):
    html = response.content.decode()
    return re.search(r'<section class="author-box.*?</section>', html, re.S).group(0)


class TestAuthorBox:
    def test_without_a_photo_the_text_takes_the_whole_box(self, client):
        review = make_review(author=make_author(display_name="No Photo", bio="Writes a lot."))
        box = author_box(client.get(review.get_absolute_url()))
        assert box.startswith('<section class="author-box" ')
        assert "<img" not in box

    def test_with_a_photo_a_photo_column(self, client):
        author = make_author(display_name="Has Photo", photo=image_file("me.png", size=(300, 300)))
        box = author_box(client.get(make_review(author=author).get_absolute_url()))
        assert box.startswith('<section class="author-box author-box-photo" ')
        assert 'alt="Photo of Has Photo"' in box

    @pytest.mark.parametrize("bio", ["", "   \n  "])
    def test_without_a_bio_nothing_empty_is_left(self, client, bio):
        author = make_author(display_name="Quiet One", bio=bio)
        box = author_box(client.get(make_review(author=author).get_absolute_url()))
        assert "author-bio" not in box
        assert not re.search(r"<(p|dl|div)[^>]*>\s*</\1>", box)
        assert "All reviews by Quiet One" in box

    def test_a_bio_in_paragraphs(self, client):
        author = make_author(bio="First <i>part</i>.\n\nSecond part.")
        box = author_box(client.get(make_review(author=author).get_absolute_url()))
        assert "<p>First &lt;i&gt;part&lt;/i&gt;.</p>\n\n<p>Second part.</p>" in box

    def test_favourites_link_to_the_catalogue_when_it_has_them(self, client):
        space = make_film(title="2001: A Space Odyssey", year=1968)
        make_film(title="2001: A Space Odyssey", year=2001)  # a later film of that title
        lang = make_person(name="Fritz Lang")
        make_person(name="Fritz Lang", bio="A namesake who only acts.")
        make_credit(film=make_film(title="M", year=1931), person=lang)
        author = make_author(
            favourite_film="2001: A Space Odyssey",
            favourite_director="Fritz Lang",
            guilty_pleasure="Hard Target",
        )
        box = author_box(client.get(make_review(author=author).get_absolute_url()))
        assert (
            f'<a href="{space.get_absolute_url()}"><cite>2001: A Space Odyssey</cite></a>' in box
        )
        assert f'<a href="{lang.get_absolute_url()}">Fritz Lang</a>' in box
        assert "<dd><cite>Hard Target</cite></dd>" in box  # a guilty pleasure is not looked up

    def test_favourites_the_catalogue_lacks_are_plain_text(self, client):
        author = make_author(favourite_film="Rio Bravo", favourite_director="Howard Hawks")
        box = author_box(client.get(make_review(author=author).get_absolute_url()))
        assert "<dd><cite>Rio Bravo</cite></dd>" in box
        assert "<dd>Howard Hawks</dd>" in box

    def test_the_author_page_links_them_too(self, client):
        film = make_film(title="Rio Bravo", year=1959)
        author = make_author(favourite_film="Rio Bravo", favourite_director="Howard Hawks")
        html = client.get(author.get_absolute_url()).content.decode()
        assert f'<a href="{film.get_absolute_url()}"><cite>Rio Bravo</cite></a>' in html
        assert "<dd>Howard Hawks</dd>" in html


class TestMoreBy:
    def test_one_section_per_director(self, client):
        first, second = make_person(name="Ann Codirector"), make_person(name="Bob Codirector")
        film = make_film(title="Shared Film")
        make_credit(film=film, person=first)
        make_credit(film=film, person=second)
        make_review(film=make_credit(person=first, film=make_film(title="Ann Alone")).film)
        make_review(film=make_credit(person=second, film=make_film(title="Bob Alone")).film)
        body = text(client.get(make_review(film=film).get_absolute_url()))
        ann = body[body.find("More by Ann Codirector") :]
        bob = body[body.find("More by Bob Codirector") :]
        assert "Ann Alone" in ann.split("More by Bob")[0]
        assert "Bob Alone" in bob.split("More about")[0]

    def test_unpublished_draft_and_future_reviews_are_left_out(self, client):
        director = make_person()
        film = make_film()
        make_credit(film=film, person=director)
        for title, status, when in [
            ("Drafted Film", "draft", None),
            ("Pulled Film", "unpublished", timezone.now() - datetime.timedelta(days=1)),
            ("Future Film", "scheduled", timezone.now() + datetime.timedelta(days=1)),
        ]:
            other = make_credit(person=director, film=make_film(title=title)).film
            make_review(film=other, status=status, published_at=when)
        body = text(client.get(make_review(film=film).get_absolute_url()))
        assert "More by" not in body

    def test_a_scheduled_review_joins_more_by_when_its_time_comes(self, client, time_machine):
        director = make_person(name="Patient Director")
        film = make_film()
        make_credit(film=film, person=director)
        other = make_credit(person=director, film=make_film(title="Coming Soon")).film
        make_review(
            film=other,
            status="scheduled",
            published_at=timezone.now() + datetime.timedelta(hours=2),
        )
        url = make_review(film=film).get_absolute_url()
        assert "Coming Soon" not in text(client.get(url))
        time_machine.move_to(timezone.now() + datetime.timedelta(hours=3))
        assert "More by Patient Director" in text(client.get(url))
        assert "Coming Soon" in text(client.get(url))

    def test_a_film_reviewed_twice_appears_once_with_its_latest_review(self, client):
        director = make_person()
        film = make_film()
        make_credit(film=film, person=director)
        other = make_credit(person=director, film=make_film(title="Twice Reviewed")).film
        now = timezone.now()
        make_review(
            film=other, standfirst="The old take.", published_at=now - datetime.timedelta(days=9)
        )
        make_review(
            film=other, standfirst="The new take.", published_at=now - datetime.timedelta(days=1)
        )
        body = text(client.get(make_review(film=film).get_absolute_url()))
        assert body.count("Twice Reviewed") == 1
        assert "The new take." in body and "The old take." not in body

    def test_only_directing_credits_count(self, client):
        person = make_person(name="Actor Turned Director")
        film = make_film()
        make_credit(film=film, person=person)
        acted = make_credit(person=person, film=make_film(title="Only Acted"), role="cast").film
        make_review(film=acted)
        assert "More by" not in text(client.get(make_review(film=film).get_absolute_url()))

    def test_acting_in_a_film_someone_else_directed_does_not_count(self, client):
        person = make_person(name="Actor Turned Director")
        film = make_film()
        make_credit(film=film, person=person)
        acted = make_film(title="Directed By Another")
        make_credit(film=acted, person=person, role="cast", character="Lead")
        make_credit(film=acted, person=make_person())
        make_review(film=acted)
        assert "More by" not in text(client.get(make_review(film=film).get_absolute_url()))

    @staticmethod
    def brothers_with_two_films():
        """Joel and Ethan Coen directing two films, the earlier one reviewed."""
        joel, ethan = make_person(name="Joel Coen"), make_person(name="Ethan Coen")
        film, earlier = make_film(title="Second Together"), make_film(title="First Together")
        for person in (joel, ethan):
            make_credit(film=film, person=person)
            make_credit(film=earlier, person=person)
        make_review(film=earlier)
        return joel, ethan, film

    def test_co_directors_with_the_same_films_share_one_section(self, client):
        joel, ethan, film = self.brothers_with_two_films()
        response = client.get(make_review(film=film).get_absolute_url())
        body = text(response)
        assert "More by Joel Coen and Ethan Coen" in body
        assert body.count("More by") == 1
        assert body.count("First Together") == 1
        html = response.content.decode()
        heading = re.search(r'<h2 id="more-by-\d+">More by (.*?)</h2>', html).group(1)
        assert f'href="{joel.get_absolute_url()}"' in heading
        assert f'href="{ethan.get_absolute_url()}"' in heading

    def test_co_directors_with_different_films_get_a_section_each(self, client):
        joel, ethan, film = self.brothers_with_two_films()
        make_review(film=make_credit(person=joel, film=make_film(title="Joel Alone")).film)
        body = text(client.get(make_review(film=film).get_absolute_url()))
        assert "More by Joel Coen and" not in body
        joel_block = body[body.find("More by Joel Coen") : body.find("More by Ethan Coen")]
        ethan_block = body[body.find("More by Ethan Coen") : body.find("More about")]
        assert "Joel Alone" in joel_block and "First Together" in joel_block
        assert "Joel Alone" not in ethan_block and "First Together" in ethan_block

    def test_three_directors_are_named_in_one_heading(self, client):
        people = [make_person(name=name) for name in ("Ann Trio", "Bob Trio", "Cy Trio")]
        film, earlier = make_film(title="Now"), make_film(title="Before")
        for person in people:
            make_credit(film=film, person=person)
            make_credit(film=earlier, person=person)
        make_review(film=earlier)
        body = text(client.get(make_review(film=film).get_absolute_url())).replace(" ,", ",")
        assert "More by Ann Trio, Bob Trio and Cy Trio" in body


class TestVisibility:
    @pytest.mark.parametrize(
        ("status", "offset"),
        [
            ("draft", None),
            ("submitted", None),
            ("unpublished", -1),
            ("scheduled", +1),
            ("published", +1),
        ],
    )
    def test_hidden_reviews_are_not_found(self, client, status, offset):
        when = None if offset is None else timezone.now() + datetime.timedelta(days=offset)
        review = make_review(status=status, published_at=when)
        assert client.get(review.get_absolute_url()).status_code == 404

    def test_a_scheduled_review_appears_when_its_time_comes(self, client, time_machine):
        review = make_review(
            status="scheduled", published_at=timezone.now() + datetime.timedelta(hours=2)
        )
        assert client.get(review.get_absolute_url()).status_code == 404
        time_machine.move_to(timezone.now() + datetime.timedelta(hours=3))
        assert client.get(review.get_absolute_url()).status_code == 200


def test_a_poster_upload_is_shown_as_a_small_rendition(client):
    film = make_film(poster=image_file("huge.png", size=(1200, 1800)))
    review = make_review(film=film, rating=Decimal("2.5"))
    html = client.get(review.get_absolute_url()).content.decode()
    assert "huge.png" not in html.split("</head>")[1]
    assert 'aria-label="2.5 out of 5 stars"' in html
    assert Review.objects.count() == 1 and Credit.objects.count() == 0


def test_a_review_without_comments_says_so(client, review):
    assert "What did you think? (0 comments) No comments yet." in text(
        client.get(review.get_absolute_url())
    )


class TestDemoteHeadings:
    @pytest.mark.parametrize(
        ("body", "shown"),
        [
            ("<h2>A</h2>", "<h3>A</h3>"),
            ("<h3>B</h3><p>x</p>", "<h4>B</h4><p>x</p>"),
            ('<H2 class="x">C</H2>', '<h3 class="x">C</h3>'),
            ("<h6>D</h6>", "<h6>D</h6>"),
            ("<p>&lt;h2&gt; is a tag</p><hr>", "<p>&lt;h2&gt; is a tag</p><hr>"),
            ("", ""),
        ],
    )
    def test_one_level_down_and_nothing_else(self, body, shown):
        assert demote_headings(body) == shown
