from django.urls import path

from federation import views

app_name = "federation"

urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="webfinger"),
    path(".well-known/nodeinfo", views.nodeinfo_links, name="nodeinfo-links"),
    path("nodeinfo/2.1", views.nodeinfo, name="nodeinfo"),
    path("ap/inbox/", views.inbox, {"shared": True}, name="shared-inbox"),
    path("ap/follow/", views.remote_follow, name="remote-follow"),
    path("ap/reviews/<int:pk>/", views.review_object, name="review"),
    path("ap/activities/<uuid:uuid>/", views.activity, name="activity"),
    path("ap/blog/", views.actor, name="blog-actor"),
    path("ap/blog/inbox/", views.inbox, name="blog-inbox"),
    path("ap/blog/outbox/", views.outbox, name="blog-outbox"),
    path("ap/blog/followers/", views.followers, name="blog-followers"),
    path("ap/blog/following/", views.following, name="blog-following"),
    path("ap/authors/<slug:slug>/", views.actor, name="author-actor"),
    path("ap/authors/<slug:slug>/inbox/", views.inbox, name="author-inbox"),
    path("ap/authors/<slug:slug>/outbox/", views.outbox, name="author-outbox"),
    path("ap/authors/<slug:slug>/followers/", views.followers, name="author-followers"),
    path("ap/authors/<slug:slug>/following/", views.following, name="author-following"),
]
