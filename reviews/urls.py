from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.home, name="home"),
    path("reviews/<slug:slug>/", views.review_detail, name="review-detail"),
    path("reviews/<slug:slug>/preview/", views.review_preview, name="review-preview"),
    path("films/<slug:slug>/", views.film_detail, name="film-detail"),
    path("archive/", views.archive, name="archive"),
    path("genres/<slug:slug>/", views.genre_detail, name="genre-detail"),
    path("countries/<slug:slug>/", views.country_detail, name="country-detail"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag-detail"),
    path("years/<int:year>/", views.year_detail, name="year-detail"),
]
