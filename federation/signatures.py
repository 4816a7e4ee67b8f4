"""
HTTP Signatures as the fediverse uses them: the "cavage" draft
(draft-cavage-http-signatures-12) with RSA-SHA256, which Mastodon, Misskey,
Pleroma and bovine sign and verify, and the Digest header over the body.

The libraries on PyPI implement the later RFC 9421, which these servers do not
speak, hence this module. Outgoing requests sign ``(request-target) host date
digest``; an incoming one must sign at least ``(request-target)``, ``host`` and
``date`` (and ``digest`` with a body), carry a Date within the window and a
Digest that matches its body.
"""

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from federation import keys

SIGNED_HEADERS = ["(request-target)", "host", "date", "digest"]
REQUIRED = {"(request-target)", "host", "date"}
_PARAM = re.compile(r'\s*([a-zA-Z]+)\s*=\s*"([^"]*)"\s*(?:,|$)')


class SignatureError(Exception):
    """The request's signature is missing, malformed, stale or does not verify."""


def digest(body):
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(when=None):
    return format_datetime(when or datetime.now(UTC), usegmt=True)


def signing_string(names, *, method, path, headers):
    """The text a signature covers: one "name: value" line per signed header."""
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {path}")
        else:
            value = headers.get(name)
            if value is None:
                raise SignatureError(f"the signed header {name!r} is missing")
            lines.append(f"{name}: {value.strip()}")
    return "\n".join(lines)


def sign(*, method, url, body, key_id, private_pem, when=None):
    """The headers that sign a request to ``url`` (Host, Date, Digest, Signature)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = {"host": parts.netloc, "date": http_date(when)}
    names = ["(request-target)", "host", "date"]
    if body is not None:
        headers["digest"] = digest(body)
        names.append("digest")
    text = signing_string(names, method=method, path=path, headers=headers)
    signature = keys.load_private(private_pem).sign(
        text.encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    headers["signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    return {name.title(): value for name, value in headers.items()}


@dataclass(frozen=True)
class Signed:
    """A parsed Signature header and the text it claims to sign."""

    key_id: str
    names: tuple
    signature: bytes
    text: str

    @property
    def fingerprint(self):
        """The same signature, twice, has the same fingerprint: what replay checks use."""
        return hashlib.sha256(self.signature).hexdigest()

    def verify(self, public_pem):
        try:
            key = keys.load_public(public_pem)
            key.verify(self.signature, self.text.encode(), padding.PKCS1v15(), hashes.SHA256())
        except (ValueError, InvalidSignature) as error:
            raise SignatureError("the signature does not match the key") from error


def parse(*, method, path, headers, body, now, window):
    """
    Check everything that needs no key: the header's form, which headers are
    signed, the Date's distance from ``now`` (``window`` seconds) and the
    Digest. ``headers`` is case-insensitive (Django's ``request.headers``).
    Returns a ``Signed`` to verify with the signer's key.
    """
    header = headers.get("signature")
    if not header:
        raise SignatureError("the request is not signed")
    params = dict(_PARAM.findall(header))
    for needed in ("keyId", "signature"):
        if not params.get(needed):
            raise SignatureError(f"the signature has no {needed}")
    algorithm = params.get("algorithm", "hs2019").lower()
    if algorithm not in {"rsa-sha256", "hs2019"}:
        raise SignatureError(f"the algorithm {algorithm!r} is not supported")
    names = tuple(params.get("headers", "date").lower().split())
    missing = REQUIRED - set(names)
    if body:
        missing |= {"digest"} - set(names)
    if missing:
        raise SignatureError(f"these headers must be signed: {', '.join(sorted(missing))}")
    try:
        sent = parsedate_to_datetime(headers.get("date", ""))
    except (TypeError, ValueError) as error:
        raise SignatureError("the Date header is not a date") from error
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    if abs((now - sent).total_seconds()) > window:
        raise SignatureError("the Date is too far from now: the request is expired")
    if "digest" in names:
        wanted = digest(body or b"").split("=", 1)[1]
        # "SHA-256=…" (Mastodon) or "sha-256=…" (bovine), perhaps beside other algorithms.
        claimed = [part.strip().partition("=") for part in headers.get("digest", "").split(",")]
        if not any(name.lower() == "sha-256" and value == wanted for name, _, value in claimed):
            raise SignatureError("the Digest does not match the body")
    try:
        signature = base64.b64decode(params["signature"], validate=True)
    except ValueError as error:
        raise SignatureError("the signature is not base64") from error
    text = signing_string(names, method=method, path=path, headers=headers)
    return Signed(key_id=params["keyId"], names=names, signature=signature, text=text)
