"""
Production security: the deploy check is clean, every page sends its
security headers, and the token-less forms on cached pages refuse posts that
another site makes.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reviews.forms import started_token
from tests.factories import make_review

ROOT = Path(__file__).resolve().parents[2]

IGNORED_ENVIRONMENT = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-0123456789-abcdefghijkl",
    "ALLOWED_HOSTS": "films.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "SITE_URL": "https://films.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
    "TASKS_BACKEND": "database",
}


def manage(*args, **environ):
    # Production never runs with the browser tests' async-unsafe permission.
    env = {k: v for k, v in os.environ.items() if k not in IGNORED_ENVIRONMENT}
    env.update(environ)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def production_setting(name, **environ):
    # Production never runs with the browser tests' async-unsafe permission.
    env = {k: v for k, v in os.environ.items() if k not in IGNORED_ENVIRONMENT}
    env.update(PRODUCTION, **environ)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import filmblog.settings as s; print(repr(eval({name!r}, vars(s))))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


class TestDeployCheck:
    def test_check_deploy_is_clean_with_production_settings(self):
        result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "System check identified no issues" in result.stdout

    def test_check_deploy_would_catch_a_weakened_setting(self):
        result = manage(
            "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SECURE_HSTS_SECONDS="0"
        )
        assert result.returncode != 0
        assert "security.W004" in result.stdout + result.stderr

    def test_several_workers_without_a_shared_cache_fail_naming_cache_url(self):
        local = {**PRODUCTION, "CACHE_URL": "locmem://"}
        result = manage("check", "--deploy", **local, WEB_CONCURRENCY="3")
        assert result.returncode != 0
        assert "filmblog.E001" in result.stderr and "CACHE_URL=redis://" in result.stderr
        result = manage("check", "--deploy", "--fail-level", "ERROR", **local, WEB_CONCURRENCY="1")
        assert result.returncode == 0, result.stderr

    def test_mail_sent_inside_the_request_is_warned_about_in_production_only(self):
        immediate = {**PRODUCTION, "TASKS_BACKEND": "immediate"}
        result = manage("check", "--deploy", "--fail-level", "WARNING", **immediate)
        assert result.returncode != 0
        output = result.stdout + result.stderr
        assert "filmblog.W003" in output and "TASKS_BACKEND=database" in output
        assert "db_worker" in output
        # A warning: --fail-level ERROR (what CI's production leg uses) still passes.
        result = manage("check", "--deploy", "--fail-level", "ERROR", **immediate)
        assert result.returncode == 0, result.stderr
        development = manage("check", "--deploy", **immediate | {"DEBUG": "1"})
        assert "filmblog.W003" not in development.stdout + development.stderr

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("SECURE_HSTS_SECONDS", "31536000"),
            ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "True"),
            ("SECURE_SSL_REDIRECT", "True"),
            ("SESSION_COOKIE_SECURE", "True"),
            ("CSRF_COOKIE_SECURE", "True"),
            ("SECURE_REFERRER_POLICY", "'strict-origin-when-cross-origin'"),
            (
                "STORAGES['staticfiles']['BACKEND']",
                "'whitenoise.storage.CompressedManifestStaticFilesStorage'",
            ),
        ],
    )
    def test_production_settings(self, name, value):
        assert production_setting(name) == value

    def test_forwarded_proto_is_trusted_only_when_asked(self):
        assert production_setting("globals().get('SECURE_PROXY_SSL_HEADER')") == "None"
        assert (
            production_setting("SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="1")
            == "('HTTP_X_FORWARDED_PROTO', 'https')"
        )

    def test_media_in_object_storage_may_be_shown(self):
        policy = production_setting(
            "CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']",
            AWS_STORAGE_BUCKET_NAME="films",
            AWS_S3_CUSTOM_DOMAIN="media.films.example.org",
        )
        assert "https://media.films.example.org" in policy


@pytest.mark.django_db
class TestHeaders:
    def test_public_pages_send_a_strict_content_security_policy(self, client):
        response = client.get("/")
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"

    def test_cached_pages_send_the_same_headers(self, client):
        client.get("/")
        response = client.get("/")
        assert response["X-Page-Cache"] == "hit"
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"

    def test_the_admin_may_use_inline_styles_but_not_inline_scripts(self, admin_client):
        policy = admin_client.get("/admin/")["Content-Security-Policy"]
        assert "style-src 'self' 'unsafe-inline'" in policy
        assert "script-src 'self';" in policy + ";"

    def test_json_answers_may_load_nothing(self, client):
        from api.keys import create_key

        _, key = create_key("Headers")
        response = client.get("/api/v1/genres/", HTTP_AUTHORIZATION=f"Bearer {key}")
        directives = set(response["Content-Security-Policy"].split("; "))
        assert directives == {"default-src 'none'", "frame-ancestors 'none'"}
        assert response["X-Content-Type-Options"] == "nosniff"
        # The API's documentation page is a page: the site's policy, its scripts from 'self'.
        docs = client.get("/api/v1/docs/")["Content-Security-Policy"]
        assert "script-src 'self'" in docs and "default-src 'self'" in docs

    def test_https_pages_send_hsts(self, client, settings):
        settings.SECURE_HSTS_SECONDS = 3600
        response = client.get("/", secure=True)
        assert response["Strict-Transport-Security"].startswith("max-age=3600")

    def test_cached_https_pages_send_hsts_and_plain_http_is_still_redirected(
        self, client, settings
    ):
        """The page cache answers before the security middleware: what it serves must agree."""
        settings.SECURE_HSTS_SECONDS = 3600
        settings.SECURE_SSL_REDIRECT = True
        client.get("/", secure=True)
        cached = client.get("/", secure=True)
        assert cached["X-Page-Cache"] == "hit"
        assert cached["Strict-Transport-Security"].startswith("max-age=3600")
        assert cached["X-Content-Type-Options"] == "nosniff"
        plain = client.get("/")
        assert plain.status_code == 301
        assert plain["Location"] == "https://testserver/"

    def test_a_host_not_allowed_is_refused_even_for_a_cached_page(self, client):
        client.get("/")
        assert client.get("/")["X-Page-Cache"] == "hit"
        assert client.get("/", HTTP_HOST="attacker.example").status_code == 400


@pytest.mark.django_db
class TestFormsOnCachedPages:
    """The sign-up, comment, rating and like forms carry no CSRF token."""

    @pytest.fixture
    def review(self):
        return make_review()

    def endpoints(self, review):
        url = review.get_absolute_url()
        return {
            f"{url}rating/": {"value": "4.0"},
            f"{url}like/": {"action": "like"},
            f"{url}comments/": {
                "name": "Ann",
                "email": "ann@example.com",
                "text": "Fine.",
                "started": started_token(now=time.time() - 60),
            },
            "/subscribe/sign-up/": {"email": "ann@example.com"},
        }

    @pytest.mark.parametrize(
        "headers",
        [
            {"HTTP_ORIGIN": "https://evil.example"},
            {"HTTP_ORIGIN": "null"},
            {"HTTP_SEC_FETCH_SITE": "cross-site"},
            {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://testserver"},
        ],
    )
    def test_a_post_from_another_site_is_refused(self, client, review, headers):
        for url, data in self.endpoints(review).items():
            response = client.post(url, data, **headers)
            assert response.status_code == 403, url
            assert b"another site" in response.content
        review.refresh_from_db()
        assert review.rating_count == 0 and review.like_count == 0

    @pytest.mark.parametrize(
        "headers",
        [
            {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"},
            {"HTTP_ORIGIN": "http://testserver"},
            {},
        ],
    )
    def test_a_post_from_this_site_goes_through(self, client, review, headers):
        for url, data in self.endpoints(review).items():
            response = client.post(url, data, **headers)
            assert response.status_code in {200, 302}, (url, response.status_code)
        review.refresh_from_db()
        assert review.rating_count == 1 and review.like_count == 1

    def test_a_trusted_origin_goes_through(self, client, review, settings):
        settings.CSRF_TRUSTED_ORIGINS = ["https://www.films.example.org"]
        url = f"{review.get_absolute_url()}like/"
        response = client.post(
            url, {"action": "like"}, HTTP_ORIGIN="https://www.films.example.org"
        )
        assert response.status_code == 302

    def test_other_forms_still_need_their_token(self, review):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        assert (
            strict.post("/account/login/", {"username": "x", "password": "y"}).status_code == 403
        )
        like = strict.post(f"{review.get_absolute_url()}like/", {"action": "like"})
        assert like.status_code == 302


@pytest.mark.django_db
class TestSecureCookies:
    def test_every_cookie_is_secure_under_https(self, client, django_user_model):

        review = make_review()
        rated = client.post(f"{review.get_absolute_url()}rating/", {"value": "4.5"}, secure=True)
        assert rated.cookies["reader"]["secure"] is True
        login = client.get("/account/login/", secure=True)
        assert all(morsel["secure"] is True for morsel in login.cookies.values())
        assert login.cookies  # the CSRF cookie
        django_user_model.objects.create_user(username="ada", password="pw-long-enough-1")
        signed_in = client.post(
            "/account/login/", {"username": "ada", "password": "pw-long-enough-1"}, secure=True
        )
        assert signed_in.cookies
        assert all(morsel["secure"] is True for morsel in signed_in.cookies.values())

    def test_plain_http_cookies_are_left_alone(self, client):

        review = make_review()
        rated = client.post(f"{review.get_absolute_url()}rating/", {"value": "4.5"})
        assert not rated.cookies["reader"]["secure"]
