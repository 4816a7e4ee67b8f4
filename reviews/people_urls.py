"""
The person and author pages keep their ``people:`` names (they show people),
but their views read credits and reviews, which the people app may not import,
so they live in reviews/people_views.py.
"""

from django.urls import path

from reviews import people_views as views

app_name = "people"

urlpatterns = [
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("authors/<slug:slug>/", views.author_detail, name="author-detail"),
]
