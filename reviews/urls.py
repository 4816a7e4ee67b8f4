from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.home, name="home"),
    path("films/<slug:slug>/", views.FilmDetailView.as_view(), name="film-detail"),
    path("reviews/<slug:slug>/", views.ReviewDetailView.as_view(), name="review-detail"),
    path("reviews/<slug:slug>/preview/", views.ReviewPreviewView.as_view(), name="review-preview"),
    path("genres/<slug:slug>/", views.GenreDetailView.as_view(), name="genre-detail"),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="country-detail"),
]
