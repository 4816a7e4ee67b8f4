import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from markupsafe import escape
from PIL import Image

from filmblog import demo_art
from filmblog.demo_content import FILMS
from people.models import AuthorProfile, Person
from reviews.models import Credit, CriticQuote, Film, Genre, Release, Review

pytestmark = pytest.mark.django_db

MODELS = [Film, Person, Credit, Release, Review, CriticQuote, Genre, AuthorProfile]


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", "updated_at")) for model in MODELS
    }


def test_load_demo_twice_changes_nothing(demo):
    before = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == before
    assert get_user_model().objects.count() == 2


def test_load_demo_prints_the_admin_login(db, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "editor" in out
    assert "filmblog-demo" in out
    assert "Created: " in out and "3 films" in out


def test_load_demo_again_says_what_it_created_and_what_it_left(demo, capsys):
    Review.objects.get(film__slug="a-prophet").delete()
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Created: 1 reviews" in out or "1 reviews" in out.split("Left")[0]
    left = out.split("Left as they were")[1]
    assert "3 films" in left and "2 reviews" in left and "1 author profiles" not in left


def test_load_demo_keeps_what_the_author_changed_at_her_account_page(demo, client, media_root):
    """Bio, photo and favourites edited at /account/ survive a second `make demo`."""
    iris = AuthorProfile.objects.get(slug="iris-marchetti")
    client.force_login(iris.user)
    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), (200, 30, 30)).save(buffer, "JPEG")
    photo = SimpleUploadedFile("iris.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = client.post(
        "/account/",
        {
            "display_name": "Iris M.",
            "bio": "Now writing mostly about Italian westerns.",
            "photo": photo,
            "favourite_film": "Once Upon a Time in the West",
            "favourite_director": "Sergio Leone",
            "guilty_pleasure": "Road House",
            "desk_emails": "on",
            "links-TOTAL_FORMS": "1",
            "links-INITIAL_FORMS": "0",
            "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "1000",
            "links-0-label": "",
            "links-0-url": "",
            "links-0-order": "0",
        },
    )
    assert response.status_code == 302
    iris.refresh_from_db()
    photo_name = iris.photo.name
    assert photo_name.startswith("authors/iris")
    links_before = list(iris.links.values_list("label", "url"))
    files_before = sorted(p.name for p in (media_root / "authors").iterdir())

    call_command("load_demo", stdout=io.StringIO())

    iris.refresh_from_db()
    assert iris.display_name == "Iris M."
    assert iris.bio == "Now writing mostly about Italian westerns."
    assert iris.favourite_film == "Once Upon a Time in the West"
    assert iris.favourite_director == "Sergio Leone"
    assert iris.photo.name == photo_name and iris.photo.storage.exists(photo_name)
    assert list(iris.links.values_list("label", "url")) == links_before
    assert sorted(p.name for p in (media_root / "authors").iterdir()) == files_before


def test_load_demo_leaves_edited_reviews_films_and_moderation_alone(demo):
    review = Review.objects.get(film__slug="rust-and-bone")
    review.headline = "Rust and Bone, revisited"
    review.body = "<p>A shorter, newer text.</p>"
    review.status = Review.Status.UNPUBLISHED
    review.save()
    review.tags.set(["Cotillard"])
    film = review.film
    film.runtime = 122
    film.save()
    film.credits.filter(person__name="Bouli Lanners").delete()
    comment = review.comments.get()
    comment.status = comment.Status.REJECTED
    comment.save()

    call_command("load_demo", stdout=io.StringIO())

    assert Review.objects.filter(film=film).count() == 1
    review.refresh_from_db()
    assert review.headline == "Rust and Bone, revisited"
    assert review.body == "<p>A shorter, newer text.</p>"
    assert review.status == Review.Status.UNPUBLISHED
    assert list(review.tags.names()) == ["Cotillard"]
    film.refresh_from_db()
    assert film.runtime == 122
    assert not film.credits.filter(person__name="Bouli Lanners").exists()
    comment.refresh_from_db()
    assert comment.status == comment.Status.REJECTED


def test_load_demo_draws_a_demo_picture_again_when_its_file_is_gone(demo):
    film = Film.objects.get(slug="rust-and-bone")
    film.poster.storage.delete(film.poster.name)
    call_command("load_demo", stdout=io.StringIO())
    film.refresh_from_db()
    assert film.poster.storage.exists(film.poster.name)


def credits(film, role):
    return list(
        film.credits.filter(role=role).order_by("order").values_list("person__name", flat=True)
    )


def test_rust_and_bone_carries_the_studied_facts(demo):
    film = Film.objects.get(slug="rust-and-bone")
    assert film.title == "Rust and Bone"
    assert film.original_title == "De rouille et d'os"
    assert film.year == 2012
    assert film.runtime == 120
    assert film.certification == "R"
    assert sorted(film.countries.values_list("name", flat=True)) == ["Belgium", "France"]
    assert sorted(str(genre) for genre in film.genres.all()) == [
        "Drama",
        "Drama › Inspirational Drama",
    ]
    assert credits(film, "director") == ["Jacques Audiard"]
    assert "Thomas Bidegain" in credits(film, "writer")
    assert credits(film, "cinematographer") == ["Stéphane Fontaine"]
    cast = list(film.credits.cast().order_by("order").values_list("person__name", "character"))
    assert cast[:4] == [
        ("Marion Cotillard", "Stéphanie"),
        ("Matthias Schoenaerts", "Ali"),
        ("Armand Verdure", "Sam"),
        ("Corinne Masiero", "Anna"),
    ]
    us = film.releases.get(country__code="US")
    assert (us.date, us.kind) == (datetime.date(2012, 11, 23), "limited")
    assert str(us) == "23 November 2012 (United States – Limited)"
    assert film.poster and (film.poster.width, film.poster.height) == (720, 1080)


def test_jacques_audiard_directs_and_co_writes(demo):
    audiard = Person.objects.get(name="Jacques Audiard")
    roles = set(audiard.credits.filter(film__slug="rust-and-bone").values_list("role", flat=True))
    assert roles == {"director", "writer"}


def test_the_other_two_films(demo):
    prophet = Film.objects.get(title="A Prophet")
    assert prophet.year == 2009
    assert ("Tahar Rahim", "Malik El Djebena") in prophet.credits.cast().values_list(
        "person__name", "character"
    )
    beat = Film.objects.get(title="The Beat That My Heart Skipped")
    assert beat.year == 2005
    assert credits(beat, "director") == ["Jacques Audiard"]


def test_the_author_has_a_full_profile(demo):
    author = AuthorProfile.objects.get(slug="iris-marchetti")
    assert author.favourite_film == "2001: A Space Odyssey"
    assert author.favourite_director == "Fritz Lang"
    assert author.guilty_pleasure == "Hard Target"
    assert author.bio and author.photo


def test_published_reviews_with_critic_quotes(demo):
    published = Review.objects.published()
    assert published.count() >= 2
    rust = published.get(film__slug="rust-and-bone")
    assert rust.rating == Decimal("4.0")
    assert rust.critic_quotes.count() >= 1
    assert set(rust.tags.names()) >= {"French cinema"}


def test_accented_names_are_stored_and_slugged(demo):
    person = Person.objects.get(name="Stéphane Fontaine")
    assert person.slug == "stephane-fontaine"
    assert Film.objects.get(original_title="De battre mon cœur s'est arrêté")


def test_the_demo_pictures_are_artwork_not_flat_placeholders(demo):
    film = Film.objects.get(slug="rust-and-bone")
    with Image.open(film.poster) as poster:
        # A flat gradient has a few hundred colours; a composed, grained picture many thousands.
        assert len(poster.getcolors(maxcolors=1 << 20)) > 10_000
    review = Review.objects.get(film=film)
    assert review.hero_image and (review.hero_image.width, review.hero_image.height) == (1920, 960)
    assert "orca" in review.hero_image_alt and review.hero_image_credit
    assert Person.objects.get(name="Jacques Audiard").photo


def test_the_featured_review_leads_with_its_header_image(demo, client):
    review = Review.objects.get(film__slug="rust-and-bone")
    html = client.get(review.get_absolute_url()).content.decode()
    figure = html.index('<figure class="review-hero">')
    assert figure < html.index("<h1")
    assert f'alt="{escape(review.hero_image_alt)}" fetchpriority="high"' in html


def test_the_artwork_is_drawn_without_the_debian_fonts(monkeypatch):
    monkeypatch.setattr(demo_art, "FONTS", {role: ["missing.ttf"] for role in demo_art.FONTS})
    spec = FILMS[0]
    with Image.open(io.BytesIO(demo_art.make_poster(spec))) as poster:
        assert poster.size == demo_art.POSTER_SIZE
    with Image.open(io.BytesIO(demo_art.make_portrait("Tahar Rahim"))) as portrait:
        assert portrait.size == demo_art.PORTRAIT_SIZE
