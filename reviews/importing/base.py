"""The interface every film database source implements (see sources.py)."""

from reviews.importing import http


class Source:
    name = ""  # as in addresses and forms: "tmdb"
    label = ""  # as editors read it: "TMDB"
    id_field = ""  # the Film and Person field holding this source's id
    attribution = ""  # what the source's terms ask us to show where its data is used
    attribution_url = ""

    def search(self, title, year=None):
        """A list of records.Candidate, best first."""
        raise NotImplementedError

    def film(self, key):
        """The records.FilmRecord of the film with this key (its id in the source)."""
        raise NotImplementedError

    def complete_person(self, person):
        """Fill the birth year and other ids of a records.PersonRecord, in place."""

    def poster(self, url):
        """The image bytes at ``url``."""
        return http.get(url, source=self.label, binary=True)
