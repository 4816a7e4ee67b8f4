import pytest


@pytest.fixture(autouse=True, scope="session")
def record_jinja2_templates():
    """
    Let the test client record the Jinja2 templates a response rendered, and
    their context (``response.templates``, ``response.context``), as Django's
    test set-up does for its own template language.
    """
    from django.template.backends.jinja2 import Template
    from django.test.signals import template_rendered

    render = Template.render

    def recorded_render(self, context=None, request=None):
        template_rendered.send(sender=self, template=self.template, context=context or {})
        return render(self, context, request)

    Template.render = recorded_render
    yield
    Template.render = render


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, never ./media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fast_tests(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def clear_cache():
    from django.core.cache import cache

    from core import pagecache
    from core.cache_outage import cache_recovered

    cache.clear()
    yield
    # A test that took a cache away leaves no outage behind for the next one.
    cache_recovered()
    pagecache.discard_pending()
    cache.clear()


@pytest.fixture(autouse=True)
def purge_at_once(monkeypatch):
    """
    A test's own transaction never commits, so the purges that follow a commit
    (core/purges.py) are sent at once, as they are in autocommit. Tests of what
    happens at the commit itself use ``django_db(transaction=True)``.
    """
    from core import purges

    monkeypatch.setattr(purges, "after_commit", lambda func: func())


@pytest.fixture
def demo(db):
    """The demo catalogue, as `make demo` loads it."""
    from filmblog.demo import load_demo

    load_demo()


@pytest.fixture
def writer(db):
    """An author: staff in the Authors group, with an author profile."""
    from tests.factories import make_writer

    return make_writer()


@pytest.fixture
def editor(db):
    """An editor: staff in the Editors group, with an author profile."""
    from tests.factories import make_editor

    return make_editor()


@pytest.fixture
def review(db):
    """A published review of a film with a director and one cast member."""
    from reviews.models import Credit
    from tests.factories import make_credit, make_film, make_person, make_review

    film = make_film(title="Cléo from 5 to 7", year=1962)
    make_credit(film=film, person=make_person(name="Agnès Varda"), role=Credit.Role.DIRECTOR)
    make_credit(film=film, role=Credit.Role.CAST, character="Cléo", order=1)
    return make_review(film=film, headline="Two hours in Paris", standfirst="A walk.")


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="boss", email="boss@example.com", password="pw"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def redis_server():
    """A redis-server of the test's own, which it may stop and start (tests/services.py)."""
    from tests.services import RedisServer

    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def shared_redis(settings):
    """The site's cache in the shared Redis, as production runs it."""
    # A key prefix of its own: clear() would empty the whole Redis database.
    from tests.services import redis_cache_settings, shared_redis_url

    settings.CACHES = redis_cache_settings(shared_redis_url())


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server the site sends its mail to (tests/services.py)."""
    from tests.services import SMTPServer

    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def task_queue(settings, transactional_db):
    """
    Tasks wait in the database, as in production, for `run_worker()`
    (tests/services.py) to run them. Committed for real: the worker closes its
    database connection when it ends.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
