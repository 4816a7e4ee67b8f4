"""
RSS 2.0 and Atom feeds of published reviews: the whole site, one author, one tag.

Each item is the whole review: its image (the hero image in its own shape,
else the film's poster), the standfirst and the body as feed readers can show
it (``reviews.body_html.syndicated_body``: plain pictures, a link for each
trailer, spoilers marked rather than revealed), with the tags and the film's
genres as categories. Every address is absolute on SITE_URL
(``links.absolute()``), never the request's host.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import format_html
from taggit.models import Tag

from core.links import absolute, url
from core.pagecache import list_tag, shows, tag
from core.renditions import rendition
from people.models import AuthorProfile
from reviews import pagetags
from reviews.body_html import syndicated_body
from reviews.models import Review

FEED_LENGTH = 20


def channel_image():
    return absolute(static("img/feed-icon.png"))


class RssWithImage(Rss201rev2Feed):
    """RSS 2.0 with the channel's ``<image>``."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        handler.startElement("image", {})
        handler.addQuickElement("url", self.feed["image"])
        handler.addQuickElement("title", self.feed["title"])
        handler.addQuickElement("link", self.feed["link"])
        handler.endElement("image")


class AtomWithLogo(Atom1Feed):
    """Atom with the feed's ``<icon>`` and ``<logo>``."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        handler.addQuickElement("icon", self.feed["image"])
        handler.addQuickElement("logo", self.feed["image"])


class LatestReviewsFeed(Feed):
    feed_type = RssWithImage
    description_template = None
    route = "feeds:rss"

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: latest reviews"

    def link(self, obj=None):
        return absolute(url("reviews:home"))

    def feed_url(self, obj=None):
        return absolute(url(self.route, obj.slug) if obj is not None else url(self.route))

    def feed_extra_kwargs(self, obj):
        return {"image": channel_image()}

    def description(self, obj=None):
        return f"New film reviews from {settings.SITE_NAME}."

    def reviews(self, obj):
        return Review.objects.published()

    def list_tags(self, obj):
        """The page-cache tags of the list this feed is (reviews/pagetags.py)."""
        return [list_tag("feed")]

    def items(self, obj=None):
        items = list(
            self.reviews(obj)
            .select_related("film", "author")
            .prefetch_related("tags", "film__genres")
            .order_by("-published_at")[:FEED_LENGTH]
        )
        shows(*self.list_tags(obj))
        pagetags.show_feed_items(items)
        # Without a standfirst, the summary is the film's synopsis.
        shows(*(tag("film", item.film_id) for item in items if not item.standfirst))
        return items

    def item_title(self, item):
        """The headline, with the film's title only when the headline does not name it."""
        if item.film.title.casefold() in item.headline.casefold():
            return item.headline
        return f"{item.headline} — {item.film}"

    def item_description(self, item):
        image = rendition(item.hero_image, "feed") or rendition(item.film.poster, "card")
        alt = item.hero_image_alt if item.hero_image else f"Poster of {item.film.title}"
        parts = []
        if image:
            parts.append(
                format_html(
                    '<p><img src="{}" width="{}" height="{}" alt="{}"></p>',
                    absolute(image.url),
                    image.width,
                    image.height,
                    alt,
                )
            )
        summary = item.standfirst or item.film.synopsis
        if summary:
            parts.append(format_html("<p><strong>{}</strong></p>", summary))
        if item.body:
            parts.append(syndicated_body(item.body, self.item_link(item)))
        parts.append(format_html('<p><a href="{}">Read the review</a></p>', self.item_link(item)))
        return "\n".join(parts)

    def item_categories(self, item):
        names = [tag.name for tag in item.tags.all()]
        names += [genre.name for genre in item.film.genres.all() if genre.name not in names]
        return names

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.display_name

    def item_author_link(self, item):
        return absolute(item.author.get_absolute_url())

    def item_guid(self, item):
        return absolute(item.get_absolute_url())

    item_guid_is_permalink = True


class LatestReviewsAtomFeed(LatestReviewsFeed):
    feed_type = AtomWithLogo
    route = "feeds:atom"
    subtitle = LatestReviewsFeed.description


class AuthorFeed(LatestReviewsFeed):
    route = "feeds:author-rss"

    def get_object(self, request, slug):
        return get_object_or_404(AuthorProfile, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: reviews by {obj.display_name}"

    def link(self, obj=None):
        return absolute(obj.get_absolute_url())

    def description(self, obj=None):
        return f"Film reviews by {obj.display_name} on {settings.SITE_NAME}."

    def reviews(self, obj):
        return Review.objects.published().filter(author=obj)

    def list_tags(self, obj):
        return [list_tag("author", obj.pk), tag("author", obj.pk, "card")]


class AuthorAtomFeed(AuthorFeed):
    feed_type = AtomWithLogo
    route = "feeds:author-atom"
    subtitle = AuthorFeed.description


class TagFeed(LatestReviewsFeed):
    route = "feeds:tag-rss"

    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: reviews tagged “{obj.name}”"

    def link(self, obj=None):
        return absolute(url("reviews:tag-detail", obj.slug))

    def description(self, obj=None):
        return f"Film reviews tagged {obj.name} on {settings.SITE_NAME}."

    def reviews(self, obj):
        return Review.objects.published().filter(tags=obj)

    def list_tags(self, obj):
        return [list_tag("tag", obj.pk), tag("tag", obj.pk)]


class TagAtomFeed(TagFeed):
    feed_type = AtomWithLogo
    route = "feeds:tag-atom"
    subtitle = TagFeed.description
