"""
Importing films: from a film database (TMDB, Wikidata) in the admin, and from
files with ``manage.py import_films``.

- ``records``: what a source says about a film, in plain dataclasses;
- ``http``, ``tmdb``, ``wikidata``: the sources, behind one interface
  (``sources.Source``);
- ``matching``: people and genres matched to the catalogue's;
- ``loader``: a plan (what would change) and its application, in one
  transaction per film;
- ``files``: CSV, JSON Lines and IMDb's TSV datasets, streamed in batches.
"""
