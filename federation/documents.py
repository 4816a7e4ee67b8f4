"""
The JSON documents other servers read: WebFinger, NodeInfo, actors, their
collections, and a review as an ActivityStreams ``Article``.
"""

import hashlib
import json
import re
from decimal import Decimal

import nh3
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import escape

from core import links
from core.renditions import rendition
from federation import actors
from federation.models import LocalActor

AS_PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
CONTEXT = [
    AS_CONTEXT,
    "https://w3id.org/security/v1",
    {
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "toot": "http://joinmastodon.org/ns#",
        "discoverable": "toot:discoverable",
        "Hashtag": "as:Hashtag",
        "schema": "http://schema.org#",
        "reviewRating": "schema:reviewRating",
        "itemReviewed": "schema:itemReviewed",
        "ratingValue": "schema:ratingValue",
        "bestRating": "schema:bestRating",
        "worstRating": "schema:worstRating",
    },
]
NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.1"
# What an Article's content may hold: the review body's own markup and links.
CONTENT_TAGS = {
    "p", "br", "strong", "b", "em", "i", "s", "h2", "h3", "ul", "ol", "li",
    "blockquote", "hr", "a", "span",
}  # fmt: skip
CONTENT_ATTRIBUTES = {"a": {"href", "class", "rel"}, "span": {"class"}}


def webfinger(actor):
    profile = links.absolute(profile_path(actor))
    return {
        "subject": f"acct:{actors.username(actor)}@{actors.host()}",
        "aliases": [actors.actor_id(actor), profile],
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": actors.actor_id(actor)},
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": profile},
        ],
    }


def nodeinfo_links():
    return {
        "links": [
            {"rel": NODEINFO_SCHEMA, "href": links.absolute(links.url("federation:nodeinfo"))}
        ]
    }


def nodeinfo(*, authors, reviews, comments):
    return {
        "version": "2.1",
        "software": {
            "name": "filmblog",
            "version": "0.1.0",
            "homepage": settings.SITE_URL,
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["rss2.0", "atom1.0"]},
        "openRegistrations": False,
        "usage": {"users": {"total": authors}, "localPosts": reviews, "localComments": comments},
        "metadata": {"nodeName": settings.FEDERATION_BLOG_NAME},
    }


def profile_path(actor):
    if actor.kind == LocalActor.Kind.BLOG:
        return links.url("reviews:home")
    return actor.author.get_absolute_url()


def _icon(actor):
    if actor.kind == LocalActor.Kind.AUTHOR:
        photo = rendition(actor.author.photo, "portrait")
        if photo:
            return {"type": "Image", "mediaType": "image/jpeg", "url": links.absolute(photo.url)}
        return None
    return {
        "type": "Image",
        "mediaType": "image/png",
        "url": links.absolute(static("img/site-card.png")),
    }


def actor_document(actor):
    """The actor as other servers read it: who, where to send, and the key to check."""
    author = actor.author
    if actor.kind == LocalActor.Kind.BLOG:
        kind, name, summary = (
            "Organization",
            settings.FEDERATION_BLOG_NAME,
            (settings.FEDERATION_BLOG_SUMMARY),
        )
    else:
        kind, name = "Person", author.display_name
        summary = author.bio or f"Film reviews by {author.display_name} on {settings.SITE_NAME}."
    document = {
        "@context": CONTEXT,
        "id": actors.actor_id(actor),
        "type": kind,
        "preferredUsername": actors.username(actor),
        "name": name,
        "summary": f"<p>{escape(summary)}</p>",
        "url": links.absolute(profile_path(actor)),
        "inbox": actors.actor_id(actor, "inbox"),
        "outbox": actors.actor_id(actor, "outbox"),
        "followers": actors.actor_id(actor, "followers"),
        "following": actors.actor_id(actor, "following"),
        "endpoints": {"sharedInbox": links.absolute(links.url("federation:shared-inbox"))},
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "published": actor.created_at.isoformat(),
        "publicKey": {
            "id": actors.key_id(actor),
            "owner": actors.actor_id(actor),
            "publicKeyPem": actor.public_key_pem,
        },
    }
    icon = _icon(actor)
    if icon:
        document["icon"] = icon
    return document


def collection(url, total, items=None, *, ordered=True, first=None):
    document = {
        "@context": AS_CONTEXT,
        "id": url,
        "type": "OrderedCollection" if ordered else "Collection",
        "totalItems": total,
    }
    if items is not None:
        document["orderedItems" if ordered else "items"] = items
    if first:
        document["first"] = first
    return document


def article_id(review_id):
    return links.absolute(links.url("federation:review", review_id))


def hashtag_name(text):
    """#LeFilsDeSaul from "Le Fils de Saul": words run together, each capitalised."""
    words = re.findall(r"\w+", text)
    return "#" + "".join(word[:1].upper() + word[1:] for word in words)


def hashtags(review):
    """[(name, archive address)] for the film, its directors, its genres and the review's tags."""
    film = review.film
    found = [(film.title, film.get_absolute_url())]
    found += [(person.name, person.get_absolute_url()) for person in film.directors]
    found += [(genre.name, genre.get_absolute_url()) for genre in film.genres.all()]
    found += [(tag.name, links.url("reviews:tag-detail", tag.slug)) for tag in review.tags.all()]
    seen, tags = set(), []
    for text, address in found:
        name = hashtag_name(text)
        if len(name) > 1 and name.lower() not in seen:
            seen.add(name.lower())
            tags.append((name, links.absolute(address)))
    return tags


def stars(rating):
    whole = int(rating)
    return "★" * whole + ("½" if rating % 1 else "")


def _content(review, tags):
    film = review.film
    directors = ", ".join(person.name for person in film.directors)
    lead = f"<strong>{escape(film.title)}</strong> ({film.year})"
    if directors:
        lead += f", directed by {escape(directors)}"
    parts = [f"<p>{lead}</p>"]
    if review.rating is not None:
        value = f"{Decimal(review.rating).normalize():f}"
        parts.append(f"<p>Rating: {stars(review.rating) or 'no stars'} ({value}/5)</p>")
    parts.append(review.body or "")
    page = links.absolute(review.get_absolute_url())
    parts.append(f'<p><a href="{escape(page)}">Read it on {escape(settings.SITE_NAME)}</a></p>')
    parts.append(
        "<p>"
        + " ".join(
            f'<a href="{escape(address)}" class="mention hashtag" rel="tag">'
            f"#<span>{escape(name[1:])}</span></a>"
            for name, address in tags
        )
        + "</p>"
    )
    html = "".join(parts)
    return nh3.clean(
        html,
        tags=CONTENT_TAGS,
        attributes=CONTENT_ATTRIBUTES,
        link_rel=None,
        url_schemes={"http", "https"},
    )


def article(review, *, author_actor, blog_actor):
    """The review as an ``Article``: whole, with its rating, hero image and hashtags."""
    tags = hashtags(review)
    page = links.absolute(review.get_absolute_url())
    document = {
        "id": article_id(review.pk),
        "type": "Article",
        "name": review.headline,
        "url": page,
        "attributedTo": actors.actor_id(author_actor),
        "published": review.published_at.isoformat(),
        "to": [AS_PUBLIC],
        "cc": [
            actors.actor_id(author_actor, "followers"),
            actors.actor_id(blog_actor, "followers"),
        ],
        "summary": escape(review.standfirst) if review.standfirst else None,
        "content": _content(review, tags),
        "mediaType": "text/html",
        "tag": [{"type": "Hashtag", "name": name, "href": address} for name, address in tags],
        "attachment": [],
        "itemReviewed": {
            "type": "schema:Movie",
            "name": review.film.title,
            "url": links.absolute(review.film.get_absolute_url()),
        },
    }
    if review.rating is not None:
        document["reviewRating"] = {
            "type": "schema:Rating",
            "ratingValue": f"{Decimal(review.rating).normalize():f}",
            "bestRating": "5",
            "worstRating": "0",
        }
    hero = rendition(review.hero_image, "hero")
    if hero:
        document["image"] = {"type": "Image", "url": links.absolute(hero.url)}
        document["attachment"].append(
            {
                "type": "Image",
                "mediaType": "image/jpeg",
                "url": links.absolute(hero.url),
                "name": review.hero_image_alt or f"A still from {review.film.title}",
                "width": hero.width,
                "height": hero.height,
            }
        )
    if document["summary"] is None:
        del document["summary"]
    return document


def fingerprint(document):
    """What changes when the Article does: the same review, the same fingerprint."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def activity(kind, *, actor, object, activity_id, to=None, cc=None, published=None):
    document = {"@context": CONTEXT, "id": activity_id, "type": kind, "actor": actor}
    if to is not None:
        document["to"] = to
    if cc is not None:
        document["cc"] = cc
    if published:
        document["published"] = published
    document["object"] = object
    return document
