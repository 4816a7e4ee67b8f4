"""Keys: made in the admin or by the command, sent two ways, revoked, rate-limited; CORS."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from api.keys import create_key, hash_key
from api.models import ApiKey
from tests.factories import make_editor, make_review

pytestmark = pytest.mark.django_db


def test_without_a_valid_key_it_is_a_401(client):
    make_review()
    for header in ("", "Bearer fb_not-a-key", "Basic eDp5"):
        headers = {"HTTP_AUTHORIZATION": header} if header else {}
        response = client.get("/api/v1/reviews/", **headers)
        assert response.status_code == 401
        assert response.json()["errors"][0]["status"] == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/reviews/?key=fb_wrong").status_code == 401


def test_a_key_works_as_a_bearer_token_or_in_the_address(client, api_key):
    make_review()
    record, key = api_key
    assert client.get("/api/v1/reviews/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.get(f"/api/v1/reviews/?key={key}").status_code == 200
    record.refresh_from_db()
    assert record.last_used_at is not None


def test_the_key_in_the_address_is_read_as_a_form_would_read_it(client, api_key):
    from urllib.parse import quote

    key = api_key[1]
    # Percent-encoded, after another key= (the last one counts), among other parameters.
    address = f"/api/v1/genres/?key=fb_wrong&limit=2&key={quote(key, safe='')}"
    assert client.get(address).status_code == 200
    assert client.get(f"/api/v1/genres/?key={key}&key=fb_wrong").status_code == 401
    assert client.get(f"/api/v1/genres/?monkey={key}").status_code == 401
    assert client.get(f"/api/v1/genres/?k%00ey={key}").status_code == 400


def test_only_a_hash_is_kept(api_key):
    record, key = api_key
    assert key.startswith("fb_") and len(key) > 40
    assert record.hashed_key == hash_key(key) and key not in record.hashed_key
    assert key.startswith(record.prefix)


def test_a_revoked_key_is_refused_at_once(client, api_key):
    record, key = api_key
    assert client.get("/api/v1/genres/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    record.revoke()
    assert client.get("/api/v1/genres/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_the_openapi_document_and_docs_need_no_key(client, db):
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200
    assert document.json()["openapi"].startswith("3.1")
    assert "/api/v1/reviews/" in document.json()["paths"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"/api/v1/openapi.json" in docs.content


def test_create_api_key_prints_the_key(capsys, db):
    call_command("create_api_key", "Newsletter tool", "--origin", "https://news.example")
    key = capsys.readouterr().out.strip()
    record = ApiKey.objects.get(hashed_key=hash_key(key))
    assert record.name == "Newsletter tool" and record.origins() == {"https://news.example"}
    with pytest.raises(CommandError, match="origin"):
        call_command("create_api_key", "Bad", "--origin", "news.example/path")
    with pytest.raises(CommandError, match="name"):
        call_command("create_api_key", "  ")


def test_editors_create_a_key_in_the_admin_and_see_it_once(client):
    editor = make_editor()
    client.force_login(editor)
    response = client.post(
        "/admin/api/apikey/add/",
        {"name": "Festival app", "allowed_origins": "https://festival.example", "rate_limit": ""},
    )
    assert response.status_code == 200
    record = ApiKey.objects.get(name="Festival app")
    key = response.context["key"]
    assert hash_key(key) == record.hashed_key
    assert key.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    # The change page shows the prefix, never the key.
    change = client.get(f"/admin/api/apikey/{record.pk}/change/")
    assert record.prefix.encode() in change.content and key.encode() not in change.content
    listing = client.get("/admin/api/apikey/")
    assert b"Festival app" in listing.content and b"Active" in listing.content


def test_editors_revoke_keys_in_the_admin(client, api_key):
    record, key = api_key
    client.force_login(make_editor())
    response = client.post(
        "/admin/api/apikey/",
        {"action": "revoke_keys", "_selected_action": [record.pk]},
        follow=True,
    )
    assert b"1 key revoked" in response.content
    record.refresh_from_db()
    assert record.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/genres/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_the_admin_refuses_an_origin_with_a_path(client):
    client.force_login(make_editor())
    response = client.post(
        "/admin/api/apikey/add/", {"name": "x", "allowed_origins": "https://a.example/app"}
    )
    assert response.status_code == 200
    assert b"is not an origin" in response.content
    assert not ApiKey.objects.exists()


def test_each_key_has_its_rate_limit(client, db):
    _, limited = create_key("Tiny", rate_limit=2)
    _, other = create_key("Other", rate_limit=2)
    for _ in range(2):
        response = client.get("/api/v1/genres/", HTTP_AUTHORIZATION=f"Bearer {limited}")
        assert response.status_code == 200
    response = client.get("/api/v1/genres/", HTTP_AUTHORIZATION=f"Bearer {limited}")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["errors"][0]["status"] == 429
    assert client.get("/api/v1/genres/", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 200


def test_the_site_default_limit_applies_without_one(client, api_key, settings):
    settings.API_RATE_LIMIT = 1
    key = api_key[1]
    assert client.get("/api/v1/genres/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.get("/api/v1/genres/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 429


def test_cors_follows_the_keys_allowed_origins(client, api_key):
    key = api_key[1]
    allowed = client.get(
        "/api/v1/genres/",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_ORIGIN="https://festival.example",
    )
    assert allowed["Access-Control-Allow-Origin"] == "https://festival.example"
    other = client.get(
        "/api/v1/genres/", HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ORIGIN="https://evil.example"
    )
    assert other.status_code == 200 and "Access-Control-Allow-Origin" not in other
    _, no_origins = create_key("Server only")
    server = client.get(
        "/api/v1/genres/",
        HTTP_AUTHORIZATION=f"Bearer {no_origins}",
        HTTP_ORIGIN="https://festival.example",
    )
    assert "Access-Control-Allow-Origin" not in server


def test_a_preflight_is_answered_for_an_origin_some_key_allows(client, api_key):
    preflight = client.options(
        "/api/v1/reviews/",
        HTTP_ORIGIN="https://festival.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "https://festival.example"
    assert "authorization" in preflight["Access-Control-Allow-Headers"]
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]
    assert preflight["Access-Control-Allow-Methods"] == "GET, OPTIONS"
    assert int(preflight["Access-Control-Max-Age"]) > 0
    assert "Origin" in preflight["Vary"]
    refused = client.options(
        "/api/v1/reviews/",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "Access-Control-Allow-Origin" not in refused


def test_a_page_script_may_read_the_etag_and_the_limit(client, db):
    """An allowed origin reads the answer's ETag, and its 429 with Retry-After."""
    _, key = create_key("Tiny", rate_limit=1, allowed_origins="https://festival.example")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ORIGIN": "https://festival.example"}
    answer = client.get("/api/v1/genres/", **headers)
    assert answer.status_code == 200 and "ETag" in answer["Access-Control-Expose-Headers"]
    limited = client.get("/api/v1/genres/", **headers)
    assert limited.status_code == 429
    assert limited["Access-Control-Allow-Origin"] == "https://festival.example"
    assert "Retry-After" in limited["Access-Control-Expose-Headers"]


def test_every_api_answer_varies_by_origin(client, api_key):
    """A browser cache keeps one copy per origin, whether the origin was allowed or not."""
    key = api_key[1]
    for response in (
        client.get("/api/v1/genres/", HTTP_AUTHORIZATION=f"Bearer {key}"),
        client.get("/api/v1/genres/"),
        client.get("/api/v1/openapi.json"),
        client.options("/api/v1/genres/"),
    ):
        assert "Origin" in response["Vary"]
    document = client.get("/api/v1/openapi.json", HTTP_ORIGIN="https://festival.example")
    assert "Access-Control-Allow-Origin" not in document


def test_pages_outside_the_api_get_no_cors_headers(client, api_key):
    make_review()
    response = client.get("/", HTTP_ORIGIN="https://festival.example")
    assert "Access-Control-Allow-Origin" not in response
