"""
The demo catalogue: three films by Jacques Audiard, their people and credits,
an author with a full profile, and published reviews with critic quotes.

Facts about the films are facts; every sentence of prose here (synopses,
reviews, critic quotes) was written for filmblog, and the quoted critics and
publications are invented. ``load_demo()`` can run any number of times: rows
are found by their natural keys and only written when something differs.
"""

import datetime
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from people.models import AuthorLink, AuthorProfile, Person
from reviews import contributions
from reviews.countries import ensure_countries
from reviews.models import (
    Comment,
    Country,
    Credit,
    CriticQuote,
    Film,
    Genre,
    Rating,
    Release,
    Review,
)
from reviews.roles import sync_groups
from subscriptions import mail
from subscriptions.models import Subscriber

DEMO_PASSWORD = "filmblog-demo"
EDITOR_USERNAME = "editor"
AUTHOR_USERNAME = "iris"

UTC = datetime.UTC

PEOPLE = {
    # name: birth year (None where we do not state one)
    "Jacques Audiard": 1952,
    "Thomas Bidegain": 1968,
    "Stéphane Fontaine": None,
    "Alexandre Desplat": 1961,
    "Juliette Welfling": None,
    "Pascal Caucheteux": None,
    "Marion Cotillard": 1975,
    "Matthias Schoenaerts": 1977,
    "Armand Verdure": None,
    "Corinne Masiero": None,
    "Céline Sallette": None,
    "Bouli Lanners": None,
    "Abdel Raouf Dafri": None,
    "Nicolas Peufaillit": None,
    "Tahar Rahim": 1981,
    "Niels Arestrup": 1949,
    "Adel Bencherif": None,
    "Reda Kateb": None,
    "Tonino Benacquista": None,
    "Romain Duris": 1974,
    "Linh Dan Pham": None,
    "Aure Atika": None,
}


@dataclass
class DemoFilm:
    title: str
    original_title: str
    original_language: str
    year: int
    runtime: int
    certification: str
    countries: list
    genres: list  # "Drama" or ("Drama", "Inspirational Drama")
    synopsis: str
    crew: dict  # role -> [names in order]
    cast: list  # [(name, character)] in billing order
    releases: list = field(default_factory=list)  # [(country code, date, kind, note)]
    colour: tuple = (120, 40, 40)


FILMS = [
    DemoFilm(
        title="Rust and Bone",
        original_title="De rouille et d'os",
        original_language="fr",
        year=2012,
        runtime=120,
        certification="R",
        countries=["FR", "BE"],
        genres=["Drama", ("Drama", "Inspirational Drama")],
        synopsis=(
            "Ali drifts south to Antibes with his small son Sam and sleeps on his "
            "sister's sofa, picking up work as a bouncer and a security guard. One "
            "night he drives home Stéphanie, who trains orcas at a marine park. "
            "When an accident at the park costs her both legs, she calls him, and "
            "an unlikely, unsentimental friendship grows between two people who "
            "only know how to live through their bodies."
        ),
        crew={
            "director": ["Jacques Audiard"],
            "writer": ["Jacques Audiard", "Thomas Bidegain"],
            "cinematographer": ["Stéphane Fontaine"],
            "composer": ["Alexandre Desplat"],
            "editor": ["Juliette Welfling"],
            "producer": ["Pascal Caucheteux"],
        },
        cast=[
            ("Marion Cotillard", "Stéphanie"),
            ("Matthias Schoenaerts", "Ali"),
            ("Armand Verdure", "Sam"),
            ("Corinne Masiero", "Anna"),
            ("Céline Sallette", "Louise"),
            ("Bouli Lanners", "Martial"),
        ],
        releases=[
            ("FR", datetime.date(2012, 5, 17), "festival", "Cannes Film Festival"),
            ("FR", datetime.date(2012, 5, 17), "wide", ""),
            ("US", datetime.date(2012, 11, 23), "limited", ""),
        ],
        colour=(22, 78, 99),
    ),
    DemoFilm(
        title="A Prophet",
        original_title="Un prophète",
        original_language="fr",
        year=2009,
        runtime=155,
        certification="R",
        countries=["FR"],
        genres=["Crime", "Drama"],
        synopsis=(
            "Malik El Djebena arrives in a French prison at nineteen, unable to "
            "read and with nobody on the outside. The Corsican gang that runs the "
            "yard gives him a choice that is no choice at all, and over six years "
            "he learns, listens and trades his way from errand boy to a power of "
            "his own."
        ),
        crew={
            "director": ["Jacques Audiard"],
            "writer": [
                "Jacques Audiard",
                "Thomas Bidegain",
                "Abdel Raouf Dafri",
                "Nicolas Peufaillit",
            ],
            "cinematographer": ["Stéphane Fontaine"],
            "composer": ["Alexandre Desplat"],
            "editor": ["Juliette Welfling"],
        },
        cast=[
            ("Tahar Rahim", "Malik El Djebena"),
            ("Niels Arestrup", "César Luciani"),
            ("Adel Bencherif", "Ryad"),
            ("Reda Kateb", "Jordi"),
        ],
        releases=[
            ("FR", datetime.date(2009, 5, 16), "festival", "Cannes Film Festival"),
            ("FR", datetime.date(2009, 8, 26), "wide", ""),
            ("US", datetime.date(2010, 2, 26), "limited", ""),
        ],
        colour=(64, 52, 24),
    ),
    DemoFilm(
        title="The Beat That My Heart Skipped",
        original_title="De battre mon cœur s'est arrêté",
        original_language="fr",
        year=2005,
        runtime=108,
        certification="NR",
        countries=["FR"],
        genres=["Crime", "Drama"],
        synopsis=(
            "Tom makes his living in the grubby end of Paris property, clearing "
            "squats with his fists for his father's friends. A chance meeting with "
            "his late mother's concert agent reminds him that he once played the "
            "piano, and he starts lessons with a young pianist who speaks no "
            "French, trying to hold two lives in two hands."
        ),
        crew={
            "director": ["Jacques Audiard"],
            "writer": ["Jacques Audiard", "Tonino Benacquista"],
            "cinematographer": ["Stéphane Fontaine"],
            "composer": ["Alexandre Desplat"],
            "editor": ["Juliette Welfling"],
        },
        cast=[
            ("Romain Duris", "Thomas Seyr"),
            ("Niels Arestrup", "Robert Seyr"),
            ("Linh Dan Pham", "Miao Lin"),
            ("Aure Atika", "Aline"),
        ],
        releases=[("FR", datetime.date(2005, 3, 16), "wide", "")],
        colour=(90, 30, 70),
    ),
]

AUTHOR = {
    "display_name": "Iris Marchetti",
    "bio": (
        "Iris has written about films since she ran her school's cine-club from a "
        "borrowed projector. She is drawn to European crime stories, to directors "
        "who trust their actors' faces, and to any film that makes a small town "
        "feel like the centre of the world."
    ),
    "favourite_film": "2001: A Space Odyssey",
    "favourite_director": "Fritz Lang",
    "guilty_pleasure": "Hard Target",
    "links": [("Letterboxd diary", "https://example.com/iris/diary")],
}

REVIEWS = [
    {
        "film": "Rust and Bone",
        "headline": "Rust and Bone: two bruised bodies learn to lean on each other",
        "standfirst": (
            "Jacques Audiard turns a story that could have been a tearjerker into "
            "something tougher and stranger, carried by Marion Cotillard and a "
            "ferocious Matthias Schoenaerts."
        ),
        "body": (
            "<p>On paper this is a melodrama: a whale trainer loses her legs, a "
            "drifter with a fighter's fists becomes her unlikely companion, and "
            "both are changed. Audiard is not interested in the paper version. "
            "He films the sea, the fights and the sex with the same blunt "
            "attention, and lets the sentiment arrive late, when it has been "
            "earned.</p>"
            "<h2>Two performances that refuse to plead</h2>"
            "<p>Cotillard plays Stéphanie without a trace of self-pity; the scene "
            "in which she conducts an orca from behind the glass, arms raised, is "
            "the film's quiet summit. Schoenaerts makes Ali selfish, careless and "
            "oddly generous all at once, a man who only understands the world "
            "through what his body can do to it.</p>"
            "<p>The last act leans harder on coincidence than it needs to, but "
            "Stéphane Fontaine's sun-bleached images and Alexandre Desplat's "
            "restrained score keep the film honest. <strong>Recommended.</strong></p>"
        ),
        "rating": "4.0",
        "tags": ["French cinema", "Cannes 2012", "melodrama"],
        "published_at": datetime.datetime(2012, 11, 23, 9, 0, tzinfo=UTC),
        "featured": True,
        "quotes": [
            (
                "Audiard makes a weepie with its fists up, and it lands every punch.",
                "Hélène Varga",
                "The Projection Booth Quarterly",
            ),
            (
                "Cotillard has rarely been better than in the moments when she "
                "says nothing at all.",
                "Martin Oyelaran",
                "Northern Screen Review",
            ),
        ],
    },
    {
        "film": "A Prophet",
        "headline": "A Prophet: an education behind bars",
        "standfirst": (
            "A prison film that plays like a novel of apprenticeship, with Tahar "
            "Rahim's Malik learning every lesson the hard way."
        ),
        "body": (
            "<p>Audiard's prison is a school with no teachers, only examiners. "
            "Malik arrives knowing nothing and owning nothing, and the film's "
            "great pleasure is watching him listen: to the Corsicans, to the "
            "guards, to the languages he was never meant to understand.</p>"
            "<p>Tahar Rahim, in his first leading role, gives a performance of "
            "remarkable patience. Niels Arestrup's César is the opposite, a man "
            "whose power is visibly draining away, and the shifting balance "
            "between them is the spine of the film.</p>"
            "<blockquote>Nothing here is glamorous, and nothing is simple.</blockquote>"
            "<p>At two and a half hours it never drags. It is the best film "
            "Audiard had made up to then, and one of the best crime films of "
            "its decade.</p>"
        ),
        "rating": "4.5",
        "tags": ["French cinema", "prison films", "crime"],
        "published_at": datetime.datetime(2010, 2, 26, 9, 0, tzinfo=UTC),
        "featured": False,
        "quotes": [
            (
                "A crime epic built from small gestures, and all the more gripping for it.",
                "Odile Brenner",
                "Cinéphile Weekly",
            ),
        ],
    },
    {
        "film": "The Beat That My Heart Skipped",
        "headline": "The Beat That My Heart Skipped: scales and shakedowns",
        "standfirst": (
            "Romain Duris plays a thug who wants to be a pianist, in Audiard's "
            "nervy remake of an American cult film."
        ),
        "body": (
            "<p>Tom's hands do two jobs in this film, and Audiard keeps cutting "
            "between them until they start to look alike. The piano lessons, "
            "held without a shared language, are some of the most tender scenes "
            "he has shot.</p>"
            "<p>Duris is all twitch and appetite, and Niels Arestrup, as the "
            "father who drags him back to the old life, is magnificent.</p>"
        ),
        "rating": "4.0",
        "tags": ["French cinema", "crime"],
        "published_at": datetime.datetime(2012, 11, 20, 9, 0, tzinfo=UTC),
        "featured": False,
        "quotes": [
            (
                "Taut, jittery and unexpectedly moving.",
                "Samir Castellane",
                "The Late Show Review",
            ),
        ],
    },
]


# A reader of the demo site, invented for it.
DEMO_READER = {
    "name": "Nadia",
    "email": "nadia@example.com",
    "reader_id": "d" * 32,
    "rating": "4.5",
    "comment": (
        "I went in expecting a tearjerker and came out thinking about the orca show "
        "for days. The quiet scenes with Sam did more than any of the big ones."
    ),
}


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # very old Pillow
        return ImageFont.load_default()


def _wrap(text, width):
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines


def make_poster(title, year, colour):
    """A 600×900 poster: a dark gradient in the film's colour with its title."""
    image = Image.new("RGB", (600, 900), colour)
    draw = ImageDraw.Draw(image)
    for y in range(900):
        shade = tuple(int(c * (1 - y / 1200)) for c in colour)
        draw.line([(0, y), (600, y)], fill=shade)
    font = _font(54)
    y = 520
    for line in _wrap(title.upper(), 16):
        draw.text((40, y), line, font=font, fill=(245, 240, 230))
        y += 64
    draw.text((40, y + 20), str(year), font=_font(36), fill=(220, 200, 160))
    return _png(image)


def make_portrait(name):
    """A 400×400 portrait placeholder: the person's initials on a tinted disc."""
    digest = hashlib.sha1(name.encode()).digest()
    colour = (60 + digest[0] % 140, 60 + digest[1] % 140, 60 + digest[2] % 140)
    image = Image.new("RGB", (400, 400), (240, 236, 228))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 380, 380), fill=colour)
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    font = _font(150)
    box = draw.textbbox((0, 0), initials, font=font)
    draw.text(
        ((400 - (box[2] - box[0])) / 2 - box[0], (400 - (box[3] - box[1])) / 2 - box[1]),
        initials,
        font=font,
        fill=(255, 255, 255),
    )
    return _png(image)


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _upsert(model, lookup, values):
    """Get or create a row by ``lookup``; save only the fields that differ."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
    return obj, False


def _ensure_image(obj, field_name, filename, make):
    image_field = getattr(obj, field_name)
    if image_field and image_field.storage.exists(image_field.name):
        return
    image_field.save(filename, ContentFile(make()), save=True)


def _ensure_user(username, *, email, superuser):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(username=username, email=email, password=DEMO_PASSWORD)
        if not superuser:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return user


def _genre(spec):
    if isinstance(spec, tuple):
        parent, name = spec
        parent_genre, _ = _upsert(Genre, {"name": parent, "parent": None}, {})
        genre, _ = _upsert(Genre, {"name": name, "parent": parent_genre}, {})
        return genre
    genre, _ = _upsert(Genre, {"name": spec, "parent": None}, {})
    return genre


def _reader_contributions(review):
    """
    One of each thing readers leave, so the moderation list, the reader rating
    and the subscribers' list have something to show: an approved comment, a
    rating from a reader's cookie id, and a confirmed subscriber.
    """
    created = 0
    comment, was_created = _upsert(
        Comment,
        {"review": review, "email": DEMO_READER["email"]},
        {"name": DEMO_READER["name"], "text": DEMO_READER["comment"]},
    )
    created += was_created
    if comment.status != Comment.Status.APPROVED:
        contributions.moderate(
            Comment.objects.filter(pk=comment.pk), status=Comment.Status.APPROVED, by=None
        )
    reader = contributions.Reader(reader_id=DEMO_READER["reader_id"])
    if not Rating.objects.filter(review=review, **reader.lookup()).exists():
        contributions.rate(review, reader=reader, value=Decimal(DEMO_READER["rating"]))
        created += 1
    if not Subscriber.objects.filter(email=DEMO_READER["email"]).exists():
        subscriber = Subscriber.objects.create(
            email=DEMO_READER["email"],
            name=DEMO_READER["name"],
            consent_at=timezone.now(),
            consent_version=mail.CONSENT_VERSION,
        )
        mail.confirm(subscriber=subscriber)
        created += 1
    return created


@transaction.atomic
def load_demo():
    """Load (or refresh) the demo catalogue. Returns a summary dict."""
    created = 0
    ensure_countries(Country)  # they come with migrate, but not back after a flush

    editor = _ensure_user(EDITOR_USERNAME, email="editor@example.com", superuser=True)
    _upsert(AuthorProfile, {"user": editor}, {"display_name": "The Editors"})
    author_user = _ensure_user(AUTHOR_USERNAME, email="iris@example.com", superuser=False)
    # The groups come with migrate; sync again for a database that was flushed.
    editors, authors = sync_groups(Group, Permission)
    editor.groups.add(editors)
    author_user.groups.add(authors)
    profile_values = {k: v for k, v in AUTHOR.items() if k != "links"}
    author, was_created = _upsert(AuthorProfile, {"user": author_user}, profile_values)
    created += was_created
    for order, (label, url) in enumerate(AUTHOR["links"]):
        _upsert(AuthorLink, {"author": author, "url": url}, {"label": label, "order": order})
    _ensure_image(author, "photo", "iris-marchetti.png", lambda: make_portrait("Iris Marchetti"))

    people = {}
    for name, birth_year in PEOPLE.items():
        person, was_created = _upsert(Person, {"name": name}, {"birth_year": birth_year})
        created += was_created
        people[name] = person
    for name in ("Jacques Audiard", "Marion Cotillard", "Tahar Rahim"):
        _ensure_image(
            people[name], "photo", f"{people[name].slug}.png", lambda n=name: make_portrait(n)
        )

    films = {}
    for spec in FILMS:
        film, was_created = _upsert(
            Film,
            {"title": spec.title, "year": spec.year},
            {
                "original_title": spec.original_title,
                "original_language": spec.original_language,
                "runtime": spec.runtime,
                "certification": spec.certification,
                "synopsis": spec.synopsis,
            },
        )
        created += was_created
        films[spec.title] = film
        film.countries.set(Country.objects.filter(code__in=spec.countries))
        film.genres.set([_genre(g) for g in spec.genres])
        _ensure_image(
            film,
            "poster",
            f"{film.slug}.png",
            lambda s=spec: make_poster(s.title, s.year, s.colour),
        )
        for role, names in spec.crew.items():
            for order, name in enumerate(names):
                _upsert(
                    Credit,
                    {"film": film, "person": people[name], "role": role, "character": ""},
                    {"order": order},
                )
        for order, (name, character) in enumerate(spec.cast):
            _upsert(
                Credit,
                {"film": film, "person": people[name], "role": "cast", "character": character},
                {"order": order},
            )
        for code, date, kind, note in spec.releases:
            _upsert(
                Release,
                {
                    "film": film,
                    "country": Country.objects.get(code=code),
                    "date": date,
                    "kind": kind,
                },
                {"note": note},
            )

    for spec in REVIEWS:
        film = films[spec["film"]]
        review, was_created = _upsert(
            Review,
            {"film": film, "author": author, "headline": spec["headline"]},
            {
                "standfirst": spec["standfirst"],
                "body": spec["body"],
                "rating": Decimal(spec["rating"]),
                "status": Review.Status.PUBLISHED,
                "published_at": spec["published_at"],
                "featured": spec["featured"],
            },
        )
        created += was_created
        if sorted(review.tags.names()) != sorted(spec["tags"]):
            review.tags.set(spec["tags"])
        for order, (quote, critic, publication) in enumerate(spec["quotes"]):
            _upsert(
                CriticQuote,
                {"review": review, "critic": critic},
                {"quote": quote, "publication": publication, "order": order},
            )

    created += _reader_contributions(Review.objects.get(headline=REVIEWS[0]["headline"]))
    return {
        "created": created,
        "films": len(films),
        "reviews": len(REVIEWS),
        "editor": EDITOR_USERNAME,
        "author": AUTHOR_USERNAME,
    }
