from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "Content API"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from api import cors, keys
        from api.models import ApiKey

        # A key saved or deleted (revoked, its origins changed) is read again at once
        # in this process; other processes read it again within API_KEY_CACHE_SECONDS.
        for signal in (post_save, post_delete):
            signal.connect(keys.forget, sender=ApiKey, dispatch_uid=f"api-keys-{id(signal)}")
            signal.connect(cors.forget, sender=ApiKey, dispatch_uid=f"api-cors-{id(signal)}")
