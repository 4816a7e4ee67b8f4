from django.apps import AppConfig


class FederationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "federation"
    verbose_name = "Fediverse"

    def ready(self):
        from federation import publishing

        publishing.connect()
