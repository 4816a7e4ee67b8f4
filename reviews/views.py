from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
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


class ReviewPreviewView(ReviewDetailView):
    """
    A review that is not public yet, shown to its author and to editors exactly
    as readers will see it: same view code, same template, same context. Anyone
    else gets a 404, so the address does not even confirm the review exists.
    """

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response = super().dispatch(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        return response

    def get_queryset(self):
        reviews = Review.objects.select_related("film", "author")
        if self.request.user.has_perm("reviews.edit_any_review"):
            return reviews
        return reviews.filter(author__user=self.request.user)
