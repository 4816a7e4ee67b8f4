"""
The public pages of people and authors. They read credits and reviews, so they
live here rather than in the people app, which never imports reviews.
"""

from django.shortcuts import get_object_or_404, render

from core.pagecache import list_tag, public_page, shows, tag
from people.models import AuthorProfile, Person
from reviews import pagetags
from reviews.models import Credit, Film, Review, favourite_slugs
from reviews.views import paginate


@public_page
def person_detail(request, slug):
    """A person: filmography grouped by role, and the published reviews of their films."""
    person = get_object_or_404(Person, slug=slug)
    films = Film.objects.filter(credits__person=person)
    reviews = Review.objects.published().filter(film__in=films)
    # The latest review of each film, for a "Read our review" link in the filmography.
    latest = {r.film_id: r for r in reviews.only("slug", "film_id").order_by("published_at")}
    groups = {}
    credits = person.credits.select_related("film").order_by("-film__year", "film__title")
    for credit in credits:
        credit.review = latest.get(credit.film_id)
        groups.setdefault(credit.role, []).append(credit)
    filmography = [(role.label, groups[role]) for role in Credit.Role if role in groups]
    page = paginate(request, reviews.for_cards())
    shows(tag("person", person.pk), list_tag("person", person.pk))
    shows(*(tag("film", credit.film_id, "card") for credit in credits))
    pagetags.show_cards(page.object_list)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "filmography": filmography,
            "page_obj": page,
        },
    )


@public_page
def author_detail(request, slug):
    """An author: photo, bio, favourites, links and their published reviews."""
    authors = AuthorProfile.objects.annotate(**favourite_slugs()).prefetch_related("links")
    author = get_object_or_404(authors, slug=slug)
    page = paginate(request, Review.objects.published().filter(author=author).for_cards())
    shows(tag("author", author.pk), list_tag("author", author.pk))
    pagetags.show_cards(page.object_list)
    return render(request, "people/author_detail.html", {"author": author, "page_obj": page})
