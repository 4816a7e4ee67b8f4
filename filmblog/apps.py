from django.apps import AppConfig


class FilmblogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "filmblog"
    verbose_name = "Site"

    def ready(self):
        from filmblog import checks  # noqa: F401 (registers the deploy checks)
