import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_settings(code, **environ):
    """Run ``code`` on the settings (``s``), imported afresh with ``environ``."""
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(environ)
    return subprocess.run(
        [sys.executable, "-c", f"import filmblog.settings as s; {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def load_settings(**environ):
    return run_settings(
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.EMAIL_BACKEND)",
        **environ,
    )


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_with_a_secret_key_starts():
    result = load_settings(DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_development_defaults_need_nothing_installed():
    result = load_settings(DATABASE_URL="", CACHE_URL="", REDIS_URL="", EMAIL_HOST="")
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_production_services_come_from_the_environment():
    result = load_settings(
        DATABASE_URL="postgres://u:p@db.example:5432/filmblog",
        REDIS_URL="redis://cache.example:6379/0",
        EMAIL_HOST="smtp.example",
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "django_redis.cache.RedisCache",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


def database_options(**environ):
    result = run_settings(
        "print(sorted(s.DATABASES['default'].get('OPTIONS', {}).items()))", **environ
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_prepares_the_statements_it_repeats():
    options = database_options(DATABASE_URL="postgres://u:p@db.example:5432/filmblog")
    assert options == "[('prepare_threshold', 1), ('server_side_binding', True)]"


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    options = database_options(
        DATABASE_URL="postgres://u:p@db.example:5432/filmblog", DATABASE_PREPARED_STATEMENTS="0"
    )
    assert options == "[]"


def test_sqlite_gets_no_postgresql_options():
    assert database_options(DATABASE_URL="") == "[]"


def test_kept_connections_are_health_checked_unless_turned_off():
    code = "print(s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    assert run_settings(code).stdout.strip() == "True"
    assert run_settings(code, CONN_HEALTH_CHECKS="0").stdout.strip() == "False"
