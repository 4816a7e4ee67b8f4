"""The "follow from your server" form: a reader's handle in, their server's follow page out."""

import re
from urllib.parse import quote, urlencode, urlsplit

from crispy_forms.helper import FormHelper
from django import forms

from federation import actors, http

SUBSCRIBE_REL = "http://ostatus.org/schema/1.0/subscribe"
_HANDLE = re.compile(r"^@?([\w.+-]{1,100})@([a-z0-9.-]{1,253}(?::\d{1,5})?)$", re.IGNORECASE)


def parse_account(text):
    """(name, host) of "@name@host", "name@host" or "https://host/@name"; ValueError otherwise."""
    text = (text or "").strip()
    match = _HANDLE.match(text)
    if match:
        return match.group(1), match.group(2).lower()
    parts = urlsplit(text)
    if parts.scheme in {"http", "https"} and parts.netloc:
        name = parts.path.strip("/").lstrip("@").split("/")[0]
        if name and re.fullmatch(r"[\w.+-]{1,100}", name):
            return name, parts.netloc.lower()
    raise ValueError(text)


def follow_page(name, host, handle):
    """Where ``name@host`` follows ``handle`` on their own server (its WebFinger says)."""
    query = urlencode({"resource": f"acct:{name}@{host}"})
    document, error = None, None
    for url in http.well_known(host, f"/.well-known/webfinger?{query}"):
        try:
            document = http.get_json(url, accept="application/jrd+json, application/json")
            break
        except http.FetchError as failure:
            error = failure
    if document is None:
        raise error
    for link in document.get("links", []) if isinstance(document, dict) else []:
        template = link.get("template") if isinstance(link, dict) else None
        if link.get("rel") == SUBSCRIBE_REL and isinstance(template, str) and "{uri}" in template:
            address = template.replace("{uri}", quote(handle.lstrip("@"), safe="@"))
            if address.startswith("https://"):
                return address
    return None


class RemoteFollowForm(forms.Form):
    actor = forms.CharField(widget=forms.HiddenInput, max_length=170)
    account = forms.CharField(
        label="Your fediverse handle",
        max_length=360,
        help_text="Such as @you@mastodon.social: you will follow from your own server.",
        widget=forms.TextInput(attrs={"placeholder": "@you@your.server", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = None
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_actor(self):
        self.actor = actors.by_username(self.cleaned_data["actor"])
        if self.actor is None:
            raise forms.ValidationError("There is no such account here.")
        return self.cleaned_data["actor"]

    def clean(self):
        data = super().clean()
        if self.actor is None or "account" not in data:
            return data
        try:
            name, host = parse_account(data["account"])
        except ValueError:
            self.add_error("account", "Write your handle as @name@server.")
            return data
        handle = actors.handle(self.actor)
        try:
            address = follow_page(name, host, handle)
        except http.FetchError:
            address = None
        if address is None:
            self.add_error(
                "account",
                f"Your server did not tell us where to follow from. Search for {handle} "
                "on your server and follow from there.",
            )
        data["redirect_to"] = address
        return data


def follow_box(author=None):
    """
    What a page shows to follow the blog (or ``author``) from the fediverse:
    the handle, the actor's address and the form; None while federation is off.
    Costs no query: everything is made from the settings and the author's slug.
    """
    from django.conf import settings

    from core import links

    if not settings.FEDERATION:
        return None
    if author is None:
        name, actor_path = settings.FEDERATION_BLOG_USERNAME, links.url("federation:blog-actor")
    else:
        name, actor_path = author.slug, links.url("federation:author-actor", author.slug)
    return {
        "handle": f"@{name}@{actors.host()}",
        "actor_url": links.absolute(actor_path),
        "form": RemoteFollowForm(initial={"actor": name}),
        "action": links.url("federation:remote-follow"),
    }


def article_url(review):
    """The review's Article address for a page's alternate link; None while federation is off."""
    from django.conf import settings

    from core import links

    if not settings.FEDERATION or not review.is_public:
        return None
    return links.absolute(links.url("federation:review", review.pk))
