import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from people.models import Person
from reviews.models import Credit, Film, Review
from tests.factories import (
    make_credit,
    make_film,
    make_genre,
    make_person,
    make_quote,
    make_release,
    make_review,
)

pytestmark = pytest.mark.django_db


def refused(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


class TestConstraints:
    def test_a_rating_of_seven_is_refused(self):
        review = make_review()
        review.rating = Decimal("7")
        refused(review.save)

    def test_a_rating_between_halves_is_refused(self):
        review = make_review()
        review.rating = Decimal("2.3")
        refused(review.save)

    @pytest.mark.parametrize("rating", ["0", "0.5", "2.5", "5"])
    def test_half_star_ratings_are_accepted(self, rating):
        review = make_review(rating=Decimal(rating))
        review.refresh_from_db()
        assert review.rating == Decimal(rating)

    def test_a_duplicate_credit_is_refused(self):
        credit = make_credit(role=Credit.Role.DIRECTOR)
        refused(lambda: make_credit(film=credit.film, person=credit.person, role="director"))

    def test_one_person_may_direct_and_write_the_same_film(self):
        credit = make_credit(role=Credit.Role.DIRECTOR)
        make_credit(film=credit.film, person=credit.person, role=Credit.Role.WRITER)
        assert credit.film.credits.filter(person=credit.person).count() == 2

    def test_a_cast_credit_without_a_person_is_refused(self):
        film = make_film()
        refused(lambda: Credit.objects.create(film=film, person=None, role="cast"))

    def test_a_crew_credit_with_a_character_is_refused(self):
        refused(lambda: make_credit(role="composer", character="Somebody"))

    def test_a_published_review_needs_a_publish_time(self):
        refused(
            lambda: (
                make_review(status="draft")
                .__class__.objects.filter(status="draft")
                .update(status="published")
            )
        )

    def test_a_quote_belongs_to_a_review_or_a_film_not_both(self):
        review = make_review()
        refused(lambda: make_quote(review=review, film=review.film))

    def test_an_implausible_year_is_refused(self):
        refused(lambda: make_film(year=1700))


class TestSlugs:
    def test_two_films_sharing_a_title_get_distinct_slugs(self):
        first = make_film(title="Crash", year=1996)
        second = make_film(title="Crash", year=2004)
        assert first.slug == "crash"
        assert second.slug == "crash-2004"

    def test_a_third_clash_numbers_the_most_specific_slug(self):
        """crash-2004-2, not crash-2, which reads as a sequel (core/slugs.py)."""
        make_film(title="Crash", year=2004)
        make_film(title="Crash", year=2004, slug="crash-2004")
        third = make_film(title="Crash", year=2004)
        assert third.slug == "crash-2004-2"

    def test_duplicate_slugs_are_refused_by_the_database(self):
        make_film(title="Crash", year=1996)
        refused(lambda: Film.objects.create(title="Other", year=2000, slug="crash"))

    def test_accented_names_are_folded_in_slugs_and_kept_in_text(self):
        person = make_person(name="Stéphane Fontaine")
        person.refresh_from_db()
        assert person.slug == "stephane-fontaine"
        assert person.name == "Stéphane Fontaine"
        assert str(person) == "Stéphane Fontaine"

    def test_review_slug_comes_from_the_headline(self):
        review = make_review(headline="Rust and Bone: bruised bodies")
        assert review.slug == "rust-and-bone-bruised-bodies"


class TestReviewBody:
    @pytest.mark.parametrize(
        "payload, forbidden",
        [
            ("<p>ok</p><script>alert(1)</script>", "<script"),
            ('<p><img src="x" onerror="alert(1)"></p>', "onerror"),
            ('<p><a href="javascript:alert(1)">click</a></p>', "javascript:"),
            ('<p onclick="alert(1)">x</p>', "onclick"),
            ('<p><a href="JaVaScRiPt:alert(1)">click</a></p>', "avascript"),
            ("<iframe src='https://evil.example'></iframe>", "<iframe"),
        ],
    )
    def test_dangerous_html_never_survives_a_save(self, payload, forbidden):
        review = make_review(body=payload)
        review.refresh_from_db()
        assert forbidden not in review.body.lower()

    def test_editorial_formatting_survives(self):
        html = (
            "<h2>Heading</h2><p><strong>bold</strong> <em>it</em> "
            '<a href="https://example.com/">link</a></p><blockquote><p>q</p></blockquote>'
        )
        review = make_review(body=html)
        review.refresh_from_db()
        for kept in ("<h2>", "<strong>", "<em>", 'href="https://example.com/"', "<blockquote>"):
            assert kept in review.body


class TestPublished:
    def test_only_published_reviews_whose_time_has_come_are_public(self):
        from django.utils import timezone

        visible = make_review(status="published")
        make_review(status="draft")
        make_review(status="submitted")
        make_review(status="unpublished", published_at=timezone.now())
        make_review(status="scheduled", published_at=timezone.now() + timezone.timedelta(days=1))
        assert list(Review.objects.published()) == [visible]


class TestReviewForPage:
    """
    for_page() brings a review's film facts, quotes and tags as prefetch_related()
    keeps them, in a fixed number of queries, and stays an ordinary queryset.
    """

    @pytest.fixture
    def review(self):
        drama = make_genre(name="Drama")
        film = make_film(
            title="Heat",
            countries=["US", "FR"],
            genres=[make_genre(name="Crime"), make_genre(name="Heist", parent=drama)],
        )
        for order, name in [(1, "Val Kilmer"), (0, "Al Pacino")]:
            make_credit(film=film, person=make_person(name=name), role="cast", order=order)
        make_credit(film=film, person=make_person(name="Michael Mann"))
        make_credit(film=film, person=make_person(name="Dante Spinotti"), role="cinematographer")
        make_release(film=film, country_code="FR", date=datetime.date(1996, 2, 21))
        make_release(film=film, date=datetime.date(1995, 12, 15), note="Premiere")
        review = make_review(film=film)
        review.tags.add("crime", "city")
        make_quote(review=review, order=2, critic="Second")
        make_quote(review=review, order=1, critic="First")
        make_quote(film=film, critic="On the film, not this review")
        return review

    def test_the_page_lists_in_order_and_no_further_query(self, review):
        with CaptureQueriesContext(connection) as captured:
            page = Review.objects.for_page().get(pk=review.pk)
            film = page.film
            got = describe(page, film)
            lines = [line[0].name for line in film.genre_lines()]
            directors = [person.name for person in film.directors]
            cast = [credit.person.name for credit in film.top_cast]
        assert len(captured) == 7
        assert got[1] == ["city", "crime"]
        assert [quote[0] for quote in got[2]] == ["First", "Second"]
        assert [release[0] for release in got[5]] == [
            datetime.date(1995, 12, 15),
            datetime.date(1996, 2, 21),
        ]
        assert lines == ["Crime", "Drama"]
        assert directors == ["Michael Mann"]
        assert cast == ["Al Pacino", "Val Kilmer"]

    def test_the_people_are_whole_objects(self, review):
        page = Review.objects.for_page().get(pk=review.pk)
        credits = list(page.film.credits.all())
        with CaptureQueriesContext(connection) as captured:
            seen = [
                (credit.person.created_at, credit.person.birth_year, credit.person.slug)
                for credit in credits
            ]
        assert len(captured) == 0
        stored = Person.objects.get(pk=credits[0].person.pk)
        assert seen[0] == (stored.created_at, stored.birth_year, stored.slug)

    def test_it_stays_an_ordinary_queryset(self, review):
        other = make_review()
        pages = Review.objects.for_page()
        assert set(pages) == {review, other}
        assert list(pages.filter(pk=review.pk)) == [review]
        assert list(pages.exclude(pk=review.pk)) == [other]
        assert list(pages.none()) == []
        assert list(pages.filter(slug=review.slug).exclude(pk=review.pk)) == []
        assert pages.published().filter(status="draft").count() == 0

    def test_a_review_with_nothing_around_it(self):
        review = Review.objects.for_page().get(pk=make_review().pk)
        assert describe(review, review.film)[1:] == ([], [], [], [], [], [])


def describe(review, film):
    """What the review page reads from a review and its film, as plain values."""
    return (
        review.headline,
        sorted(tag.name for tag in review.tags.all()),
        [(q.critic, q.quote, q.publication, q.url) for q in review.critic_quotes.all()],
        [(g.name, g.get_absolute_url(), g.parent and g.parent.name) for g in film.genres.all()],
        [(c.name, c.code, c.get_absolute_url()) for c in film.countries.all()],
        [(r.date, r.get_kind_display(), r.note, r.country.name) for r in film.releases.all()],
        [
            (c.role, c.order, c.character, c.person.name, c.person.get_absolute_url())
            for c in film.credits.all()
        ],
    )


def test_facts_crew_names_each_role_once_in_the_singular_or_plural():
    film = make_film()
    make_credit(film=film, person=make_person(name="Joel Coen"))
    make_credit(film=film, person=make_person(name="Ethan Coen"))
    make_credit(film=film, person=make_person(name="Roger Deakins"), role="cinematographer")
    make_credit(film=film, person=make_person(name="Carter Burwell"), role="composer")
    film = Film.objects.with_facts().get(pk=film.pk)
    assert [(label, [p.name for p in people]) for label, people in film.facts_crew()] == [
        ("Directors", ["Joel Coen", "Ethan Coen"]),
        ("Cinematographer", ["Roger Deakins"]),
    ]


def test_countries_come_from_the_library_with_the_names_readers_always_saw():
    from django_countries import countries

    from reviews.models import Country

    assert Country.objects.count() == len(countries)
    names = dict(Country.objects.values_list("code", "name"))
    assert names["US"] == "United States"
    assert names["RU"] == "Russian Federation"
    assert names["FR"] == "France"
    assert Country.objects.get(code="GB").get_absolute_url() == "/countries/united-kingdom/"


def test_adding_missing_countries_leaves_existing_rows_alone():
    from reviews.models import Country

    Country.objects.filter(code="FR").update(name="France (metropolitan)")
    Country.objects.filter(code="DE").delete()
    created = Country.objects.add_missing()
    assert [country.code for country in created] == ["DE"]
    assert Country.objects.get(code="FR").name == "France (metropolitan)"
