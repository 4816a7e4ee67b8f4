from django.apps import AppConfig


class FilmblogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "filmblog"
    verbose_name = "Site"
