"""Film title search for the API: the site's own search engine, called from this one place."""

from search.engines import search_results


def matching_film_ids(q):
    """The ids of the films the site's search finds for ``q``, as a subquery."""
    return search_results(q)["films"].order_by().values("pk")
