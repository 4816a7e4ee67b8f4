"""
What the demo catalogue holds: three films by Jacques Audiard with their
people and credits, an author with a full profile, the reviews with their
critic quotes, and one reader. ``filmblog/demo.py`` loads it.

Facts about the films are facts; every sentence of prose here (synopses,
reviews, critic quotes, the reader's comment) was written for filmblog, and the
quoted critics and publications are invented.
"""

import datetime
from dataclasses import dataclass, field

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
    colour: tuple = (120, 40, 40)  # the poster's and still's key colour
    motif: str = "sea"  # the scene filmblog/demo_art.py draws: "sea", "bars" or "keys"
    tagline: str = ""  # the line under the poster's title


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
        motif="sea",
        tagline="Some people only know how to live through their bodies.",
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
        motif="bars",
        tagline="Six years. Every lesson learnt the hard way.",
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
        motif="keys",
        tagline="Between the scales and the shakedowns.",
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
            '<figure data-image="{picture}" data-layout="wide"></figure>'
            '<blockquote data-pull-quote="">Audiard films the sea, the fights and '
            "the sex with the same blunt attention.</blockquote>"
            "<p>The last act leans harder on coincidence than it needs to, but "
            "Stéphane Fontaine's sun-bleached images and Alexandre Desplat's "
            "restrained score keep the film honest. <strong>Recommended.</strong></p>"
            '<figure data-embed="youtube:{trailer}" data-title="Rust and Bone: trailer">'
            "</figure>"
            "<details><summary>Spoilers: how it ends</summary>"
            "<p>The ice gives way under Sam, and Ali breaks it with his bare hands "
            "to pull his son out. The fists that earned him money in the yards "
            "finally do something that matters, and the film lets him say, for "
            "the first time, that he is afraid.</p></details>"
        ),
        # The body's in-text still: drawn by demo_art.make_body_still, with its
        # focal point on the figure at the right; {picture} becomes its id.
        "body_still": (
            "A figure lit at the water's edge, far right of a wide, banded sea",
            "A still drawn for the filmblog demo; the point of focus is the figure",
            "Illustration for the filmblog demo",
        ),
        # {trailer}: the demo's video id. It stands in for a trailer's address;
        # nothing is fetched from the video site until a reader presses play.
        "trailer": "RustAndBone",
        "rating": "4.0",
        "tags": ["French cinema", "Cannes 2012", "melodrama"],
        "published_at": datetime.datetime(2012, 11, 23, 9, 0, tzinfo=UTC),
        "featured": True,
        # A header image drawn by filmblog/demo_art.py, with its alt text and credit.
        "still": (
            "A low sun over a banded sea, an orca's fin breaking the water",
            "Illustration for the filmblog demo",
        ),
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
        "still": (
            "A shaft of light from a high window falling through a cell's bars on a lone figure",
            "Illustration for the filmblog demo",
        ),
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
        "still": None,  # this review leads with the poster
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
