"""
gunicorn's access log without API keys. A client may send its key in the
address (``/api/v1/reviews/?key=fb_…``); the log line shows ``key=[hidden]``
in its place, so that whoever reads the logs cannot use the key.
(filmblog/gunicorn.conf.py names this class as the logger.)
"""

import re

from gunicorn.glogging import Logger

# A key= parameter: at the start of a query string or after ? or &.
KEY = re.compile(r"(?:(?<=[?&])|^)key=[^&\s]*")
HIDDEN = "key=[hidden]"


def hide_keys(text):
    return KEY.sub(HIDDEN, text) if text and "key=" in text else text


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # The request line, the query string, and the page the request came from.
        for name in ("r", "q", "f", "{referer}i"):
            if name in atoms:
                atoms[name] = hide_keys(atoms[name])
        return atoms
