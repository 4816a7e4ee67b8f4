import time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.conf import settings
from django.core import signing
from django.utils.text import slugify
from taggit.forms import TagField

from core.formhtml import KeptBlankForm
from reviews.models import READER_RATING_VALUES, Comment, Rating

STARTED_SALT = "reviews.comment-started"
# taggit's Tag.name column.
TAG_NAME_LENGTH = 100


def started_token(now=None):
    """A signed 'the form was shown at' time, so a post that comes too fast shows itself."""
    return signing.dumps(int(now if now is not None else time.time()), salt=STARTED_SALT)


def seconds_since(token, now=None):
    """Seconds since the form carrying ``token`` was rendered; None if it was tampered with."""
    try:
        started = int(signing.loads(token, salt=STARTED_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return (now if now is not None else time.time()) - started


class CommentTextField(forms.CharField):
    """
    A comment's text with its line breaks as one character each, as the reader
    counts them: browsers send a textarea's breaks as CR LF.
    """

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class CommentForm(KeptBlankForm, forms.ModelForm):
    # A field people never see (site.css moves it off screen, and it is hidden
    # from screen readers) but form-filling bots do.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    TOO_FAST = (
        "That was quicker than anyone can read a review and write a comment, so we "
        "took it for automated spam and did not post it. Your comment is kept below: "
        "check it and press “Post comment” again."
    )
    TOO_OLD = "This page was opened a long time ago: please send your comment again."
    UNTIMED = "We could not tell when this page was opened: please send your comment again."

    # The blank form's HTML is kept per process (core/formhtml.py) but for
    # these two values: the time it was shown, and the comment replied to.
    fresh_fields = ("started", "parent")

    class Meta:
        model = Comment
        fields = ["name", "email", "text", "parent"]
        labels = {"name": "Your name", "email": "Your e-mail", "text": "Your comment"}
        help_texts = {
            "email": "Never shown; we only use it if an editor needs to reach you.",
            "text": "Plain text, up to {limit:,} characters. Links are fine; "
            "HTML is shown as typed.",
        }
        field_classes = {"text": CommentTextField}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5}),
            "parent": forms.HiddenInput,
        }

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = self.instance.review = review
        if self.is_bound:
            # Only a post is checked against the comments one may reply to; the
            # hidden field of a blank form never lists them.
            self.fields["parent"].queryset = review.comments.approved().filter(parent__isnull=True)
        self.fields["parent"].error_messages["invalid_choice"] = (
            "The comment you are replying to is not available."
        )
        if not self.is_bound:
            self.initial["started"] = started_token()
        self._show_the_limit(self.fields["text"])

    TOO_LONG = (
        "Your comment has %(show_value)s characters and a comment can have up to "
        "%(limit_value)s. It was not posted: your whole text is kept below, to shorten."
    )

    def _show_the_limit(self, field):
        """
        The limit is said and counted (static/js/contributions.js), never enforced
        by ``maxlength``, which would cut a pasted text without a word: a text
        over it comes back whole, with a message.
        """
        field.widget.attrs.pop("maxlength", None)
        field.widget.attrs["data-limit"] = field.max_length
        field.help_text = field.help_text.format(limit=field.max_length)
        field.error_messages["max_length"] = self.TOO_LONG

    @property
    def text_limit(self):
        return self.fields["text"].max_length

    def in_honeypot(self):
        """True when the field no person sees was filled in: a bot's post."""
        return bool(self.is_bound and self.data.get("website"))

    def clean(self):
        # The parent is a hidden field, whose own errors a reader would never see.
        if self.has_error("parent"):
            self.add_error(None, self.fields["parent"].error_messages["invalid_choice"])
        self._check_timing(seconds_since(self.cleaned_data.get("started") or ""))
        return super().clean()

    def _check_timing(self, elapsed):
        """
        A comment is taken between COMMENT_FORM_MIN_SECONDS and
        COMMENT_FORM_MAX_AGE after its form was shown. Outside that the reader
        is told so and the text comes back. Too fast keeps the form's start
        time, so the same comment sent again a moment later is taken; too old
        or untimed gets a fresh one, as a token may not be kept and replayed.
        """
        if elapsed is not None and elapsed < settings.COMMENT_FORM_MIN_SECONDS:
            self.add_error(None, self.TOO_FAST)
        elif elapsed is None or elapsed > settings.COMMENT_FORM_MAX_AGE:
            self.data = self.data.copy()
            self.data["started"] = started_token()
            self.add_error(None, self.UNTIMED if elapsed is None else self.TOO_OLD)


# At most this many tags on one review: each is a link and a row to keep.
MAX_TAGS = 30


class TagsField(TagField):
    """
    taggit's comma-separated tags, refusing what would break the pages that
    link to a tag: a name with no letter or digit has no address, a name over
    the column's length cannot be stored, and thousands of tags cannot be
    saved in the time a request has.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            f"Comma-separated, at most {MAX_TAGS}; each needs a letter or digit and "
            f"at most {TAG_NAME_LENGTH} characters.",
        )
        super().__init__(**kwargs)

    def clean(self, value):
        names = super().clean(value)
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(
                "A review may have at most %(max)s tags; this has %(count)s.",
                code="too_many_tags",
                params={"max": MAX_TAGS, "count": len(names)},
            )
        too_long = [name for name in names if len(name) > TAG_NAME_LENGTH]
        if too_long:
            raise forms.ValidationError(
                "A tag may have at most %(max)s characters: “%(name)s…” has %(length)s.",
                code="tag_too_long",
                params={
                    "max": TAG_NAME_LENGTH,
                    "name": too_long[0][:30],
                    "length": len(too_long[0]),
                },
            )
        empty = [name for name in names if not slugify(name, allow_unicode=True)]
        if empty:
            raise forms.ValidationError(
                "A tag needs at least one letter or digit: “%(name)s” has none.",
                code="tag_without_letters",
                params={"name": empty[0]},
            )
        return names


def _stars(value):
    """How a rating reads: "4.5 stars", "1 star"."""
    number = f"{value.normalize():f}"
    return f"{number} star" if value == 1 else f"{number} stars"


# The reader rating's choices, half a star to five: ("0.5", "0.5 stars") ... ("5.0", "5 stars").
STAR_CHOICES = [(str(value), _stars(value)) for value in READER_RATING_VALUES]
RATING_HELP = "Pick from half a star to five stars, then press Rate."


class RatingForm(KeptBlankForm, forms.ModelForm):
    """
    A reader's rating of a review. The review page lays its radio set out as
    five stars in halves (reviews/templates/reviews/crispy/star_rating.html):
    ten radio buttons a keyboard moves along with the arrow keys and a screen
    reader names ("4.5 stars"), each behind a half star big enough to tap.
    """

    value = forms.TypedChoiceField(
        label="Your rating",
        choices=STAR_CHOICES,
        coerce=str,
        widget=forms.RadioSelect(attrs={"class": "star-radio"}),
        help_text="Choose with a click or the arrow keys, then press Rate.",
        error_messages={"required": RATING_HELP, "invalid_choice": RATING_HELP},
    )

    # Laid out by crispy inside the page's own <form>, with the page's Rate button.
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(Field("value", template="reviews/crispy/star_rating.html"))

    class Meta:
        model = Rating
        fields = ["value"]

    def __init__(self, *args, **kwargs):
        # Ids of its own on a page that also carries the comment and sign-up forms.
        kwargs.setdefault("auto_id", "id_rating_%s")
        super().__init__(*args, **kwargs)
