"""
Activities shaped as Mastodon 4 sends them (field for field, as its
ActivityPub serializers write them), with the peer's addresses filled in.
"""

CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    {
        "ostatus": "http://ostatus.org#",
        "atomUri": "ostatus:atomUri",
        "inReplyToAtomUri": "ostatus:inReplyToAtomUri",
        "conversation": "ostatus:conversation",
        "sensitive": "as:sensitive",
        "toot": "http://joinmastodon.org/ns#",
        "votersCount": "toot:votersCount",
        "blurhash": "toot:blurhash",
        "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"},
        "Hashtag": "as:Hashtag",
    },
]


def follow(peer, name, target):
    actor = f"{peer.url}/users/{name}"
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{peer.url}/6f1c7a2e-5a7e-4b59-9a0d-2c1b0c3e9d11",
        "type": "Follow",
        "actor": actor,
        "object": target,
    }


def undo_follow(peer, name, target):
    activity = follow(peer, name, target)
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{peer.url}/users/{name}#follows/1181/undo",
        "type": "Undo",
        "actor": activity["actor"],
        "object": {key: value for key, value in activity.items() if key != "@context"},
    }


def reply(peer, name, in_reply_to, *, content, status_id="109876543210987654", summary=None):
    actor = f"{peer.url}/users/{name}"
    note_id = f"{actor}/statuses/{status_id}"
    return {
        "@context": CONTEXT,
        "id": f"{note_id}/activity",
        "type": "Create",
        "actor": actor,
        "published": "2026-05-01T12:00:00Z",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [f"{actor}/followers", "http://testserver/ap/blog/"],
        "object": {
            "id": note_id,
            "type": "Note",
            "summary": summary,
            "inReplyTo": in_reply_to,
            "published": "2026-05-01T12:00:00Z",
            "url": f"{peer.url}/@{name}/{status_id}",
            "attributedTo": actor,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [f"{actor}/followers", "http://testserver/ap/blog/"],
            "sensitive": bool(summary),
            "atomUri": note_id,
            "inReplyToAtomUri": in_reply_to,
            "conversation": f"tag:{peer.host},2026-05-01:objectId=1234:objectType=Conversation",
            "content": content,
            "contentMap": {"en": content},
            "attachment": [],
            "tag": [
                {
                    "type": "Mention",
                    "href": "http://testserver/ap/blog/",
                    "name": "@reviews@testserver",
                }
            ],
            "replies": {
                "id": f"{note_id}/replies",
                "type": "Collection",
                "first": {
                    "type": "CollectionPage",
                    "next": f"{note_id}/replies?only_other_accounts=true&page=true",
                    "partOf": f"{note_id}/replies",
                    "items": [],
                },
            },
        },
    }


def like(peer, name, object_id):
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{peer.url}/users/{name}#likes/4242",
        "type": "Like",
        "actor": f"{peer.url}/users/{name}",
        "object": object_id,
    }


def announce(peer, name, object_id):
    actor = f"{peer.url}/users/{name}"
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{actor}/statuses/109876543210999999/activity",
        "type": "Announce",
        "actor": actor,
        "published": "2026-05-01T12:05:00Z",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": ["http://testserver/ap/blog/", f"{actor}/followers"],
        "object": object_id,
        "atomUri": f"{actor}/statuses/109876543210999999/activity",
    }


def undo(activity):
    inner = {key: value for key, value in activity.items() if key != "@context"}
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": activity["id"] + "/undo",
        "type": "Undo",
        "actor": activity["actor"],
        "object": inner,
    }


def delete_note(peer, name, note_id):
    actor = f"{peer.url}/users/{name}"
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{note_id}#delete",
        "type": "Delete",
        "actor": actor,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {"id": note_id, "type": "Tombstone", "atomUri": note_id},
    }
