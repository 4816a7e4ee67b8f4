"""
JSON over HTTP for the sources, with bounded retries.

A timeout, a refused connection, a 429 or a 5xx is retried a few times, waiting
as the source asks (``Retry-After``) within a ceiling; anything else, and an
answer that is not JSON, stops at once. Every failure is a ``SourceError``
whose message an editor can act on.
"""

import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT_SECONDS = 10
# Waits before the second and third attempts; Retry-After is honoured up to MAX_WAIT.
RETRY_WAITS = (1.0, 3.0)
MAX_WAIT = 10.0
USER_AGENT = "filmblog-import/1.0 (https://github.com/filmblog)"


class SourceError(Exception):
    """A source could not answer; the message says what happened and what to do."""


class NotFound(SourceError):
    """The source does not know the record asked for (HTTP 404)."""


def _wait_for(error, attempt):
    retry_after = error.headers.get("Retry-After") if error.headers else None
    try:
        return min(float(retry_after), MAX_WAIT)
    except (TypeError, ValueError):
        return RETRY_WAITS[attempt]


def get(url, *, params=None, headers=None, source="The source", binary=False):
    """The decoded JSON (or the bytes, with ``binary``) at ``url``; raises SourceError."""
    if params:
        url = f"{url}?{urllib.parse.urlencode(params)}"
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    attempts = len(RETRY_WAITS) + 1
    for attempt in range(attempts):
        last = attempt == attempts - 1
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            if error.code == 429 or error.code >= 500:
                if last:
                    what = "is rate-limiting us" if error.code == 429 else "is failing"
                    raise SourceError(
                        f"{source} {what} (HTTP {error.code}) and still was after "
                        f"{attempts} tries. Nothing was imported; try again in a minute."
                    ) from error
                time.sleep(_wait_for(error, attempt))
                continue
            error_class = NotFound if error.code == 404 else SourceError
            raise error_class(_client_error(source, error)) from error
        except (TimeoutError, urllib.error.URLError, ConnectionError) as error:
            if last:
                raise SourceError(
                    f"{source} did not answer ({_reason(error)}) after {attempts} tries. "
                    "Nothing was imported; try again later."
                ) from error
            time.sleep(RETRY_WAITS[attempt])
            continue
        if binary:
            return body
        try:
            return json.loads(body)
        except ValueError as error:
            raise SourceError(
                f"{source} answered with something that is not JSON. Nothing was imported."
            ) from error
    raise AssertionError("unreachable")


def _reason(error):
    reason = getattr(error, "reason", error)
    return "timed out" if isinstance(reason, TimeoutError | socket.timeout) else str(reason)


def _client_error(source, error):
    try:
        detail = json.loads(error.read())
    except ValueError:
        detail = {}
    message = ""
    if isinstance(detail, dict):
        message = detail.get("status_message") or (detail.get("error") or {}).get("info", "")
    if error.code == 401:
        return f"{source} refused our credentials (HTTP 401): {message or 'check the token'}."
    if error.code == 404:
        return f"{source} does not know this record (HTTP 404)."
    return f"{source} refused the request (HTTP {error.code}){': ' + message if message else ''}."
