"""
The two editorial roles and the permissions each holds.

Rules in code check permissions (``user.has_perm("reviews.publish_review")``),
never group names; the groups are only the usual way to hand permissions out.
An editor can give one author more (say ``reviews.change_film``) in the admin.
"""

# Who may publish, schedule and unpublish (reviews/workflow.py checks it).
PUBLISH_PERMISSION = "reviews.publish_review"

EDITORS = "Editors"
AUTHORS = "Authors"

# Editors hold every permission of these apps, plus a few from elsewhere.
EDITOR_APPS = ["reviews", "people", "taggit", "subscriptions"]
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
]


def sync_groups(group_model, permission_model):
    """Create or refresh both groups; safe to run again (migrations, load_demo)."""
    editors, _ = group_model.objects.get_or_create(name=EDITORS)
    editor_perms = permission_model.objects.filter(content_type__app_label__in=EDITOR_APPS)
    editors.permissions.add(*editor_perms, *_lookup(permission_model, EDITOR_EXTRA))

    authors, _ = group_model.objects.get_or_create(name=AUTHORS)
    authors.permissions.add(*_lookup(permission_model, AUTHOR_PERMISSIONS))
    return editors, authors


def _lookup(permission_model, names):
    perms = []
    for name in names:
        app_label, codename = name.split(".")
        perms.extend(
            permission_model.objects.filter(content_type__app_label=app_label, codename=codename)
        )
    return perms
