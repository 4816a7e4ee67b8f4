from django.core.management.base import BaseCommand, CommandError

from federation import actors
from federation.admin import rotate_and_announce
from federation.models import LocalActor


class Command(BaseCommand):
    help = (
        "Give fediverse actors new key pairs and tell their followers (an Update of the actor). "
        "Name handles (reviews, an author's slug) or --all."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", help="reviews, or an author's slug")
        parser.add_argument("--all", action="store_true", help="every actor that has keys")

    def handle(self, *args, usernames, all, **options):
        if all:
            chosen = list(LocalActor.objects.select_related("author"))
        elif usernames:
            chosen = []
            for name in usernames:
                actor = actors.by_username(name)
                if actor is None:
                    raise CommandError(f"No actor is called {name!r}.")
                chosen.append(actor)
        else:
            raise CommandError("Name the actors to rotate, or give --all.")
        for actor in chosen:
            rotate_and_announce(actor)
            self.stdout.write(f"New key for {actors.handle(actor)}")
