"""What a source says about a film, before anything touches the catalogue."""

from dataclasses import dataclass, field
from functools import cached_property


@dataclass
class PersonRecord:
    name: str
    tmdb_id: int | None = None
    imdb_id: str = ""
    wikidata_id: str = ""
    birth_year: int | None = None

    @cached_property
    def key(self):
        """
        The person's identity within one import: an id when there is one, else
        the name. Worked out once: a catalogue import asks for it several times
        per credit.
        """
        for value in (self.tmdb_id, self.imdb_id, self.wikidata_id):
            if value:
                return str(value)
        return f"{self.name}|{self.birth_year or ''}"


@dataclass
class CreditRecord:
    person: PersonRecord
    role: str  # one of Credit.Role's values
    character: str = ""
    order: int = 0


@dataclass
class ReleaseRecord:
    country: str  # ISO 3166-1 alpha-2
    date: object  # datetime.date
    kind: str  # one of Release.Kind's values
    note: str = ""


@dataclass
class FilmRecord:
    title: str
    year: int
    original_title: str = ""
    runtime: int | None = None
    synopsis: str = ""
    certification: str = ""
    genres: list = field(default_factory=list)  # names, as the source calls them
    countries: list = field(default_factory=list)  # ISO codes
    releases: list = field(default_factory=list)
    credits: list = field(default_factory=list)
    poster_url: str = ""
    tmdb_id: int | None = None
    imdb_id: str = ""
    wikidata_id: str = ""

    def people(self):
        """Each credited person once, in credit order."""
        seen = {}
        for credit in self.credits:
            seen.setdefault(credit.person.key, credit.person)
        return list(seen.values())


@dataclass
class Candidate:
    """One search result, as the editor chooses between them."""

    source: str
    key: str
    title: str
    year: int | None
    original_title: str = ""
    directors: list = field(default_factory=list)
    poster_url: str = ""
    description: str = ""
