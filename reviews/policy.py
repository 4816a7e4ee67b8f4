"""
Who may do what to a review: the one place the author/editor rules are written.

The admin (which fields an author sees read-only, what ``save_model`` keeps),
the public views (who may preview a draft) and the workflow (who may make
which move, from which status) all read these rules; none writes its own.

Fields are default-deny: ``AUTHOR_EDITABLE_FIELDS`` lists what an author may
change, and every other field of a review (including one added tomorrow) is
an editor's.
"""

from reviews.models.choices import ReviewStatus as Status

# Permissions, checked with user.has_perm(); reviews/roles.py hands them out.
PUBLISH_PERMISSION = "reviews.publish_review"
EDIT_ANY_PERMISSION = "reviews.edit_any_review"

# The fields of a review an author may change on their own review. Everything
# else (author, publish and take-down times, featured, comments open, the
# editor's note, and any field not named here) only an editor sets.
AUTHOR_EDITABLE_FIELDS = frozenset(
    {
        "film",
        "headline",
        "slug",
        "standfirst",
        "body",
        "rating",
        "tags",
        "hero_image",
        "hero_image_focus_x",
        "hero_image_focus_y",
        "hero_image_alt",
        "hero_image_credit",
        # How search results and social cards show the review.
        "seo_title",
        "meta_description",
        "social_image",
        "social_image_focus_x",
        "social_image_focus_y",
        "social_image_alt",
    }
)
# The review form's own helpers, not fields of a review: the conflict check's
# version number and the kept upload's token.
FORM_HELPER_FIELDS = frozenset({"edit_version", "hero_image_kept"})

# An author may change their own review until it is scheduled or published.
AUTHOR_EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.SUBMITTED, Status.UNPUBLISHED})

# The workflow's moves, in the order the desk offers them: the statuses each
# starts from, and whether only an editor may make it. A review's author (or
# an editor) may make the others.
MOVES = {
    "submit": ({Status.DRAFT, Status.UNPUBLISHED}, False),
    "publish": ({Status.DRAFT, Status.SUBMITTED, Status.SCHEDULED, Status.UNPUBLISHED}, True),
    "schedule": ({Status.DRAFT, Status.SUBMITTED, Status.SCHEDULED, Status.UNPUBLISHED}, True),
    "send_back": ({Status.SUBMITTED, Status.SCHEDULED}, True),
    "unpublish": ({Status.PUBLISHED, Status.SCHEDULED}, True),
}


def can_publish(user):
    """Publish, schedule, send back and unpublish; set the editor-only fields."""
    return user.has_perm(PUBLISH_PERMISSION)


def can_edit_any(user):
    """See and change every author's reviews, and preview them."""
    return user.has_perm(EDIT_ANY_PERMISSION)


def is_own(review, user):
    return review.author_id is not None and review.author.user_id == user.pk


def may_edit(review, user):
    """May ``user`` change ``review`` (an author: their own, until it is scheduled or live)?"""
    if can_edit_any(user):
        return True
    return is_own(review, user) and review.status in AUTHOR_EDITABLE_STATUSES


def may_set_field(user, name):
    """May ``user`` set the review field (or form field) ``name``?"""
    return can_publish(user) or name in AUTHOR_EDITABLE_FIELDS or name in FORM_HELPER_FIELDS


def readonly_fields(user, names):
    """Of the form fields ``names``, the ones ``user`` sees but may not change."""
    return [name for name in names if not may_set_field(user, name)]


def protected_fields(user, model):
    """The concrete, editable fields of ``model`` that ``user`` may not set."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and not may_set_field(user, field.name)
    ]


def role_allows(review, user, move):
    """Does ``user``'s role allow ``move`` on ``review``? An unsaved review is the user's own."""
    _, editors_only = MOVES[move]
    if editors_only:
        return can_publish(user)
    return review.pk is None or is_own(review, user) or can_edit_any(user)


def status_allows(review, move):
    """Can ``move`` start from ``review``'s current status?"""
    statuses, _ = MOVES[move]
    return review.status in statuses


def may_move(review, user, move):
    """May ``user`` make ``move`` on ``review`` now?"""
    return status_allows(review, move) and role_allows(review, user, move)


def allowed_moves(review, user):
    """The moves ``user`` may make on ``review`` now, in the order the desk offers them."""
    return [move for move in MOVES if may_move(review, user, move)]


def moves_for_role(user):
    """Every move ``user``'s role allows on some review, for help texts."""
    return [
        move for move, (_, editors_only) in MOVES.items() if not editors_only or can_publish(user)
    ]
