from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.keys import create_key
from api.models import validate_origins


class Command(BaseCommand):
    help = (
        "Create a read key for the content API and print it. The key is shown only "
        "now: the site keeps a hash of it."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who uses the key, and for what.")
        parser.add_argument(
            "--origin",
            action="append",
            default=[],
            help="A web origin allowed to call the API from a browser with this key "
            "(https://festival.example); repeat for more.",
        )
        parser.add_argument(
            "--rate-limit",
            type=int,
            default=None,
            help="Requests per minute (default: the site's API_RATE_LIMIT).",
        )

    def handle(self, *args, name, origin, rate_limit, **options):
        name = name.strip()
        if not name:
            raise CommandError("Give the key a name: who uses it, and for what.")
        if len(name) > 100:
            raise CommandError("The name is at most 100 characters.")
        if rate_limit is not None and rate_limit < 1:
            raise CommandError("--rate-limit is a number of requests per minute, 1 or more.")
        origins = "\n".join(origin)
        try:
            validate_origins(origins)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        api_key, key = create_key(name, allowed_origins=origins, rate_limit=rate_limit)
        self.stderr.write(f"Created API key {api_key.pk} for {name!r}. Copy it now:")
        self.stdout.write(key)
