from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone

from api import keys
from api.models import ApiKey


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "status", "created_at", "last_used_at"]
    list_filter = [StatusFilter, "created_at"]
    search_fields = ["name", "prefix"]
    fields = [
        "name",
        "allowed_origins",
        "rate_limit",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke_keys"]

    @admin.display(description="status")
    def status(self, obj):
        if obj.revoked_at:
            return f"Revoked {timezone.localtime(obj.revoked_at):%d %b %Y}"
        return "Active"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "allowed_origins", "rate_limit"]
        return super().get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            # Kept on the request only: shown once by response_add, never stored.
            request.api_key_shown_once = keys.assign_new_key(obj)
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        key = getattr(request, "api_key_shown_once", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "api_key": obj,
            "key": key,
            "title": f"The key for {obj.name}",
        }
        response = TemplateResponse(request, "admin/api/apikey/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke the selected keys", permissions=["change"])
    def revoke_keys(self, request, queryset):
        revoked = 0
        for api_key in queryset.filter(revoked_at__isnull=True):
            api_key.revoke()
            revoked += 1
        self.message_user(
            request,
            f"{revoked} key{'s' if revoked != 1 else ''} revoked: "
            "requests with them are refused from now on.",
            messages.SUCCESS,
        )
