from django.urls import path

from core import converters  # noqa: F401 (registers "uslug")
from reviews import reader_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.home, name="home"),
    path("reviews/<slug:slug>/", views.review_detail, name="review-detail"),
    path("reviews/<slug:slug>/preview/", views.review_preview, name="review-preview"),
    path("reviews/<slug:slug>/comments/", reader_views.comment_create, name="comment-create"),
    path("reviews/<slug:slug>/rating/", reader_views.rating_create, name="rating-create"),
    path("reviews/<slug:slug>/like/", reader_views.like_toggle, name="like-toggle"),
    path("reviews/<slug:slug>/mine/", reader_views.mine, name="review-mine"),
    path("films/<slug:slug>/", views.film_detail, name="film-detail"),
    path("archive/", views.archive, name="archive"),
    path("genres/<slug:slug>/", views.genre_detail, name="genre-detail"),
    path("countries/<slug:slug>/", views.country_detail, name="country-detail"),
    path("tags/<uslug:slug>/", views.tag_detail, name="tag-detail"),
    path("years/<int:year>/", views.year_detail, name="year-detail"),
    path("suggest/films/", views.film_suggestions, name="suggest-films"),
    path("suggest/directors/", views.director_suggestions, name="suggest-directors"),
]
