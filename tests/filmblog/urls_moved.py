"""The site's URLs under /moved/, for tests/filmblog/test_links.py."""

from django.urls import include, path

urlpatterns = [path("moved/", include("filmblog.urls"))]
