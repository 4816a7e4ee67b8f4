"""
``python manage.py send_digest``: mail each confirmed subscriber the reviews
published since they were last mailed; nothing new for someone, no mail.

Run it from cron or any scheduler, as often as you like (hourly suits most
blogs). It can be killed at any point and run again, and two runs may overlap:

- Each subscriber is handled in their own transaction: lock the row, send the
  mail, move the subscriber's watermark (the publish time of the newest review
  sent), commit. A killed run loses only the subscriber it was holding, whose
  row the database unlocks and rolls back; the next run mails them.
- Overlapping runs skip rows another run holds (PostgreSQL's SKIP LOCKED), so
  they share the list and never mail one subscriber twice. On SQLite a lock
  file lets one run work at a time; the other stops with an error.

Delivery is at-least-once, on purpose. If the process dies after the mail
server accepted a subscriber's mail but before that subscriber's commit, the
watermark rolls back and the next run sends that one subscriber the same
reviews again: at most one duplicate, for one subscriber, per crash. Committing
before sending would instead lose that subscriber's reviews silently. See
subscriptions/digest.py for the details.
"""

from django.core.management.base import BaseCommand, CommandError

from subscriptions import digest


class Command(BaseCommand):
    help = (
        "Mail each confirmed subscriber the reviews published since they were last mailed. "
        "Safe to stop at any point and run again, and to run twice at once: see "
        "subscriptions/digest.py for how, and for the one crash window that can repeat a mail."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help="Subscribers per batch, each batch using one mail-server connection.",
        )

    def handle(self, *args, batch_size=None, verbosity=1, **options):
        if batch_size is not None and batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        total = digest.pending_count()
        interactive = hasattr(self.stdout, "isatty") and self.stdout.isatty()
        if verbosity:
            self.stdout.write(f"{total} subscriber(s) have reviews waiting.")

        def progress(result):
            if not verbosity:
                return
            line = (
                f"batch {result.batches}: {result.checked}/{total} checked, {result.mailed} mailed"
            )
            if interactive:
                self.stdout.write(f"\r{line}", ending="")
                self.stdout.flush()
            else:
                self.stdout.write(line)

        try:
            result = digest.send_digest(batch_size=batch_size, on_batch=progress)
        except digest.DigestAlreadyRunning as exc:
            raise CommandError(
                "Another send_digest is running on this database; try again when it ends."
            ) from exc
        if verbosity:
            if interactive and result.batches:
                self.stdout.write("")
            rate = result.mailed / result.seconds if result.seconds else 0
            self.stdout.write(
                self.style.SUCCESS(
                    f"Digest done: {result.mailed} mail(s) sent covering {result.reviews} "
                    f"review(s); {result.skipped} subscriber(s) skipped (up to date or taken "
                    f"by another run); {len(result.failed)} refused by the mail server; "
                    f"{result.seconds:.1f}s ({rate:.0f} mails/s)."
                )
            )
        if result.failed:
            raise CommandError(
                f"The mail server refused {len(result.failed)} address(es); "
                "they keep their reviews waiting. The task worker tries a temporary "
                "refusal (4xx) again after a delay, and the next run tries them all."
            )
