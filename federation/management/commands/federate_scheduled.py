from django.conf import settings
from django.core.management.base import BaseCommand

from federation import publishing


class Command(BaseCommand):
    help = (
        "Send Create for scheduled reviews whose time has come and Delete for reviews no "
        "longer public that followers still have. A timer runs it every minute "
        "(docs/federation.md)."
    )

    def handle(self, *args, **options):
        if not settings.FEDERATION:
            self.stdout.write("Federation is off (FEDERATION=0): nothing to send.")
            return
        sent = [publishing.sync_review(review_id) for review_id in publishing.due_reviews()]
        sent = [activity for activity in sent if activity]
        self.stdout.write(f"{len(sent)} activit{'y' if len(sent) == 1 else 'ies'} queued.")
