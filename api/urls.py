from django.urls import path, re_path

from api.endpoints import api
from api.errors import error_response


def unknown(request, rest=""):
    return error_response(404, "No such endpoint: the API's endpoints are at /api/v1/docs/.")


urlpatterns = [
    path("v1/", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown),
]
