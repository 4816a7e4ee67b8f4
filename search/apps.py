from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from django.db.backends.signals import connection_created

        from search import signals, sqlite

        signals.connect()
        connection_created.connect(sqlite.add_functions, dispatch_uid="search-sqlite-functions")
