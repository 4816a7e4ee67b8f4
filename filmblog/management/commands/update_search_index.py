from django.core.management.base import BaseCommand
from django.db import connection

from filmblog.search import rebuild_documents


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search document of every film and review (PostgreSQL). "
        "Triggers keep them up to date; run this after changing how they are built."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Rows per statement (default 1000)."
        )

    def handle(self, *args, batch_size, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Nothing to do: on SQLite, search reads the tables directly.")
            return
        counts = {
            model._meta.verbose_name_plural: n
            for model, n in rebuild_documents(batch_size).items()
        }
        self.stdout.write(
            "Search documents rebuilt: "
            + ", ".join(f"{n} {name}" for name, n in counts.items())
            + "."
        )
