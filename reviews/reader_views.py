"""
What readers send back: comments, ratings and likes. Each answers a plain form
post with a redirect to the review page, and a script's fetch (Accept:
application/json) with the new counts, so the page works with and without
JavaScript.
"""

import re

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core import ratelimit
from core.security import same_origin_post
from reviews import reader_actions
from reviews.forms import CommentForm, RatingForm, started_token
from reviews.models import Like, Rating, Review
from reviews.views import public_review, render_review_page

# Comments one client may post in COMMENT_RATE_WINDOW seconds.
COMMENT_RATE_LIMIT = 5
COMMENT_RATE_WINDOW = 10 * 60
COMMENT_RATE_MESSAGE = (
    "You have sent several comments in the last few minutes. Please wait "
    f"{COMMENT_RATE_WINDOW // 60} minutes, then send this one again: your text is kept below."
)
# Ratings and likes one review takes in VOTE_RATE_WINDOW seconds from one reader
# (changing one's mind included) and from one address (a household, an office).
VOTE_RATE_PER_READER = 10
VOTE_RATE_PER_ADDRESS = 20
VOTE_RATE_WINDOW = 60 * 60
# More links than this and the comment goes to the spam folder for an editor to look at.
COMMENT_MAX_LINKS = 2
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _back_to(review, query, anchor):
    return redirect(f"{review.get_absolute_url()}?{query}#{anchor}")


@same_origin_post
@require_POST
def comment_create(request, slug):
    """
    Post a comment. A comment a person sent is either taken ("awaiting
    moderation"; one with many links waits in the spam folder for an editor)
    or comes back with its text as typed and what to do: a field to correct,
    sent too soon after the page was opened, or too many comments from this
    client lately. Only a bot's post, one that filled the field people never
    see, is dropped, with the answer a taken comment gets.
    """
    # The review's own row is enough to take a comment; the whole page is read
    # only when the form goes back to its writer.
    review = get_object_or_404(Review.objects.published(), slug=slug)
    if not review.comments_open:
        return _back_to(review, "comment=closed", "comments")
    form = CommentForm(request.POST, review=review)
    if form.in_honeypot():
        return _back_to(review, "comment=received", "comments")
    if not form.is_valid():
        return render_review_page(request, public_review(slug), comment_form=form, status=400)
    over_limit = ratelimit.hit(
        scope="comment",
        ident=ratelimit.client_ip(request),
        limit=COMMENT_RATE_LIMIT,
        window=COMMENT_RATE_WINDOW,
    )
    if over_limit:
        form.add_error(None, COMMENT_RATE_MESSAGE)
        return render_review_page(request, public_review(slug), comment_form=form, status=429)
    reader = reader_actions.reader_for(request)
    too_many_links = len(LINK.findall(form.cleaned_data["text"])) > COMMENT_MAX_LINKS
    reader_actions.post_comment(
        review,
        form=form,
        reader=reader,
        client=ratelimit.client_hash(request),
        spam=too_many_links,
    )
    response = _back_to(review, "comment=received", "comments")
    return reader_actions.remember_reader(response, reader)


def _counts(review, **extra):
    review.refresh_from_db(fields=["rating_count", "rating_total", "like_count"])
    average = review.reader_rating_average
    return {
        "rating_count": review.rating_count,
        "rating_average": f"{average:f}" if average is not None else None,
        "like_count": review.like_count,
        **extra,
    }


def _over_vote_limit(request, review, reader, kind):
    """Whether this reader or address has voted on ``review`` too often lately."""
    scope = f"{kind}:{review.pk}"
    by_reader = ratelimit.hit(
        scope=f"{scope}:reader",
        ident=reader.reader_id or str(reader.user.pk),
        limit=VOTE_RATE_PER_READER,
        window=VOTE_RATE_WINDOW,
    )
    by_address = ratelimit.hit(
        scope=f"{scope}:address",
        ident=ratelimit.client_ip(request),
        limit=VOTE_RATE_PER_ADDRESS,
        window=VOTE_RATE_WINDOW,
    )
    return by_reader or by_address


def _vote_refused(request, review, query, anchor):
    if _wants_json(request):
        return JsonResponse(
            {"error": "Too many votes from here for now; try again in an hour."}, status=429
        )
    return _back_to(review, query, anchor)


@same_origin_post
@require_POST
def rating_create(request, slug):
    """Rate a review, or change one's rating."""
    review = get_object_or_404(Review.objects.published(), slug=slug)
    form = RatingForm(request.POST)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        return _back_to(review, "rating=invalid", "reader-rating")
    reader = reader_actions.reader_for(request)
    if _over_vote_limit(request, review, reader, "rating"):
        return _vote_refused(request, review, "rating=limited", "reader-rating")
    rating = reader_actions.rate(review, reader=reader, value=form.cleaned_data["value"])
    value = f"{rating.value.normalize():f}"
    if _wants_json(request):
        response = JsonResponse(_counts(review, your_rating=value))
    else:
        response = _back_to(review, f"rated={value}", "reader-rating")
    return reader_actions.remember_reader(response, reader)


@same_origin_post
@require_POST
def like_toggle(request, slug):
    """Like a review (``action=like``) or take the like back (``action=unlike``)."""
    review = get_object_or_404(Review.objects.published(), slug=slug)
    reader = reader_actions.reader_for(request)
    if _over_vote_limit(request, review, reader, "like"):
        return _vote_refused(request, review, "liked=limited", "likes")
    liked = request.POST.get("action") != "unlike"
    if liked:
        reader_actions.like(review, reader=reader)
    else:
        reader_actions.unlike(review, reader=reader)
    if _wants_json(request):
        response = JsonResponse(_counts(review, liked=liked))
    else:
        response = _back_to(review, "liked=1" if liked else "liked=0", "likes")
    return reader_actions.remember_reader(response, reader)


@never_cache
@require_safe
def mine(request, slug):
    """
    This reader's own rating and like, for the page's script: the page itself
    carries no per-reader state so that it can be cached for everyone.
    """
    review = get_object_or_404(Review.objects.published(), slug=slug)
    reader = reader_actions.reader_for(request)
    # A fresh "form shown at" time: the page's own may be as old as its cached copy.
    started = started_token()
    if reader.is_new:
        return JsonResponse({"your_rating": None, "liked": False, "comment_started": started})
    rating = Rating.objects.filter(review=review, **reader.lookup()).first()
    return JsonResponse(
        {
            "your_rating": f"{rating.value.normalize():f}" if rating else None,
            "liked": Like.objects.filter(review=review, **reader.lookup()).exists(),
            "comment_started": started,
        }
    )
