"""
sitemap.xml: the home page, reviews, reviewed films, the people and authors
behind them, and the archives (the archive page, genres, countries, years and
tags with published reviews), each with a ``lastmod``: the newest change to a
published review it lists.

Addresses are absolute on SITE_URL (``links.absolute()``), whatever host the
request came in on.
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from taggit.models import Tag

from core.links import absolute, url
from people.models import AuthorProfile, Person
from reviews.models import Country, Film, Genre, Review


class SiteSitemap(Sitemap):
    """A sitemap whose addresses start with SITE_URL, not the request's host."""

    def get_urls(self, page=1, site=None, protocol=None):
        site_url = urlsplit(absolute("/"))
        site = SimpleNamespace(domain=site_url.netloc, name=site_url.netloc)
        return super().get_urls(page=page, site=site, protocol=site_url.scheme)


def newest(queryset, path):
    """``queryset`` and ``last_review``: its published reviews (at ``path``) last updated."""
    published = Review.objects.published()
    return (
        queryset.filter(**{f"{path}__in": published})
        .annotate(last_review=Max(f"{path}__updated_at"))
        .order_by("pk")
    )


class ReviewSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Review.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class ByLastReview(SiteSitemap):
    def lastmod(self, item):
        return item.last_review


class FilmSitemap(ByLastReview):
    """Films with at least one published review; the others are bare records."""

    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return newest(Film.objects.only("slug"), "reviews")


class PersonSitemap(ByLastReview):
    """People credited on a reviewed film."""

    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return newest(Person.objects.only("slug"), "credits__film__reviews")


class AuthorSitemap(ByLastReview):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return newest(AuthorProfile.objects.only("slug"), "reviews")


class GenreSitemap(ByLastReview):
    changefreq = "weekly"
    priority = 0.3

    def items(self):
        return newest(Genre.objects.only("slug"), "films__reviews")


class CountrySitemap(ByLastReview):
    changefreq = "weekly"
    priority = 0.3

    def items(self):
        return newest(Country.objects.only("slug"), "films__reviews")


class TagSitemap(ByLastReview):
    changefreq = "weekly"
    priority = 0.3

    def items(self):
        return newest(Tag.objects.only("slug"), "review")

    def location(self, item):
        return url("reviews:tag-detail", item.slug)


class YearSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.3

    def items(self):
        return list(
            Review.objects.published()
            .values("film__year")
            .annotate(last_review=Max("updated_at"))
            .order_by("-film__year")
        )

    def location(self, item):
        return url("reviews:year-detail", item["film__year"])

    def lastmod(self, item):
        return item["last_review"]


class PageSitemap(SiteSitemap):
    """The home page and the archive page, changed with the newest review."""

    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["reviews:home", "reviews:archive"]

    def location(self, item):
        return url(item)

    def lastmod(self, item):
        return Review.objects.published().aggregate(last=Max("updated_at"))["last"]


SITEMAPS = {
    "home": PageSitemap,
    "reviews": ReviewSitemap,
    "films": FilmSitemap,
    "people": PersonSitemap,
    "authors": AuthorSitemap,
    "genres": GenreSitemap,
    "countries": CountrySitemap,
    "years": YearSitemap,
    "tags": TagSitemap,
}
