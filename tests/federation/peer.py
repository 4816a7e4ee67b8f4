"""
A small fediverse server for the tests, on a real port: it serves its actors
(with their keys), answers WebFinger with a follow template, and keeps every
signed request that reaches its inboxes, checking each signature against our
actors' public keys as a real server would. It can be told to answer an
inbox with given statuses first (``peer.fail(path, 503, 503)``), for retry tests.
The same server is the bench's sink (bench/federation.py).
"""

import json
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from django.utils import timezone

from federation import keys, signatures


class Peer:
    def __init__(self, *, keep_bodies=True):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.peer = self
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        self.actors = {}
        self.received = []  # (path, headers, activity)
        self.counts = defaultdict(int)
        self.keep_bodies = keep_bodies
        self.planned = defaultdict(list)
        self.public_keys = {}  # our key ids -> PEM, for checking what we sign
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def add_actor(self, name, *, display_name=None, shared_inbox=True):
        private, public = keys.new_key_pair()
        actor_id = f"{self.url}/users/{name}"
        document = {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": actor_id,
            "type": "Person",
            "preferredUsername": name,
            "name": display_name or name.title(),
            "url": f"{self.url}/@{name}",
            "inbox": f"{actor_id}/inbox",
            "outbox": f"{actor_id}/outbox",
            "publicKey": {"id": f"{actor_id}#main-key", "owner": actor_id, "publicKeyPem": public},
        }
        if shared_inbox:
            document["endpoints"] = {"sharedInbox": f"{self.url}/inbox"}
        self.actors[name] = {"document": document, "private": private}
        return document

    def fail(self, path, *statuses):
        self.planned[path].extend(statuses)

    def sign_for(self, name, *, method, url, body, when=None):
        """The headers ``name`` sends with a request to one of our URLs."""
        return signatures.sign(
            method=method,
            url=url,
            body=body,
            key_id=f"{self.url}/users/{name}#main-key",
            private_pem=self.actors[name]["private"],
            when=when,
        )

    def inbox_activities(self, kind=None):
        return [a for _, _, a in self.received if kind is None or a.get("type") == kind]


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status, data=None, content_type="application/activity+json"):
        body = json.dumps(data).encode() if data is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        peer = self.server.peer
        parts = urlsplit(self.path)
        if parts.path == "/.well-known/webfinger":
            resource = parse_qs(parts.query).get("resource", [""])[0]
            name = resource.removeprefix("acct:").split("@")[0]
            if name not in peer.actors:
                return self._send(404, {})
            return self._send(
                200,
                {
                    "subject": resource,
                    "links": [
                        {
                            "rel": "self",
                            "type": "application/activity+json",
                            "href": peer.actors[name]["document"]["id"],
                        },
                        {
                            "rel": "http://ostatus.org/schema/1.0/subscribe",
                            "template": f"https://{peer.host}/authorize_interaction?uri={{uri}}",
                        },
                    ],
                },
                "application/jrd+json",
            )
        name = parts.path.removeprefix("/users/")
        if name in peer.actors:
            return self._send(200, peer.actors[name]["document"])
        return self._send(404, {})

    def do_POST(self):
        peer = self.server.peer
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        with peer.lock:
            planned = peer.planned.get(self.path)
            status = planned.pop(0) if planned else None
        if status is not None:
            return self._send(status)
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            signed = signatures.parse(
                method="POST",
                path=self.path,
                headers=headers,
                body=body,
                now=timezone.now(),
                window=300,
            )
            pem = peer.public_keys.get(signed.key_id)
            if pem is not None:
                signed.verify(pem)
        except signatures.SignatureError:
            return self._send(401, {"error": "bad signature"})
        activity = json.loads(body)
        with peer.lock:
            peer.counts[self.path] += 1
            if peer.keep_bodies:
                peer.received.append((self.path, headers, activity))
        self._send(202)
