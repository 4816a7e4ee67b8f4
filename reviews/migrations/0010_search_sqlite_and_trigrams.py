"""
Once search's SQLite tables and the trigram index on people's names. Search is
an app of its own now: search/migrations/0001_initial.py makes them, and 0018
drops what this migration made on a database that ran it before the move.
Kept, empty, for the migrations that depend on it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_url_fields_and_rating_choices"),
        ("reviews", "0009_external_ids"),
    ]

    operations = []
