"""
filmblog as the load run serves it, plus one page for measuring a ceiling:
the review page rendered from objects loaded once (see urls.py).
"""

from filmblog.settings import *  # noqa: F403

ROOT_URLCONF = "bench.nodb.urls"
