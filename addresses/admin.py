from django.contrib import admin

from addresses import moves
from addresses.forms import RedirectForm
from addresses.models import Redirect


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """
    Every address that moved or went: those the site recorded itself when a
    slug changed or a page was deleted, and any an editor adds by hand.
    """

    form = RedirectForm
    list_display = ["old_path", "leads_to", "reason", "updated_at"]
    search_fields = ["old_path", "new_path", "reason"]
    list_filter = ["updated_at"]
    date_hierarchy = "updated_at"
    fields = ["old_path", "new_path", "reason"]

    @admin.display(description="leads to", ordering="new_path")
    def leads_to(self, obj):
        return obj.new_path or "Gone (410)"

    def save_model(self, request, obj, form, change):
        """Through moves, so that what led to the old address follows it, in one hop."""
        if change and "old_path" in form.changed_data:
            Redirect.objects.filter(pk=obj.pk).delete()
        target = moves.where(obj.new_path) if obj.new_path else None
        if target is not None:
            # The new address itself moved on: lead straight to where it went.
            obj.new_path = target.new_path
        if obj.new_path:
            moves.moved(obj.old_path, obj.new_path, reason=obj.reason)
        else:
            moves.gone(obj.old_path, reason=obj.reason)
        obj.pk = Redirect.objects.get(old_path=obj.old_path).pk
