"""
A local stand-in for TMDB and Wikidata: an HTTP server the tests start, which
replays the response files in import_responses/ (written for this project in
the shape of the APIs' documented answers), and misbehaves on request.

Searches that misbehave: "Slow" (answers after the client's timeout), "Busy"
(always 429), "Flaky" (503 once, then Fargo's results), "Garbage" (an HTML page).
"""

import contextlib
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils.text import slugify
from PIL import Image

RESPONSES = Path(__file__).parent / "import_responses"
TOKEN = "test-token"


def png(color="red", size=(60, 90)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


class Replay(BaseHTTPRequestHandler):
    server_version = "replay/1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type="application/json", headers=()):
        if isinstance(body, dict):
            body = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        # The client may have given up waiting, as the timeout tests want.
        with contextlib.suppress(BrokenPipeError):
            self.wfile.write(body)

    def file(self, status, name):
        self.answer(status, (RESPONSES / name).read_bytes())

    def do_GET(self):
        url = urlsplit(self.path)
        params = {key: values[0] for key, values in parse_qs(url.query).items()}
        self.server.requests.append((url.path, params))
        if url.path.startswith("/t/p/"):
            body = b"not an image" if "broken" in url.path else png()
            return self.answer(200, body, "image/png")
        if url.path == "/w/api.php":
            return self.wikidata(params)
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self.file(401, "tmdb/error_401.json")
        return self.tmdb(url.path.removeprefix("/3"), params)

    def tmdb(self, path, params):
        if path == "/search/movie":
            query = params.get("query", "")
            if query == "Slow":
                time.sleep(1)
                return self.file(200, "tmdb/search_nothing.json")
            if query == "Busy":
                return self.answer(
                    429,
                    (RESPONSES / "tmdb/error_429.json").read_bytes(),
                    headers=[("Retry-After", "0")],
                )
            if query == "Flaky":
                self.server.flaky += 1
                if self.server.flaky == 1:
                    return self.file(503, "tmdb/error_503.json")
                query = "Fargo"
            if query == "Garbage":
                return self.answer(200, b"<html><body>Maintenance</body></html>", "text/html")
            name = f"tmdb/search_{slugify(query).replace('-', '_')}.json"
            return self.file(
                200, name if (RESPONSES / name).exists() else "tmdb/search_nothing.json"
            )
        parts = path.strip("/").split("/")
        name = None
        if parts[0] == "movie" and len(parts) == 2:
            name = f"tmdb/movie_{parts[1]}.json"
        elif parts[0] == "movie" and parts[2:] == ["credits"]:
            name = f"tmdb/movie_{parts[1]}_credits.json"
        elif parts[0] == "person":
            name = f"tmdb/person_{parts[1]}.json"
        if name and (RESPONSES / name).exists():
            return self.file(200, name)
        return self.file(404, "tmdb/error_404.json")

    def wikidata(self, params):
        if params.get("action") == "wbsearchentities":
            name = f"wikidata/wbsearchentities_{params.get('search')}.json"
            if (RESPONSES / name).exists():
                return self.file(200, name)
            return self.answer(
                200, {"searchinfo": {"search": params.get("search")}, "search": [], "success": 1}
            )
        if params.get("action") == "wbgetentities":
            entities = {}
            for qid in params.get("ids", "").split("|"):
                path = RESPONSES / f"wikidata/{qid}.json"
                if qid == "Q0":
                    return self.file(200, "wikidata/error_no-such-entity.json")
                entities[qid] = (
                    json.loads(path.read_text()) if path.exists() else {"id": qid, "missing": ""}
                )
            return self.answer(200, {"entities": entities, "success": 1})
        return self.answer(
            200,
            {"error": {"code": "badvalue", "info": 'Unrecognized value for parameter "action".'}},
        )


@pytest.fixture
def replay_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    server.requests = []
    server.flaky = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def sources(settings, replay_server, monkeypatch):
    """TMDB and Wikidata turned on, both answered by the replay server, retries without waiting."""
    from reviews.importing import http

    settings.TMDB_TOKEN = TOKEN
    settings.TMDB_API_URL = f"{replay_server.url}/3"
    settings.TMDB_IMAGE_URL = f"{replay_server.url}/t/p/w780"
    settings.WIKIDATA_IMPORT = True
    settings.WIKIDATA_API_URL = f"{replay_server.url}/w/api.php"
    monkeypatch.setattr(http, "RETRY_WAITS", (0, 0))
    monkeypatch.setattr(http, "TIMEOUT_SECONDS", 0.3)
    return replay_server
