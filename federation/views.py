"""
What other servers (and readers' "follow from your server") ask of us.

Every view answers 404 while FEDERATION is off. The inbox checks, in this
order, the size, the rate, the signature (Date, Digest, the signer's key),
the signer's server against the block list and the activity's actor against
the signer, then refuses a signature it has already seen; each refusal has its
status (413, 429, 401, 403, 400) and a line in the log. What gets through is
handled by federation/inbox.py.
"""

import json
import logging
from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core.ratelimit import client_ip, hit
from federation import actors, documents, forms, remote, signatures
from federation import inbox as handling
from federation.models import (
    Activity,
    FederatedReview,
    Follower,
    LocalActor,
    Reaction,
    SeenSignature,
)
from people.models import AuthorProfile
from reviews.models import Comment, Review

logger = logging.getLogger(__name__)

ACTIVITY_JSON = "application/activity+json"
OUTBOX_PAGE = 20


def federating(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.FEDERATION:
            raise Http404("Federation is off.")
        return view(request, *args, **kwargs)

    return wrapped


def activity_json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = ACTIVITY_JSON
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _actor(slug):
    actor = actors.blog_actor() if slug is None else actors.by_slug(slug)
    if actor is None:
        raise Http404("No such actor.")
    return actor


def wants_html(request):
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "json" not in accept


@federating
@require_GET
def webfinger(request):
    resource = request.GET.get("resource", "").strip()
    if not resource:
        return JsonResponse({"error": "Ask for ?resource=acct:name@host"}, status=400)
    actor = None
    if resource.startswith("acct:"):
        name, _, host = resource[5:].lstrip("@").rpartition("@")
        if host.lower() == actors.host().lower():
            actor = actors.by_username(name)
    else:
        actor = actors.by_id(resource)
    if actor is None:
        raise Http404("No such account here.")
    response = JsonResponse(documents.webfinger(actor), content_type="application/jrd+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@federating
@require_GET
def nodeinfo_links(request):
    return JsonResponse(documents.nodeinfo_links())


@federating
@require_GET
def nodeinfo(request):
    data = documents.nodeinfo(
        authors=AuthorProfile.objects.filter(reviews__in=Review.objects.published())
        .distinct()
        .count(),
        reviews=Review.objects.published().count(),
        comments=Comment.objects.approved().count(),
    )
    return JsonResponse(
        data, content_type=f'application/json; profile="{documents.NODEINFO_SCHEMA}#"'
    )


@federating
@require_GET
def actor(request, slug=None):
    actor = _actor(slug)
    if wants_html(request):
        return HttpResponseRedirect(documents.profile_path(actor))
    return activity_json(documents.actor_document(actor))


def _outbox_activities(actor):
    live = FederatedReview.objects.filter(live=True).values("review_id")
    found = Activity.objects.filter(kind="Create", review_id__in=live)
    if actor.kind == LocalActor.Kind.AUTHOR:
        found = found.filter(actor=actor)
    return found.order_by("-created_at", "-pk")


@federating
@require_GET
def outbox(request, slug=None):
    actor = _actor(slug)
    url = actors.actor_id(actor, "outbox")
    activities = _outbox_activities(actor)
    if "page" not in request.GET:
        return activity_json(documents.collection(url, activities.count(), first=f"{url}?page=1"))
    page = Paginator(activities.only("payload"), OUTBOX_PAGE).get_page(request.GET["page"])
    document = documents.collection(
        f"{url}?page={page.number}", page.paginator.count, [a.payload for a in page]
    )
    document["type"] = "OrderedCollectionPage"
    document["partOf"] = url
    if page.has_next():
        document["next"] = f"{url}?page={page.next_page_number()}"
    return activity_json(document)


@federating
@require_GET
def followers(request, slug=None):
    actor = _actor(slug)
    count = Follower.objects.filter(actor=actor).count()
    return activity_json(documents.collection(actors.actor_id(actor, "followers"), count))


@federating
@require_GET
def following(request, slug=None):
    actor = _actor(slug)
    return activity_json(documents.collection(actors.actor_id(actor, "following"), 0, []))


@federating
@require_GET
def review_object(request, pk):
    review = get_object_or_404(Review.objects.published().select_related("film", "author"), pk=pk)
    if wants_html(request):
        return HttpResponseRedirect(review.get_absolute_url())
    document = documents.article(
        review,
        author_actor=actors.author_actor(review.author),
        blog_actor=actors.blog_actor(),
    )
    document["@context"] = documents.CONTEXT
    # Likes and boosts from the fediverse, counted (not listed).
    counts = dict(
        Reaction.objects.filter(review=review)
        .values_list("kind")
        .annotate(total=Count("pk"))
        .values_list("kind", "total")
    )
    for key, kind in (("likes", Reaction.Kind.LIKE), ("shares", Reaction.Kind.BOOST)):
        document[key] = {
            "id": f"{document['id']}#{key}",
            "type": "Collection",
            "totalItems": counts.get(kind, 0),
        }
    return activity_json(document)


@federating
@require_GET
def activity(request, uuid):
    found = get_object_or_404(Activity, uuid=uuid, kind__in=["Create", "Update", "Delete"])
    return activity_json(found.payload)


@federating
@require_GET
def remote_follow(request):
    """Send a reader to their own server's follow page for one of our actors."""
    form = forms.RemoteFollowForm(request.GET or None)
    if form.is_valid():
        return HttpResponseRedirect(form.cleaned_data["redirect_to"])
    actor = form.actor or actors.blog_actor()
    return render(
        request,
        "federation/follow.html",
        {"form": form, "handle": actors.handle(actor), "actor": actor},
        status=400 if form.is_bound else 200,
    )


def refuse(request, status, reason):
    logger.warning(
        "Inbox refused a request from %s with %s: %s", client_ip(request), status, reason
    )
    return JsonResponse({"error": reason}, status=status)


def _verified_remote(request, body):
    """The remote actor whose key signed the request, or a refusal response."""
    try:
        signed = signatures.parse(
            method=request.method,
            path=request.get_full_path(),
            headers=request.headers,
            body=body,
            now=timezone.now(),
            window=settings.FEDERATION_SIGNATURE_WINDOW,
        )
    except signatures.SignatureError as error:
        return None, None, refuse(request, 401, str(error))
    try:
        signer = remote.for_key(signed.key_id)
        try:
            signed.verify(signer.public_key_pem)
        except signatures.SignatureError:
            if not remote.can_refetch(signer):
                raise
            # The key may have been rotated since we fetched it.
            signer = remote.for_key(signed.key_id, refresh=True)
            signed.verify(signer.public_key_pem)
        if remote.is_blocked(signer.domain):
            raise remote.Blocked(f"{signer.domain} is blocked")
    except remote.Blocked as error:
        return None, None, refuse(request, 403, str(error))
    except (remote.RemoteError, signatures.SignatureError) as error:
        return None, None, refuse(request, 401, f"the signature cannot be verified: {error}")
    return signer, signed, None


@csrf_exempt
@federating
@require_http_methods(["POST"])
def inbox(request, slug=None, shared=False):
    target = None if shared else _actor(slug)
    limit = settings.FEDERATION_INBOX_MAX_BYTES
    length = request.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limit:
        return refuse(request, 413, f"activities larger than {limit} bytes are refused")
    if hit(
        scope="federation-inbox",
        ident=client_ip(request),
        limit=settings.FEDERATION_INBOX_RATE_LIMIT,
        window=60,
    ):
        return refuse(request, 429, "too many requests: slow down")
    body = request.read(limit + 1)
    if len(body) > limit:
        return refuse(request, 413, f"activities larger than {limit} bytes are refused")
    signer, signed, refusal = _verified_remote(request, body)
    if refusal:
        return refusal
    try:
        activity = json.loads(body)
    except ValueError:
        return refuse(request, 400, "the body is not JSON")
    if not isinstance(activity, dict) or not isinstance(activity.get("type"), str):
        return refuse(request, 400, "the body is not an activity")
    claimed = activity.get("actor")
    claimed = claimed.get("id") if isinstance(claimed, dict) else claimed
    if claimed != signer.url:
        return refuse(request, 401, "the activity's actor did not sign it")
    try:
        with transaction.atomic():
            SeenSignature.objects.create(fingerprint=signed.fingerprint, seen_at=timezone.now())
    except IntegrityError:
        return refuse(request, 401, "this signature was already used: replay refused")
    try:
        handling.handle(activity, signer=signer, target=target)
    except handling.Refused as error:
        return refuse(request, error.status, str(error))
    except Exception:  # never a 500 for what another server sent
        logger.exception("Inbox could not handle a %s from %s", activity["type"], signer.url)
        return refuse(request, 400, "the activity could not be handled")
    handling.forget_old_signatures()
    return HttpResponse(status=202)
