"""
"Credits waiting for an editor": credits an import could not settle because
the name fits several people on the site. Each row offers its candidates as
one-click choices, and "someone new".
"""

from django.contrib import admin, messages
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.autocomplete import SafeAutocompleteMixin
from people.models import Person
from reviews.models import PendingCredit


@admin.register(PendingCredit)
class PendingCreditAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "credit", "film", "choices", "created_at"]
    list_filter = ["role", "created_at"]
    list_select_related = ["film"]
    search_fields = ["name", "film__title", "character"]
    date_hierarchy = "created_at"
    readonly_fields = ["film", "name", "birth_year", "role", "character", "order", "source"]
    fields = [*readonly_fields, "candidates"]
    autocomplete_fields = ["candidates"]

    def get_queryset(self, request):
        people = Person.objects.annotate(credit_count=Count("credits")).order_by("pk")
        return (
            super().get_queryset(request).prefetch_related(Prefetch("candidates", queryset=people))
        )

    def has_add_permission(self, request):
        return False  # they come from imports

    @admin.display(description="credit", ordering="role")
    def credit(self, obj):
        role = obj.get_role_display()
        return f"{role} ({obj.character})" if obj.character else role

    @admin.display(description="who is it?")
    def choices(self, obj):
        settle = reverse("admin:reviews_pendingcredit_settle", args=[obj.pk])
        return render_to_string(
            "admin/reviews/pendingcredit/_choices.html",
            {"pending": obj, "settle": settle, "candidates": obj.candidates.all()},
        )

    def get_urls(self):
        settle = path(
            "<int:pk>/settle/",
            self.admin_site.admin_view(require_POST(self.settle_view)),
            name="reviews_pendingcredit_settle",
        )
        return [settle, *super().get_urls()]

    def settle_view(self, request, pk):
        """One click: the credit goes to the chosen person (or to someone new)."""
        changelist = reverse("admin:reviews_pendingcredit_changelist")
        if not self.has_change_permission(request):
            self.message_user(request, "Only editors can settle credits.", messages.ERROR)
            return HttpResponseRedirect(changelist)
        pending = PendingCredit.objects.filter(pk=pk).select_related("film").first()
        if pending is None:
            self.message_user(request, "That credit was settled already.", messages.WARNING)
            return HttpResponseRedirect(changelist)
        choice = request.POST.get("person", "")
        if choice == "new":
            person = None
        else:
            allowed = pending.candidates.all()
            person = get_object_or_404(allowed, pk=choice) if choice.isdigit() else None
            if person is None:
                self.message_user(request, "Choose one of the people listed.", messages.ERROR)
                return HttpResponseRedirect(changelist)
        credit = pending.settle(person)
        self.message_user(
            request,
            f"{credit.person} ({'new' if person is None else 'on the site'}) is now credited "
            f"as {credit.get_role_display().lower()} of {credit.film}.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(changelist)
