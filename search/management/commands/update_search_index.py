from django.core.management.base import BaseCommand

from search.engines import engine


class Command(BaseCommand):
    help = (
        "Rebuild the search index: every film's and review's full-text document "
        "(PostgreSQL), or the search tables (SQLite). They are kept up to date as rows "
        "are saved; run this after changing how they are built, or after writes in bulk."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Rows per statement (default 1000)."
        )

    def handle(self, *args, batch_size, **options):
        counts = engine().rebuild(batch_size)
        self.stdout.write(
            "Search index rebuilt: " + ", ".join(f"{n} {name}" for name, n in counts.items()) + "."
        )
