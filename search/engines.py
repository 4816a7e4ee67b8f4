"""
The engine for the database in use, and search's public functions: what the
rest of the project calls (the search page, the reindex command, code that
writes in bulk).
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from search.base import with_reviews
from search.postgresql import PostgresSearch
from search.sqlite import SqliteSearch

ENGINES = {engine.vendor: engine() for engine in (PostgresSearch, SqliteSearch)}

__all__ = ["engine", "index", "search_results", "with_reviews"]


def engine():
    """The search engine of the default database's vendor."""
    try:
        return ENGINES[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"Search runs on PostgreSQL or SQLite, not {connection.vendor}."
        ) from None


def search_results(q, shortlist=None):
    """See SearchEngine.search_results()."""
    return engine().search_results(q, shortlist)


def index(films=(), reviews=(), people=()):
    """See SearchEngine.index()."""
    engine().index(films=films, reviews=reviews, people=people)
