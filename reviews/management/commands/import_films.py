"""python manage.py import_films FILE: load films, people and credits from a file."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from reviews.importing import files


class Command(BaseCommand):
    help = (
        "Import films, people and credits from a CSV or JSON Lines file, or from a folder "
        "with IMDb's TSV datasets (title.basics.tsv.gz, title.principals.tsv.gz, "
        "title.crew.tsv.gz, name.basics.tsv.gz). Resumable after a kill, idempotent on a "
        "rerun. The formats: docs/import.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .jsonl file, or a folder of IMDb datasets")
        parser.add_argument(
            "--create-genres",
            action="store_true",
            help="create genres the site does not have (otherwise they are skipped and listed)",
        )
        parser.add_argument(
            "--restart", action="store_true", help="ignore a previous run's progress"
        )
        parser.add_argument("--batch-size", type=int, default=files.BATCH_SIZE)
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress line on stderr"
        )

    def handle(self, *args, file, create_genres, restart, batch_size, no_progress, **options):
        started = time.monotonic()
        tty = sys.stderr.isatty()

        def progress(report):
            if no_progress:
                return
            rate = report.records / max(time.monotonic() - started, 0.001)
            line = (
                f"{report.records:,} records read · {report.films_created:,} films added · "
                f"{report.credits_added:,} credits added · {report.skipped_count:,} skipped · "
                f"{rate:,.0f} records/s"
            )
            self.stderr.write(f"\r{line}" if tty else line, ending="" if tty else "\n")

        try:
            report = files.run(
                file,
                create_genres=create_genres,
                batch_size=batch_size,
                restart=restart,
                progress=progress,
            )
        except (files.FileError, OSError) as error:
            raise CommandError(str(error)) from error
        if tty and not no_progress:
            self.stderr.write("")
        if report.resumed_from:
            self.stdout.write(f"Resumed after record {report.resumed_from:,} of an earlier run.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.films_created:,} films added, {report.films_updated:,} filled in, "
                f"{report.films_unchanged:,} unchanged; {report.people_created:,} people and "
                f"{report.credits_added:,} credits added in {time.monotonic() - started:.1f} s."
            )
        )
        self.stdout.write(
            f"Credits already on the site, left unchanged: {report.credits_unchanged:,}."
        )
        waiting = report.credits_waiting + report.credits_still_waiting
        if waiting:
            self.stdout.write(
                self.style.WARNING(
                    f"Credits waiting for an editor to say who is meant: {waiting:,} "
                    f"({report.credits_waiting:,} new, {report.credits_still_waiting:,} from an "
                    "earlier run), in the admin under “Credits waiting for an editor”."
                )
            )
        if report.skipped_count:
            self.stdout.write(f"Skipped or kept as they were ({report.skipped_count:,}):")
            for skip in report.skipped:
                self.stdout.write(f"  {skip.where}: {skip.reason}")
            if report.skipped_count > len(report.skipped):
                self.stdout.write(f"  … and {report.skipped_count - len(report.skipped):,} more")
