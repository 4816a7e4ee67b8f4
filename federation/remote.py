"""
Remote actors: fetched through federation/http.py (no private addresses,
timeouts, size limits), checked, trimmed to what we keep, and remembered in
``RemoteActor`` rows so that their keys need not be fetched on every request.
"""

import re
import unicodedata
from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone

from federation import actors, http, signatures
from federation.models import BlockedDomain, RemoteActor

ACTOR_TYPES = {"Person", "Service", "Application", "Group", "Organization"}
# A key fetched this recently is not fetched again when a signature fails.
REFETCH_AFTER = timedelta(minutes=5)
_TAGS = re.compile(r"<[^>]*>")


class RemoteError(Exception):
    """A remote actor could not be fetched or is not usable."""


class Blocked(RemoteError):
    """The actor's server is blocked."""


def domain_of(url):
    return (urlsplit(url).hostname or "").lower()


def _candidates(domain):
    """The domain and every domain above it: a blocked domain blocks its subdomains too."""
    parts = (domain or "").lower().rstrip(".").split(".")
    return [".".join(parts[i:]) for i in range(len(parts)) if parts[i]]


def is_blocked(domain, blocked=None):
    """Whether ``domain`` is blocked (``blocked``: the set of blocked domains, if loaded)."""
    candidates = _candidates(domain)
    if blocked is not None:
        return any(candidate in blocked for candidate in candidates)
    return bool(candidates) and BlockedDomain.objects.filter(domain__in=candidates).exists()


def blocked_domains():
    return set(BlockedDomain.objects.values_list("domain", flat=True))


def plain(text, limit):
    """Untrusted text as a short plain line: no markup, no control characters."""
    text = _TAGS.sub("", str(text or ""))
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == " ")
    return " ".join(text.split())[:limit]


def _link(value):
    """The first http(s) address in an ActivityStreams link value (string, Link, list)."""
    if isinstance(value, list):
        for item in value:
            found = _link(item)
            if found:
                return found
        return ""
    if isinstance(value, dict):
        value = value.get("href") or value.get("url") or value.get("id")
    if isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) <= 500:
        return value
    return ""


def _signed_get(method, url, body):
    blog = actors.blog_actor()
    return signatures.sign(
        method=method,
        url=url,
        body=body,
        key_id=actors.key_id(blog),
        private_pem=blog.private_key_pem,
    )


def fetch_document(url):
    try:
        return http.get_json(url, sign=_signed_get)
    except http.FetchError as error:
        raise RemoteError(str(error)) from error


def _public_key(document):
    key = document.get("publicKey")
    if isinstance(key, list):
        key = key[0] if key else None
    if not isinstance(key, dict) or not isinstance(key.get("publicKeyPem"), str):
        raise RemoteError("the actor has no public key")
    return key


def store(document, *, fetched_from):
    """Check an actor document and keep what we need of it."""
    if not isinstance(document, dict) or document.get("type") not in ACTOR_TYPES:
        raise RemoteError("the document is not an actor")
    actor_url = document.get("id")
    if not isinstance(actor_url, str) or domain_of(actor_url) != domain_of(fetched_from):
        raise RemoteError("the actor's id is not on the server it came from")
    domain = domain_of(actor_url)
    if is_blocked(domain):
        raise Blocked(f"{domain} is blocked")
    key = _public_key(document)
    key_id = key.get("id") or actor_url + "#main-key"
    if key.get("owner", actor_url) != actor_url or domain_of(key_id) != domain:
        raise RemoteError("the key does not belong to the actor")
    inbox = _link(document.get("inbox"))
    endpoints = document.get("endpoints")
    shared = _link(endpoints.get("sharedInbox")) if isinstance(endpoints, dict) else ""
    if not inbox:
        raise RemoteError("the actor has no inbox")
    remote, _ = RemoteActor.objects.update_or_create(
        url=actor_url[:500],
        defaults={
            "key_id": key_id[:500],
            "public_key_pem": key["publicKeyPem"][:10_000],
            "inbox": inbox,
            "shared_inbox": shared,
            "username": plain(document.get("preferredUsername"), 100),
            "name": plain(document.get("name"), 200),
            "profile_url": _link(document.get("url")) or actor_url[:500],
            "domain": domain,
            "fetched_at": timezone.now(),
        },
    )
    return remote


def fetch_actor(url):
    """Fetch (again) the actor at ``url`` and keep it."""
    if is_blocked(domain_of(url)):
        raise Blocked(f"{domain_of(url)} is blocked")
    return store(fetch_document(url), fetched_from=url)


def actor(url, *, refresh=False):
    """The remote actor ``url``, from our rows or fetched."""
    known = None if refresh else RemoteActor.objects.filter(url=url).first()
    return known or fetch_actor(url)


def for_key(key_id, *, refresh=False):
    """The remote actor that signs with ``key_id``, fetched when unknown (or ``refresh``)."""
    if not refresh:
        known = RemoteActor.objects.filter(key_id=key_id).first()
        if known:
            return known
    if is_blocked(domain_of(key_id)):
        raise Blocked(f"{domain_of(key_id)} is blocked")
    url = key_id.split("#")[0]
    document = fetch_document(url)
    if isinstance(document, dict) and document.get("type") not in ACTOR_TYPES:
        owner = document.get("owner")
        if not isinstance(owner, str) or domain_of(owner) != domain_of(url):
            raise RemoteError("the key names no actor")
        return fetch_actor(owner)
    return store(document, fetched_from=url)


def can_refetch(remote):
    return remote.fetched_at < timezone.now() - REFETCH_AFTER
