from django.core.management.base import BaseCommand

from filmblog.demo import load_demo
from filmblog.demo_content import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load the demo catalogue (three Jacques Audiard films, their credits, an "
        "author and published reviews). Safe to run again: nothing changes."
    )

    def handle(self, *args, **options):
        summary = load_demo()
        if summary["created"]:
            self.stdout.write(self.style.SUCCESS("Demo catalogue loaded."))
        else:
            self.stdout.write("Demo catalogue already loaded; nothing changed.")
        self.stdout.write(
            f"Admin login: user '{summary['editor']}' (editor) or '{summary['author']}' "
            f"(author), password '{DEMO_PASSWORD}' — unless you changed it since."
        )
