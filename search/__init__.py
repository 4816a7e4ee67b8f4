"""
Search: the films, people and published reviews that match what a reader
typed, on PostgreSQL (full-text search) or SQLite (FTS5). search.base says
what both engines do; search.engines is the public entry.
"""
