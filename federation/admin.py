"""The fediverse on the desk: our actors and their followers, blocks, and what went out."""

from django.contrib import admin, messages
from django.db.models import Count

from federation import actors, delivery, documents, following
from federation.models import (
    Activity,
    BlockedDomain,
    Delivery,
    Follower,
    LocalActor,
    Reaction,
    RemoteActor,
)


@admin.register(LocalActor)
class LocalActorAdmin(admin.ModelAdmin):
    list_display = ["handle", "kind", "follower_count", "key_created_at"]
    list_filter = ["kind"]
    readonly_fields = [
        "kind",
        "author",
        "handle",
        "follower_count",
        "key_created_at",
        "public_key_pem",
    ]
    fields = readonly_fields
    actions = ["rotate_keys"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("author")
            .annotate(follower_total=Count("followers"))
        )

    def has_add_permission(self, request):
        return False  # made when first asked for

    @admin.display(description="handle")
    def handle(self, obj):
        return actors.handle(obj)

    @admin.display(description="followers", ordering="follower_total")
    def follower_count(self, obj):
        return obj.follower_total

    @admin.action(description="Rotate the keys of the selected actors")
    def rotate_keys(self, request, queryset):
        for actor in queryset:
            rotate_and_announce(actor)
        self.message_user(
            request, f"New keys for {queryset.count()} actor(s); followers are told."
        )


def rotate_and_announce(actor):
    """A new key pair, and an ``Update`` of the actor to its followers so they fetch it."""
    actors.rotate_key(actor)
    delivery.queue(
        actor=actor,
        kind="Update",
        object=documents.actor_document(actor),
        change_key=f"actor:{actor.pk}:key:{actor.key_created_at.isoformat()}",
        audience=[actor],
        to=[documents.AS_PUBLIC],
        cc=[actors.actor_id(actor, "followers")],
    )


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_display = ["remote", "remote_name", "actor", "created_at"]
    list_filter = ["actor"]
    list_select_related = ["remote", "actor__author"]
    search_fields = ["remote__username", "remote__domain", "remote__name"]
    readonly_fields = ["actor", "remote", "follow_id", "created_at"]
    fields = readonly_fields
    actions = ["remove", "block_domains"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # "Remove" tells their server; a plain delete would not

    @admin.display(description="name")
    def remote_name(self, obj):
        return obj.remote.name

    @admin.action(description="Remove the selected followers", permissions=["view"])
    def remove(self, request, queryset):
        count = following.remove_followers(queryset)
        self.message_user(request, f"{count} follower(s) removed; their servers are told.")

    @admin.action(description="Block the servers of the selected followers", permissions=["view"])
    def block_domains(self, request, queryset):
        domains = sorted(set(queryset.values_list("remote__domain", flat=True)))
        removed = sum(following.block_domain(domain)[1] for domain in domains)
        self.message_user(
            request,
            f"Blocked {', '.join(domains)}; {removed} follower(s) removed.",
            messages.WARNING,
        )


@admin.register(BlockedDomain)
class BlockedDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "note", "created_at"]
    search_fields = ["domain", "note"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        count, _ = following.followers_on(obj.domain).delete()
        if count:
            self.message_user(request, f"{count} follower(s) on {obj.domain} removed.")


@admin.register(RemoteActor)
class RemoteActorAdmin(admin.ModelAdmin):
    list_display = ["handle", "name", "domain", "fetched_at"]
    search_fields = ["username", "domain", "name"]
    list_filter = ["domain"]
    readonly_fields = [f.name for f in RemoteActor._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["inbox", "status", "attempts", "last_error", "delivered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["kind", "change_key", "actor", "delivered", "waiting", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["actor__author"]
    search_fields = ["change_key"]
    readonly_fields = ["kind", "actor", "change_key", "review_id", "payload", "created_at"]
    fields = readonly_fields
    inlines = [DeliveryInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                delivered_total=Count("deliveries", filter=_status(Delivery.Status.DELIVERED)),
                waiting_total=Count("deliveries", filter=_status(Delivery.Status.PENDING)),
            )
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="delivered", ordering="delivered_total")
    def delivered(self, obj):
        return obj.delivered_total

    @admin.display(description="waiting", ordering="waiting_total")
    def waiting(self, obj):
        return obj.waiting_total


def _status(status):
    from django.db.models import Q

    return Q(deliveries__status=status)


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin):
    list_display = ["review", "kind", "remote", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["review", "remote"]
    search_fields = ["review__headline", "remote__username", "remote__domain"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
