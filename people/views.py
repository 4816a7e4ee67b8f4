from django.views.generic import DetailView

from people.models import AuthorProfile, Person


class PersonDetailView(DetailView):
    model = Person


class AuthorDetailView(DetailView):
    model = AuthorProfile
    template_name = "people/author_detail.html"
