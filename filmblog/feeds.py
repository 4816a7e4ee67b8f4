"""RSS 2.0 and Atom feeds of published reviews: the whole site, one author, one tag."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from taggit.models import Tag

from people.models import AuthorProfile
from reviews.models import Review

FEED_LENGTH = 20


class LatestReviewsFeed(Feed):
    feed_type = Rss201rev2Feed
    description_template = None

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: latest reviews"

    def link(self, obj=None):
        return reverse("reviews:home")

    def description(self, obj=None):
        return f"New film reviews from {settings.SITE_NAME}."

    def reviews(self, obj):
        return Review.objects.published()

    def items(self, obj=None):
        return self.reviews(obj).for_cards()[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item.headline} — {item.film}"

    def item_description(self, item):
        return item.standfirst or item.film.synopsis

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.display_name

    def item_author_link(self, item):
        return f"{settings.SITE_URL}{item.author.get_absolute_url()}"

    def item_guid(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    item_guid_is_permalink = True


class LatestReviewsAtomFeed(LatestReviewsFeed):
    feed_type = Atom1Feed
    subtitle = LatestReviewsFeed.description


class AuthorFeed(LatestReviewsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(AuthorProfile, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: reviews by {obj.display_name}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return f"Film reviews by {obj.display_name} on {settings.SITE_NAME}."

    def reviews(self, obj):
        return Review.objects.published().filter(author=obj)


class AuthorAtomFeed(AuthorFeed):
    feed_type = Atom1Feed
    subtitle = AuthorFeed.description


class TagFeed(LatestReviewsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: reviews tagged “{obj.name}”"

    def link(self, obj=None):
        return reverse("reviews:tag-detail", kwargs={"slug": obj.slug})

    def description(self, obj=None):
        return f"Film reviews tagged {obj.name} on {settings.SITE_NAME}."

    def reviews(self, obj):
        return Review.objects.published().filter(tags=obj)


class TagAtomFeed(TagFeed):
    feed_type = Atom1Feed
    subtitle = TagFeed.description
