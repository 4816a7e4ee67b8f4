"""Subscription pages: sign up, confirm, unsubscribe. The writes live in mail.py."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import ratelimit
from core.pagecache import public_page
from core.security import same_origin_post
from subscriptions import mail
from subscriptions.forms import SubscriberForm
from subscriptions.models import Subscriber


@public_page
@require_safe
def subscribe_page(request):
    """The sign-up form on a page of its own."""
    return render(
        request, "subscriptions/subscriber_form.html", {"subscribe_form": SubscriberForm()}
    )


@same_origin_post
@require_POST
def sign_up(request):
    """
    Take a sign-up from any page's form. Every accepted submission, new address,
    known address or bot, ends on the same "check your inbox" page.
    """
    if ratelimit.hit(
        scope="sign-up",
        ident=ratelimit.client_ip(request),
        limit=settings.SUBSCRIBE_RATE_LIMIT,
        window=settings.SUBSCRIBE_RATE_WINDOW,
    ):
        return render(request, "subscriptions/subscriber_rate_limited.html", status=429)
    form = SubscriberForm(request.POST)
    if not form.is_valid():
        return render(
            request, "subscriptions/subscriber_form.html", {"subscribe_form": form}, status=400
        )
    if not form.is_bot():
        mail.request_subscription(
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            consent_version=form.consent_version,
        )
    return redirect("subscriptions:check-inbox")


@require_safe
def check_inbox(request):
    return render(request, "subscriptions/subscriber_check_inbox.html")


def _bad_link(request, error):
    return render(
        request, "subscriptions/subscriber_bad_link.html", {"expired": error.expired}, status=400
    )


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """
    GET shows a button, POST confirms: link checkers that open every link in a
    mail must not be able to subscribe someone on their own.
    """
    try:
        subscriber = mail.subscriber_from_confirmation_token(token)
    except mail.BadLink as error:
        return _bad_link(request, error)
    if request.method == "POST":
        subscriber = mail.confirm(subscriber=subscriber)
        return render(
            request, "subscriptions/subscriber_confirmed.html", {"subscriber": subscriber}
        )
    return render(request, "subscriptions/subscriber_confirm.html", {"subscriber": subscriber})


@csrf_exempt  # RFC 8058: mail clients POST here with no cookie and no form token.
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET asks "are you sure?"; POST (the page's button or a mail client) unsubscribes."""
    try:
        subscriber = mail.subscriber_from_unsubscribe_token(token)
    except mail.BadLink as error:
        return _bad_link(request, error)
    if request.method == "POST":
        if subscriber is not None:
            mail.unsubscribe(subscriber=subscriber)
        return render(request, "subscriptions/subscriber_unsubscribed.html")
    if subscriber is None or subscriber.state == Subscriber.State.UNSUBSCRIBED:
        return render(request, "subscriptions/subscriber_unsubscribed.html")
    return render(request, "subscriptions/subscriber_unsubscribe.html", {"subscriber": subscriber})
