from django.core.management.base import BaseCommand

from filmblog.demo import load_demo
from filmblog.demo_content import DEMO_PASSWORD


def _counts(counter):
    return ", ".join(f"{number} {kind}" for kind, number in sorted(counter.items()))


class Command(BaseCommand):
    help = (
        "Load the demo catalogue (three Jacques Audiard films, their credits, an "
        "author and published reviews). Safe to run again: it creates what is "
        "missing and leaves everything that is there as it is."
    )

    def handle(self, *args, **options):
        summary = load_demo()
        if summary["created"]:
            self.stdout.write(self.style.SUCCESS(f"Created: {_counts(summary['created'])}."))
        else:
            self.stdout.write("Demo catalogue already loaded; nothing created.")
        if summary["left"]:
            self.stdout.write(
                f"Left as they were (already there, not overwritten): {_counts(summary['left'])}."
            )
        self.stdout.write(
            f"Admin login: user '{summary['editor']}' (editor) or '{summary['author']}' "
            f"(author), password '{DEMO_PASSWORD}' — unless you changed it since."
        )
