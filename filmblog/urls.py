from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.SITE_NAME} editorial desk"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Films, people and reviews"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("subscribe/", include("filmblog.subscription_urls")),
    path("", include("reviews.urls")),
    path("", include("people.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
