"""
The one way the site writes dates and times, for readers, in e-mails, in the
admin and for machines.

- ``long_date``: "23 November 2012" (pages and e-mails);
- ``time_of_day``: "15:29 CET", always with the site's time zone;
- ``date_and_time``: "23 November 2012, 15:29 CET";
- ``machine``: the value of ``<time datetime>``, Open Graph and JSON-LD: ISO
  8601 to the second ("2026-12-07T16:19:06+00:00"), which validators accept.

Aware datetimes are shown in the site's time zone (``TIME_ZONE``); plain dates
as they are. The admin writes its dates in the same style: the format strings
below are also its formats (``filmblog/formats/en/formats.py``).
"""

import datetime

from django.utils import dateformat, timezone

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i T"
DATETIME_FORMAT = f"{DATE_FORMAT}, {TIME_FORMAT}"


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def long_date(value):
    """ "23 November 2012"; an empty string for None."""
    if value in (None, ""):
        return ""
    return dateformat.format(_local(value), DATE_FORMAT)


def time_of_day(value):
    """ "15:29 CET": the hour in the site's time zone, with the zone's name."""
    if value in (None, ""):
        return ""
    return dateformat.format(_local(value), TIME_FORMAT).strip()


def date_and_time(value):
    """ "23 November 2012, 15:29 CET"; a plain date is written as ``long_date``."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.datetime):
        return long_date(value)
    return f"{long_date(value)}, {time_of_day(value)}"


def machine(value):
    """ISO 8601 to the second, with the offset: valid in ``<time datetime>``."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        return _local(value).replace(microsecond=0).isoformat()
    return value.isoformat()


def site_time_zone():
    """The site's time zone as the admin names it beside a time field: "UTC", "Europe/Paris"."""
    return timezone.get_current_timezone_name()
