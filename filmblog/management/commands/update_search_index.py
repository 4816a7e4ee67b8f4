from django.core.management.base import BaseCommand
from django.db import connection

from filmblog.search import rebuild_documents, reindex


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search document of every film and review (PostgreSQL), "
        "or the search tables (SQLite). They are kept up to date as rows are saved; "
        "run this after changing how they are built, or after writes in bulk."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Rows per statement (default 1000)."
        )

    def handle(self, *args, batch_size, **options):
        if connection.vendor != "postgresql":
            reindex(everything=True)
            self.stdout.write("Search tables rebuilt.")
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
