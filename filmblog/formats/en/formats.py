"""
The site's date style for Django's own rendering (the admin, ``|date`` in
Django templates): the formats of core/dates.py, so "23 November 2012, 15:29 UTC"
reads the same on the desk, on the public pages and in e-mails. Input formats
are Django's English ones.
"""

from core.dates import DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT

SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
__all__ = [
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "TIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
]
