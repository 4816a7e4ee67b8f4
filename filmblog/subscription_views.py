"""Subscription pages: sign up, confirm, unsubscribe. The writes live in subscriptions.py."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from filmblog import subscriptions
from filmblog.forms import SubscriberForm
from filmblog.models import Subscriber
from filmblog.pagecache import public_page
from filmblog.security import same_origin_post


@public_page
@require_safe
def subscribe_page(request):
    """The sign-up form on a page of its own."""
    return render(request, "filmblog/subscriber_form.html", {"subscribe_form": SubscriberForm()})


@same_origin_post
@require_POST
def sign_up(request):
    """
    Take a sign-up from any page's form. Every accepted submission, new address,
    known address or bot, ends on the same "check your inbox" page.
    """
    if subscriptions.hit_rate_limit(
        scope="sign-up",
        ident=subscriptions.client_ip(request),
        limit=settings.SUBSCRIBE_RATE_LIMIT,
        window=settings.SUBSCRIBE_RATE_WINDOW,
    ):
        return render(request, "filmblog/subscriber_rate_limited.html", status=429)
    form = SubscriberForm(request.POST)
    if not form.is_valid():
        return render(
            request, "filmblog/subscriber_form.html", {"subscribe_form": form}, status=400
        )
    if not form.is_bot():
        subscriptions.request_subscription(
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            consent_version=form.consent_version,
        )
    return redirect("subscriptions:check-inbox")


@require_safe
def check_inbox(request):
    return render(request, "filmblog/subscriber_check_inbox.html")


def _bad_link(request, error):
    return render(
        request, "filmblog/subscriber_bad_link.html", {"expired": error.expired}, status=400
    )


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """
    GET shows a button, POST confirms: link checkers that open every link in a
    mail must not be able to subscribe someone on their own.
    """
    try:
        subscriber = subscriptions.subscriber_from_confirmation_token(token)
    except subscriptions.BadLink as error:
        return _bad_link(request, error)
    if request.method == "POST":
        subscriber = subscriptions.confirm(subscriber=subscriber)
        return render(request, "filmblog/subscriber_confirmed.html", {"subscriber": subscriber})
    return render(request, "filmblog/subscriber_confirm.html", {"subscriber": subscriber})


@csrf_exempt  # RFC 8058: mail clients POST here with no cookie and no form token.
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET asks "are you sure?"; POST (the page's button or a mail client) unsubscribes."""
    try:
        subscriber = subscriptions.subscriber_from_unsubscribe_token(token)
    except subscriptions.BadLink as error:
        return _bad_link(request, error)
    if request.method == "POST":
        if subscriber is not None:
            subscriptions.unsubscribe(subscriber=subscriber)
        return render(request, "filmblog/subscriber_unsubscribed.html")
    if subscriber is None or subscriber.state == Subscriber.State.UNSUBSCRIBED:
        return render(request, "filmblog/subscriber_unsubscribed.html")
    return render(request, "filmblog/subscriber_unsubscribe.html", {"subscriber": subscriber})
