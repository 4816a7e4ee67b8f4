"""
The person and author pages keep their ``people:`` names, but their views read
credits and reviews, which the people app may not import; they live here.
"""

from django.urls import path

from filmblog import views

app_name = "people"

urlpatterns = [
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("authors/<slug:slug>/", views.author_detail, name="author-detail"),
]
