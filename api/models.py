"""Read keys for the content API: named, revocable, and stored only as a hash."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


def origins_in(text):
    """The origins ``allowed_origins`` lists, one a line (blank lines left out)."""
    return {line.strip() for line in text.splitlines() if line.strip()}


def validate_origins(value):
    """One origin a line: scheme, host and port, as a browser sends it."""
    for origin in origins_in(value):
        scheme, sep, rest = origin.partition("://")
        if scheme not in ("http", "https") or not sep or not rest or "/" in rest:
            raise ValidationError(
                f"{origin!r} is not an origin: write it as https://example.com "
                "(scheme and host, and a port if it has one, no path)."
            )


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """
    One client of the content API: a site's app, a newsletter tool, a script.
    The key itself is shown once, when it is made; only its SHA-256 is kept,
    with its first characters (``prefix``) so that editors can tell keys apart.
    """

    name = models.CharField(max_length=100, help_text="Who uses the key, and for what.")
    prefix = models.CharField(max_length=16, editable=False, db_index=True)
    hashed_key = models.CharField(max_length=64, unique=True, editable=False)
    allowed_origins = models.TextField(
        blank=True,
        validators=[validate_origins],
        help_text="Web pages on these origins may call the API from a browser with this key, "
        "one a line (https://festival.example). Leave empty for servers and scripts only.",
    )
    rate_limit = models.PositiveIntegerField(
        "requests per minute",
        null=True,
        blank=True,
        help_text="Leave empty for the site's default (API_RATE_LIMIT).",
    )
    created_at = models.DateTimeField("created", auto_now_add=True)
    last_used_at = models.DateTimeField("last used", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("revoked", null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None

    def origins(self):
        return origins_in(self.allowed_origins)

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
