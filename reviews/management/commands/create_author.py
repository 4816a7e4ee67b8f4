from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from people.models import AuthorProfile
from reviews.roles import AUTHORS, EDITORS, sync_groups


class Command(BaseCommand):
    help = (
        "Create an author (or, with --editor, an editor) account in one go: a staff "
        "login in the right group, its author profile, and a link to choose a password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="The name shown on the site.")
        parser.add_argument(
            "--username", help="Defaults to the part of the e-mail address before the @."
        )
        parser.add_argument(
            "--editor", action="store_true", help="Put the account in Editors, not Authors."
        )

    @transaction.atomic
    def handle(self, *args, email, name, username=None, editor=False, **options):
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"{email!r} is not an e-mail address.") from exc
        User = get_user_model()
        username = username or email.split("@", 1)[0]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account called {username!r}.")
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"There is already an account with the address {email}.")

        first, _, last = name.partition(" ")
        user = User.objects.create_user(
            username=username, email=email, first_name=first, last_name=last, is_staff=True
        )
        # No password: the person chooses one through the link below.
        user.set_unusable_password()
        user.save(update_fields=["password"])
        editors, authors = sync_groups(Group, Permission)
        user.groups.add(editors if editor else authors)
        profile = AuthorProfile.objects.create(user=user, display_name=name)

        link = settings.SITE_URL + reverse(
            "account:password-reset-confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        role = EDITORS if editor else AUTHORS
        self.stdout.write(
            self.style.SUCCESS(f"Created {username} ({email}) in {role}, signing as {profile}.")
        )
        self.stdout.write(f"Send them this link to choose a password:\n  {link}")
