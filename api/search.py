"""
Film title search for the API: the site's own search engine, called from this
one place. The top floor names the engine (``API_FILM_SEARCH`` in
filmblog/settings.py), since the apps never import it.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def matching_film_ids(q):
    """The ids of the films the site's search finds for ``q``, as a subquery."""
    search_results = import_string(settings.API_FILM_SEARCH)
    return search_results(q)["films"].order_by().values("pk")
