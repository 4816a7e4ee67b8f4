"""The production server's access log never shows an API key sent in the address."""

import datetime
import logging
from types import SimpleNamespace

from gunicorn.config import Config

from filmblog.accesslog import AccessLogger, hide_keys

KEY = "fb_2Hq8sS0mJX0lVt4fJd3n1u6kq9o0aZpLr5WcY7bEe1Q"


def test_keys_in_an_address_are_hidden_and_the_rest_is_kept():
    assert hide_keys(f"GET /api/v1/reviews/?key={KEY}&limit=5 HTTP/1.1") == (
        "GET /api/v1/reviews/?key=[hidden]&limit=5 HTTP/1.1"
    )
    assert hide_keys(f"limit=5&key={KEY}") == "limit=5&key=[hidden]"
    assert hide_keys(f"key={KEY}") == "key=[hidden]"
    # Other parameters that end in "key" are not keys.
    assert hide_keys("monkey=1&q=key") == "monkey=1&q=key"
    assert hide_keys("/search/?q=night") == "/search/?q=night"


def test_the_access_log_line_hides_the_key(caplog):
    config = Config()
    config.set("accesslog", "-")
    logger = AccessLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/api/v1/reviews/?key={KEY}&limit=5",
        "PATH_INFO": "/api/v1/reviews/",
        "QUERY_STRING": f"key={KEY}&limit=5",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://festival.example/schedule/?key={KEY}",
    }
    response = SimpleNamespace(status="200 OK", sent=42, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger.access_log.propagate = True
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        logger.access(response, request, environ, datetime.timedelta(milliseconds=3))
    line = caplog.text
    assert "/api/v1/reviews/?key=[hidden]&limit=5" in line
    assert "schedule/?key=[hidden]" in line
    assert KEY not in line
