"""Credits an import could not settle: namesakes only an editor can tell apart."""

from django.db import models, transaction

from core.models import Timestamped
from people.models import Person
from reviews.models.catalogue import Credit, Film
from reviews.models.choices import CreditRole


class PendingCredit(Timestamped):
    """
    A credit from a catalogue file whose person has no id and several people of
    that name on the site who might be them: kept here, on the desk, until an
    editor says who it is (``settle()``), instead of being dropped.
    """

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="pending_credits")
    name = models.CharField(max_length=200)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    role = models.CharField(max_length=20, choices=CreditRole.choices)
    character = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    candidates = models.ManyToManyField(
        Person, related_name="+", help_text="The people of this name it might be."
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="The file and record it came from."
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "credit waiting for an editor"
        verbose_name_plural = "credits waiting for an editor"
        constraints = [
            models.UniqueConstraint(
                fields=["film", "name", "role", "character"], name="pendingcredit_unique"
            ),
        ]

    def __str__(self):
        role = self.get_role_display()
        if self.character:
            role = f"{role} ({self.character})"
        return f"{self.name}: {role} on {self.film}"

    def get_absolute_url(self):
        return self.film.get_absolute_url()

    @transaction.atomic
    def settle(self, person=None):
        """
        The editor's choice: ``person``, or someone new of this name (and birth
        year) when None. Writes the credit, ends the wait, returns the credit.
        """
        if person is None:
            person = Person.objects.create(name=self.name, birth_year=self.birth_year)
        credit, _ = Credit.objects.get_or_create(
            film=self.film,
            person=person,
            role=self.role,
            character=self.character,
            defaults={"order": self.order},
        )
        self.delete()
        return credit
