from django.apps import AppConfig


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "people"
    verbose_name = "People"

    def ready(self):
        from core import pagecache

        # Names, bios, photos and links show on credits, bylines and author boxes.
        pagecache.expire_on_change("people")
