from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from people.models import AuthorProfile
from reviews.models import Film, Review


class ReviewSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Review.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class FilmSitemap(Sitemap):
    """Films with at least one published review; the others are bare records."""

    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return (
            Film.objects.filter(reviews__in=Review.objects.published())
            .annotate(last_review=Max("reviews__updated_at"))
            .only("slug")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.last_review


class AuthorSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return (
            AuthorProfile.objects.filter(reviews__in=Review.objects.published())
            .distinct()
            .only("slug")
            .order_by("pk")
        )


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["reviews:home"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "home": HomeSitemap,
    "reviews": ReviewSitemap,
    "films": FilmSitemap,
    "authors": AuthorSitemap,
}
