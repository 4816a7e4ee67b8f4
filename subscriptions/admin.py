import csv

from django.contrib import admin, messages
from django.http import StreamingHttpResponse
from django.utils import timezone

from subscriptions import mail
from subscriptions.models import Subscriber

CSV_COLUMNS = [
    ("email", "E-mail"),
    ("name", "Name"),
    ("state", "State"),
    ("consent_at", "Consent given"),
    ("consent_version", "Consent wording"),
    ("created_at", "Signed up"),
    ("confirmed_at", "Confirmed"),
    ("unsubscribed_at", "Unsubscribed"),
    ("last_mailed_at", "Last digest"),
]


def _csv_cell(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    # A cell starting like a formula would run as one in a spreadsheet.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "state", "created_at", "confirmed_at", "last_mailed_at"]
    list_filter = ["state", "consent_version"]
    search_fields = ["email", "name"]
    date_hierarchy = "created_at"
    actions = ["export_csv", "resend_confirmation"]
    readonly_fields = [
        "email",
        "state",
        "consent_at",
        "consent_version",
        "created_at",
        "confirmation_sent_at",
        "signup_mail_at",
        "confirmed_at",
        "unsubscribed_at",
        "mailed_through",
        "last_mailed_at",
    ]
    fieldsets = [
        (None, {"fields": ["email", "name", "state"]}),
        ("Consent", {"fields": ["consent_at", "consent_version", "created_at"]}),
        (
            "Mailing history",
            {
                "classes": ["collapse"],
                "fields": [
                    "signup_mail_at",
                    "confirmation_sent_at",
                    "confirmed_at",
                    "unsubscribed_at",
                    "mailed_through",
                    "last_mailed_at",
                ],
            },
        ),
    ]

    def has_add_permission(self, request):
        # Subscribers sign up themselves: only they can give consent.
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            function, name, _ = actions["delete_selected"]
            actions["delete_selected"] = (
                function,
                name,
                "Erase selected subscribers and everything kept about them (GDPR)",
            )
        return actions

    @admin.action(description="Export selected subscribers as CSV")
    def export_csv(self, request, queryset):
        writer = csv.writer(_Echo())

        def rows():
            yield writer.writerow([label for _, label in CSV_COLUMNS])
            for subscriber in queryset.order_by("pk").iterator(chunk_size=2000):
                yield writer.writerow(
                    [_csv_cell(getattr(subscriber, field)) for field, _ in CSV_COLUMNS]
                )

        stamp = timezone.now().strftime("%Y-%m-%d")
        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.csv"'
        return response

    @admin.action(description="Resend the confirmation e-mail")
    def resend_confirmation(self, request, queryset):
        pending = queryset.filter(state=Subscriber.State.PENDING)
        sent = 0
        for subscriber in pending:
            mail.send_confirmation(subscriber)
            sent += 1
        skipped = queryset.count() - sent
        self.message_user(request, f"Sent {sent} confirmation e-mail(s).", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"Skipped {skipped} subscriber(s) that are not waiting for confirmation.",
                messages.WARNING,
            )

    # Deleting a subscriber is a GDPR erasure: the address goes, and so does the
    # history that names it. The history line left behind names only the id.

    def log_deletion(self, request, obj, object_repr):
        return None  # erase() writes its own history line, without the address.

    def log_deletions(self, request, queryset):
        return None

    def delete_model(self, request, obj):
        mail.erase(subscriber=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for subscriber in queryset:
            mail.erase(subscriber=subscriber, by=request.user)
