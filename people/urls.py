from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author-detail"),
]
