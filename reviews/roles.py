"""
The two editorial roles and the permissions each holds.

Rules in code check permissions (``reviews/policy.py``), never group names;
the groups are only the usual way to hand permissions out. An editor can give
one author more (say ``reviews.change_film``) in the admin.
"""

EDITORS = "Editors"
AUTHORS = "Authors"

# Editors hold every permission of these apps, plus a few from elsewhere.
EDITOR_APPS = ["reviews", "people", "taggit", "subscriptions", "api"]
EDITOR_EXTRA = [
    "auth.view_user",  # the user autocomplete on author profiles
    "reversion.view_revision",
    "reversion.view_version",
]

AUTHOR_PERMISSIONS = [
    # Their own reviews only: ReviewAdmin narrows the queryset and refuses the rest.
    "reviews.view_review",
    "reviews.add_review",
    "reviews.change_review",
    "reviews.delete_review",
    # Enough to pick a film in the review form, not to change it.
    "reviews.view_film",
    # The media library: pick a picture for the body, or upload one.
    "reviews.view_picture",
    "reviews.add_picture",
]


def sync_groups_after_migrate(sender, using="default", apps=None, **kwargs):
    """
    Refresh both groups after every ``migrate``, so that models added by later
    migrations (in any app) reach the right group too. Connected to
    ``post_migrate`` for this app alone (reviews/apps.py); it makes sure every
    app's permissions exist first, since apps migrated after this one have
    not had theirs created yet. Installed-app order does not matter.
    """
    from django.apps import apps as installed_apps
    from django.contrib.auth.management import create_permissions

    # ``flush`` sends the signal without the migration state: the models as installed.
    apps = apps or installed_apps
    for app_config in installed_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), using=using)


def sync_groups(group_model, permission_model, using="default"):
    """Create or refresh both groups; safe to run again (migrations, load_demo)."""
    groups = group_model.objects.using(using)
    permissions = permission_model.objects.using(using)
    editors, _ = groups.get_or_create(name=EDITORS)
    editor_perms = permissions.filter(content_type__app_label__in=EDITOR_APPS)
    editors.permissions.add(*editor_perms, *_lookup(permissions, EDITOR_EXTRA))

    authors, _ = groups.get_or_create(name=AUTHORS)
    authors.permissions.add(*_lookup(permissions, AUTHOR_PERMISSIONS))
    return editors, authors


def _lookup(permissions, names):
    perms = []
    for name in names:
        app_label, codename = name.split(".")
        perms.extend(permissions.filter(content_type__app_label=app_label, codename=codename))
    return perms
