import re

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from core import converters  # noqa: F401 (registers "uslug")
from core.pagecache import public_page
from filmblog import feeds, views
from people.forms import AdminLoginForm

admin.site.site_header = f"{settings.SITE_NAME} editorial desk"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Films, people and reviews"
admin.site.login_form = AdminLoginForm
# The desk's pages need the width: the review list's columns beside its filters at
# 1280 px, the review form's body editor. The desk on the index and the
# breadcrumbs lead everywhere the sidebar did.
admin.site.enable_nav_sidebar = False

feed_patterns = [
    path("rss/", public_page(feeds.LatestReviewsFeed()), name="rss"),
    path("atom/", public_page(feeds.LatestReviewsAtomFeed()), name="atom"),
    path("authors/<slug:slug>/rss/", public_page(feeds.AuthorFeed()), name="author-rss"),
    path("authors/<slug:slug>/atom/", public_page(feeds.AuthorAtomFeed()), name="author-atom"),
    path("tags/<uslug:slug>/rss/", public_page(feeds.TagFeed()), name="tag-rss"),
    path("tags/<uslug:slug>/atom/", public_page(feeds.TagAtomFeed()), name="tag-atom"),
]

handler400 = "filmblog.views.bad_request"
handler500 = "filmblog.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("search/", include("search.urls")),
    path("feeds/", include((feed_patterns, "feeds"))),
    path("sitemap.xml", public_page(views.sitemap_xml), name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("account/", include("people.urls")),
    path("subscribe/", include("subscriptions.urls")),
    path("", include("federation.urls")),
    path("api/", include("api.urls")),
    path("", include("reviews.urls")),
    path("", include("reviews.people_urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.SINGLE_SERVER_MEDIA:
    # static() serves nothing with DEBUG off; one server without object storage
    # serves its uploads this way (settings.SINGLE_SERVER_MEDIA).
    urlpatterns.append(
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )
