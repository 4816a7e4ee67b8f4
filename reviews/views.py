from django.shortcuts import render
from django.views.generic import DetailView

from reviews.models import Country, Film, Genre, Review


def home(request):
    """The latest published reviews."""
    reviews = Review.objects.published().select_related("film", "author")[:20]
    return render(request, "reviews/home.html", {"reviews": reviews})


class FilmDetailView(DetailView):
    model = Film


class ReviewDetailView(DetailView):
    def get_queryset(self):
        return Review.objects.published().select_related("film", "author")


class GenreDetailView(DetailView):
    model = Genre


class CountryDetailView(DetailView):
    model = Country
