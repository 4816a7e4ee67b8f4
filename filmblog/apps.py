from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_editorial_groups(sender, **kwargs):
    """
    Refresh the Editors and Authors groups after every migrate, so models added
    by later migrations (comments, subscribers...) reach the right group too.
    filmblog is the last app migrated, so every app's permissions exist by now.
    """
    from django.contrib.auth.models import Group, Permission

    from reviews.roles import sync_groups

    sync_groups(Group, Permission)


class FilmblogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "filmblog"
    verbose_name = "Site"

    def ready(self):
        post_migrate.connect(sync_editorial_groups, sender=self)

        from filmblog import checks  # noqa: F401 (registers the deploy checks)
        from filmblog.search import connect_signals

        connect_signals()
