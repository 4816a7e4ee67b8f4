import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.renditions import rendition
from people.models import AuthorLink, AuthorProfile, Person
from reviews.models import Credit, Film
from tests.factories import (
    image_file,
    make_credit,
    make_film,
    make_person,
    make_user,
    make_writer,
)

pytestmark = pytest.mark.django_db

PROFILE_URL = reverse("account:profile")


def links_management(total=1, initial=0):
    return {
        "links-TOTAL_FORMS": str(total),
        "links-INITIAL_FORMS": str(initial),
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
    }


def profile_data(**overrides):
    data = {
        "display_name": "Nora Vale",
        "bio": "I watch westerns at breakfast.",
        "favourite_film": "Rio Bravo",
        "favourite_director": "Howard Hawks",
        "guilty_pleasure": "Road House",
        "links-0-label": "",
        "links-0-url": "",
        "links-0-order": "0",
        **links_management(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def as_writer(client, writer):
    client.force_login(writer)
    return client


def test_anonymous_visitors_are_sent_to_the_styled_login(client):
    response = client.get(PROFILE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:login"))
    login = client.get(response["Location"])
    assert "registration/login.html" in [t.name for t in login.templates]


def test_an_author_logs_in_and_lands_on_their_profile(client, writer):
    response = client.post(
        reverse("account:login"), {"username": writer.username, "password": "pw"}
    )
    assert response["Location"] == PROFILE_URL


def test_a_wrong_password_re_renders_the_login_with_a_message(client, writer):
    response = client.post(
        reverse("account:login"), {"username": writer.username, "password": "nope"}
    )
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_logging_out_works_by_post(as_writer):
    response = as_writer.post(reverse("account:logout"))
    assert response.status_code == 302
    assert as_writer.get(PROFILE_URL).status_code == 302


def test_the_password_reset_email_links_to_the_account_pages(
    client, writer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account:password-reset"), {"email": writer.email})
    assert response["Location"] == reverse("account:password-reset-done")
    assert len(mail.outbox) == 1
    assert "/account/password/reset/" in mail.outbox[0].body


def test_the_film_picker_asks_the_catalogue(as_writer, client):
    make_film(title="Rio Bravo", year=1959)
    make_film(title="Rio Grande", year=1950)
    make_film(title="The Searchers", year=1956)
    content = as_writer.get(PROFILE_URL).content.decode()
    url = reverse("reviews:suggest-films")
    assert f'data-suggest-url="{url}"' in content
    assert "catalogue-suggest.js" in content
    assert client.get(url, {"q": "rio"}).json() == {"results": ["Rio Bravo", "Rio Grande"]}
    assert client.get(url, {"q": "r"}).json() == {"results": []}  # too short to ask


def test_the_director_picker_offers_directors_only(client):
    make_credit(person=make_person(name="Howard Hawks"), film=make_film(title="Rio Bravo"))
    make_credit(person=make_person(name="John Wayne"), role="cast", character="Chance")
    make_credit(person=make_person(name="Howard Koch"), role="writer")
    url = reverse("reviews:suggest-directors")
    assert client.get(url, {"q": "how"}).json() == {"results": ["Howard Hawks"]}
    assert client.get(url, {"q": "wayne"}).json() == {"results": []}


def test_a_picker_answers_a_few_names_in_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    Film.objects.bulk_create(
        Film(title=f"Western {n:03}", slug=f"western-{n:03}", year=1950) for n in range(40)
    )
    with django_assert_num_queries(1):
        results = client.get(reverse("reviews:suggest-films"), {"q": "western"}).json()
    assert results["results"][:2] == ["Western 000", "Western 001"]
    assert len(results["results"]) == 10


def test_hostile_picker_input_gets_an_empty_answer_not_an_error(client):
    for typed in ["", " ", "%" * 500, "' OR 1=1 --"]:
        response = client.get(reverse("reviews:suggest-films"), {"q": typed})
        assert response.status_code == 200
        assert response.json() == {"results": []}


def test_the_account_page_does_not_grow_with_the_catalogue(
    as_writer, django_assert_max_num_queries
):
    make_credit(person=make_person(name="Howard Hawks"), film=make_film(title="Rio Bravo"))
    small = as_writer.get(PROFILE_URL).content
    films = Film.objects.bulk_create(
        Film(title=f"Film number {n:04}", slug=f"film-number-{n:04}", year=2000)
        for n in range(500)
    )
    people = Person.objects.bulk_create(
        Person(name=f"Director {n:04}", slug=f"director-{n:04}") for n in range(500)
    )
    Credit.objects.bulk_create(
        Credit(film=film, person=person, role="director")
        for film, person in zip(films, people, strict=True)
    )
    with django_assert_max_num_queries(12):
        large = as_writer.get(PROFILE_URL).content
    assert len(large) == len(small)
    assert b"Film number" not in large and b"Director 0" not in large


def test_an_author_updates_their_profile_and_their_page_shows_it(as_writer, client, writer):
    data = profile_data(**{"links-0-label": "Newsletter", "links-0-url": "https://example.com/n"})
    response = as_writer.post(PROFILE_URL, data)
    assert response.status_code == 302
    profile = AuthorProfile.objects.get(user=writer)
    assert profile.display_name == "Nora Vale"
    assert profile.favourite_film == "Rio Bravo"
    assert profile.guilty_pleasure == "Road House"
    assert AuthorLink.objects.get(author=profile).label == "Newsletter"
    assert "Nora Vale" in client.get(profile.get_absolute_url()).content.decode()


def test_the_author_cannot_reach_another_profile(as_writer, writer):
    other = make_writer().author_profile
    as_writer.post(PROFILE_URL, profile_data(id=str(other.pk), user=str(other.user_id)))
    other.refresh_from_db()
    assert other.display_name != "Nora Vale"
    assert AuthorProfile.objects.get(user=writer).display_name == "Nora Vale"


def test_a_login_without_an_author_profile_is_refused(client):
    client.force_login(make_user())
    assert client.get(PROFILE_URL).status_code == 403


class TestBadInput:
    def test_an_overlong_bio_is_refused_and_the_text_kept(self, as_writer, writer):
        bio = "So many films. " * 200
        response = as_writer.post(PROFILE_URL, profile_data(bio=bio))
        assert response.status_code == 200
        content = response.content.decode()
        assert "at most 2000 characters" in content
        assert "So many films." in content
        assert 'value="Nora Vale"' in content
        assert AuthorProfile.objects.get(user=writer).bio == ""

    def test_a_non_image_photo_is_refused(self, as_writer):
        fake = SimpleUploadedFile("me.png", b"not an image at all", content_type="image/png")
        response = as_writer.post(PROFILE_URL, profile_data(photo=fake))
        assert response.status_code == 200
        assert "not an image we can use" in response.content.decode()
        assert 'value="Howard Hawks"' in response.content.decode()

    def test_an_oversized_photo_is_refused(self, as_writer, settings):
        settings.MAX_IMAGE_UPLOAD_BYTES = 100
        response = as_writer.post(PROFILE_URL, profile_data(photo=image_file(size=(300, 300))))
        assert response.status_code == 200
        assert "images may be at most" in response.content.decode()

    def test_a_link_that_is_not_a_web_address_is_refused(self, as_writer):
        data = profile_data(**{"links-0-label": "Site", "links-0-url": "javascript:alert(1)"})
        response = as_writer.post(PROFILE_URL, data)
        assert response.status_code == 200
        assert not AuthorLink.objects.exists()

    def test_a_plain_http_link_is_refused_with_the_forms_message(self, as_writer):
        data = profile_data(**{"links-0-label": "Blog", "links-0-url": "http://example.com/blog"})
        response = as_writer.post(PROFILE_URL, data)
        assert response.status_code == 200
        content = response.content.decode()
        assert "https addresses only" in content
        assert 'value="http://example.com/blog"' in content  # kept to correct
        assert not AuthorLink.objects.exists()

    def test_an_address_without_a_scheme_is_saved_as_https(self, as_writer, writer):
        data = profile_data(**{"links-0-label": "Blog", "links-0-url": "example.com/blog"})
        assert as_writer.post(PROFILE_URL, data).status_code == 302
        assert AuthorLink.objects.get().url == "https://example.com/blog"

    def test_the_model_refuses_plain_http_too(self, writer):
        link = AuthorLink(author=writer.author_profile, label="Blog", url="http://example.com")
        with pytest.raises(ValidationError, match="https addresses only"):
            link.full_clean()

    def test_an_empty_name_is_refused(self, as_writer):
        response = as_writer.post(PROFILE_URL, profile_data(display_name=""))
        assert response.status_code == 200
        assert response.context["form"].errors["display_name"]


class TestPhoto:
    def test_the_profile_page_shows_the_new_photo_as_a_square_rendition(
        self, as_writer, writer, media_root
    ):
        as_writer.post(PROFILE_URL, profile_data(photo=image_file(size=(800, 500))))
        profile = AuthorProfile.objects.get(user=writer)
        # Nothing is cropped on save: renditions are made when a page asks.
        assert sorted(p.name for p in media_root.rglob("*") if p.is_file()) == [
            profile.photo.name.rsplit("/", 1)[-1]
        ]
        html = as_writer.get(PROFILE_URL).content.decode()
        src = re.search(r'<img src="([^"]+)" [^>]*alt="Your current photo"', html).group(1)
        assert src == rendition(profile.photo, "portrait").url
        with Image.open(media_root / src.removeprefix(settings.MEDIA_URL)) as image:
            assert image.size == (240, 240)

    def test_replacing_the_photo_removes_the_old_files(self, as_writer, writer, media_root):
        as_writer.post(PROFILE_URL, profile_data(photo=image_file("first.png")))
        first = AuthorProfile.objects.get(user=writer).photo.name
        as_writer.post(PROFILE_URL, profile_data(photo=image_file("second.png")))
        second = AuthorProfile.objects.get(user=writer).photo.name
        assert second != first
        assert not (media_root / first).exists()
        assert (media_root / second).exists()

    def test_clearing_the_photo_removes_it(self, as_writer, writer, media_root):
        as_writer.post(PROFILE_URL, profile_data(photo=image_file("first.png")))
        first = AuthorProfile.objects.get(user=writer).photo.name
        as_writer.post(PROFILE_URL, profile_data(**{"photo-clear": "on"}))
        assert not AuthorProfile.objects.get(user=writer).photo
        assert not (media_root / first).exists()
