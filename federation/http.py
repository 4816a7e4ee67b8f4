"""
Talking to other servers without being turned against our own network.

Every outgoing request (fetching an actor, a WebFinger lookup, a delivery)
goes through ``request()``: the host's addresses are resolved once and
refused when any of them is private, loopback, link-local or otherwise not on
the public internet, and the connection goes to the address that was checked,
so a DNS answer that changes between the check and the connection cannot
point it inward. Plain http is refused too. Timeouts bound each step and
bodies are read up to a size limit. ``FEDERATION_ALLOW_PRIVATE_ADDRESSES``
lifts the address and scheme checks, for a test against a peer on this machine.
"""

import http.client
import ipaddress
import json
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

USER_AGENT = "filmblog (ActivityPub)"
ACTIVITY_JSON = "application/activity+json"
ACCEPT_ACTIVITY = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
MAX_REDIRECTS = 3


class FetchError(Exception):
    """The remote server could not be reached, refused, or sent something unusable."""

    def __init__(self, message, *, status=None, temporary=True):
        super().__init__(message)
        self.status = status
        self.temporary = temporary


class ForbiddenAddress(FetchError):
    def __init__(self, message):
        super().__init__(message, temporary=False)


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    url: str

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise FetchError(f"{self.url} sent something that is not JSON") from error


def _allowed(address):
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(url):
    """(scheme, host, port, address to connect to) for ``url``, refusing inward addresses."""
    parts = urlsplit(url)
    allow_private = settings.FEDERATION_ALLOW_PRIVATE_ADDRESSES
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise ForbiddenAddress(f"only https addresses are fetched, not {url!r}")
    host = parts.hostname
    if not host:
        raise ForbiddenAddress(f"{url!r} has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise ForbiddenAddress(f"{url!r} has a bad port") from error
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(f"{host} cannot be resolved: {error}") from error
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchError(f"{host} has no address")
    if not allow_private and not all(_allowed(address) for address in addresses):
        raise ForbiddenAddress(f"{host} points to a private or local address")
    return parts.scheme, host, port, addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def request(method, url, *, headers=None, body=None, timeout=None, max_bytes=None, sign=None):
    """
    One HTTP request; GETs follow up to three redirects, each checked again.
    ``sign(method, url, body)`` returns the signature headers for each hop.
    """
    timeout = timeout or settings.FEDERATION_FETCH_TIMEOUT
    max_bytes = max_bytes or settings.FEDERATION_FETCH_MAX_BYTES
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, address = resolve(url)
        connection_class = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
        connection = connection_class(host, port, address, timeout)
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = {"User-Agent": USER_AGENT, **(headers or {})}
        if sign is not None:
            sent.update(sign(method, url, body))
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            status = response.status
            received = {name.lower(): value for name, value in response.getheaders()}
            length = received.get("content-length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"{url} sent more than {max_bytes} bytes", temporary=False)
            data = response.read(max_bytes + 1)
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(f"{url} could not be reached: {error!r}") from error
        finally:
            connection.close()
        if len(data) > max_bytes:
            raise FetchError(f"{url} sent more than {max_bytes} bytes", temporary=False)
        if method == "GET" and status in {301, 302, 303, 307, 308} and received.get("location"):
            url = urljoin(url, received["location"])
            continue
        return Response(status=status, headers=received, body=data, url=url)
    raise FetchError(f"{url} redirected too many times", temporary=False)


def well_known(host, path_and_query):
    """Where to ask ``host`` for a well-known document: https, and http where allowed."""
    urls = [f"https://{host}{path_and_query}"]
    if settings.FEDERATION_ALLOW_PRIVATE_ADDRESSES:
        urls.append(f"http://{host}{path_and_query}")
    return urls


def get_json(url, *, accept=ACCEPT_ACTIVITY, sign=None):
    """A JSON document from ``url``; FetchError unless it answers 200 with JSON."""
    response = request("GET", url, headers={"Accept": accept}, sign=sign)
    if response.status != 200:
        raise FetchError(
            f"{url} answered {response.status}",
            status=response.status,
            temporary=response.status >= 500 or response.status == 429,
        )
    return response.json()
