"""WSGI entry point: `gunicorn filmblog.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmblog.settings")

application = get_wsgi_application()
