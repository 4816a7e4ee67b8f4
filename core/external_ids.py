"""
Film and person ids in the outside film databases: TMDB, IMDb and Wikidata.

Film and Person carry the same three fields; the import matches records by
them (reviews/importing/), the public pages link out with them and the JSON-LD
lists them as ``sameAs``. Each id is optional and unique when set.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

# What each kind of record is called in the addresses and ids of the databases.
KINDS = {
    "film": {"tmdb": "movie", "imdb": "tt", "imdb_path": "title"},
    "person": {"tmdb": "person", "imdb": "nm", "imdb_path": "name"},
}


def tmdb_id_field():
    return models.PositiveIntegerField(
        "TMDB id",
        null=True,
        blank=True,
        unique=True,
        help_text="The number in themoviedb.org's address.",
    )


def imdb_id_field(kind):
    prefix = KINDS[kind]["imdb"]
    return models.CharField(
        "IMDb id",
        max_length=12,
        blank=True,
        validators=[
            RegexValidator(rf"^{prefix}\d{{7,10}}$", f"An IMDb id looks like {prefix}0116282.")
        ],
        help_text=f"For example {prefix}0116282.",
    )


def wikidata_id_field():
    return models.CharField(
        "Wikidata id",
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^Q\d{1,12}$", "A Wikidata id looks like Q222720.")],
        help_text="For example Q222720.",
    )


def unique_when_set(model_name):
    """Empty ids are many; a set IMDb or Wikidata id names one record."""
    return [
        models.UniqueConstraint(
            fields=[field],
            condition=~Q(**{field: ""}),
            name=f"{model_name}_unique_{field}",
            violation_error_message=f"Another {model_name} already has this {label}.",
        )
        for field, label in (("imdb_id", "IMDb id"), ("wikidata_id", "Wikidata id"))
    ]


def links(record, kind):
    """[(label, address)] of the record's pages in the outside databases, in a fixed order."""
    names = KINDS[kind]
    found = []
    if record.tmdb_id:
        found.append(("TMDB", f"https://www.themoviedb.org/{names['tmdb']}/{record.tmdb_id}"))
    if record.imdb_id:
        found.append(("IMDb", f"https://www.imdb.com/{names['imdb_path']}/{record.imdb_id}/"))
    if record.wikidata_id:
        found.append(("Wikidata", f"https://www.wikidata.org/wiki/{record.wikidata_id}"))
    return found
