"""
Once full-text search on PostgreSQL. Search is an app of its own now: its
text search configurations, documents, triggers and indexes are made by
search/migrations/0001_initial.py, and 0018 drops what this migration made on
a database that ran it before the move. Kept, empty, for the migrations that
depend on it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_url_fields_and_rating_choices"),
        ("reviews", "0006_reader_contributions"),
    ]

    operations = []
