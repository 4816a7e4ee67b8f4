"""The desk's forms and lists: comma tags, credit order, sizes, digest times."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from reviews.models import Credit, Review
from reviews.models.catalogue import Film
from tests.factories import (
    make_comment,
    make_credit,
    make_editor,
    make_film,
    make_person,
    make_review,
)
from tests.reviews.test_admin_permissions import change_form, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_editor(client):
    client.force_login(make_editor())
    return client


class TestTags:
    def test_a_tag_without_a_comma_stays_one_tag(self, as_editor):
        review = make_review(status="draft")
        data = change_form(review, tags="French cinema, prison film")
        assert as_editor.post(url("change", review.pk), data).status_code == 302
        assert sorted(review.tags.names()) == ["French cinema", "prison film"]

    def test_the_field_shows_a_plain_comma_list(self, as_editor):
        review = make_review(status="draft")
        review.tags.add("prison film", "French cinema")
        response = as_editor.get(url("change", review.pk))
        assert 'value="French cinema, prison film"' in response.content.decode()

    def test_existing_tags_are_suggested_as_the_editor_types(self, as_editor):
        make_review(status="draft").tags.add("French cinema", "Film noir", "prison film")
        response = as_editor.get(url("tag_suggestions"), {"q": "fr"})
        assert response.json() == {"tags": ["French cinema"]}
        assert as_editor.get(url("tag_suggestions"), {"q": "f"}).json() == {"tags": []}

    def test_suggestions_are_for_the_desk_only(self, client):
        response = client.get(url("tag_suggestions"), {"q": "fr"})
        assert response.status_code == 302

    def test_the_field_points_at_the_suggestions_and_the_script(self, as_editor):
        review = make_review(status="draft")
        content = as_editor.get(url("change", review.pk)).content.decode()
        assert f'data-suggest-url="{url("tag_suggestions")}"' in content
        assert "js/desk-tags.js" in content


class TestCredits:
    def test_director_writers_crew_then_cast_by_billing(self, as_editor):
        film = make_film(title="Un prophète")
        make_credit(film=film, person=make_person(name="Tahar Rahim"), role="cast", order=1)
        make_credit(film=film, person=make_person(name="Niels Arestrup"), role="cast", order=2)
        make_credit(
            film=film, person=make_person(name="Stéphane Fontaine"), role="cinematographer"
        )
        make_credit(film=film, person=make_person(name="Alexandre Desplat"), role="composer")
        make_credit(film=film, person=make_person(name="Thomas Bidegain"), role="writer")
        make_credit(film=film, person=make_person(name="Jacques Audiard"), role="director")
        response = as_editor.get(reverse("admin:reviews_film_change", args=[film.pk]))
        formset = next(
            f for f in response.context["inline_admin_formsets"] if f.formset.model is Credit
        )
        roles = [form.instance.role for form in formset.formset.initial_forms]
        assert roles[0] == "director"
        assert roles[1] == "writer"
        assert set(roles[2:4]) == {"cinematographer", "composer"}
        names = [form.instance.person.name for form in formset.formset.initial_forms[4:]]
        assert names == ["Tahar Rahim", "Niels Arestrup"]


class TestSizesAndList:
    def test_the_admin_has_a_favicon_and_the_desk_styles(self, as_editor):
        content = as_editor.get(url("changelist")).content.decode()
        assert "img/favicon.svg" in content
        assert "css/desk.css" in content

    def test_the_list_shows_renditions_not_originals(self, as_editor):
        from tests.factories import image_file

        film = make_film()
        film.poster.save("poster.png", image_file(size=(600, 900)))
        make_review(film=film, status="draft")
        content = as_editor.get(url("changelist")).content.decode()
        assert "renditions/thumb/" in content
        assert "posters/poster" not in content


class TestSmallTruths:
    def test_the_genre_help_text_does_not_ask_for_the_parent(self):
        help_text = Film._meta.get_field("genres").help_text
        assert "parent genre too" not in help_text
        assert "sub-genre is enough" in help_text

    def test_the_comment_digest_prints_times_in_the_site_time_zone(self, settings, capsys):
        settings.TIME_ZONE = "Europe/Paris"
        with time_machine.travel(datetime.datetime(2026, 7, 1, 19, 30, tzinfo=datetime.UTC)):
            make_comment(review=make_review(status="published"), status="pending")
        call_command("mail_pending_comments", "--dry-run")
        out = capsys.readouterr().out
        # The site's one date style, in its own time zone (19:30 UTC is 21:30 in Paris).
        assert "1 July 2026" in out
        assert "21:30" in out


def test_the_review_list_still_counts_reviews(as_editor):
    make_review(status="draft")
    assert as_editor.get(url("changelist")).context["cl"].result_count == Review.objects.count()
