"""An author's own profile page under /account/ (the login pages are Django's)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render

from people.forms import AuthorLinkFormSet, AuthorProfileForm
from people.models import AuthorProfile


@login_required
def profile_edit(request):
    """Edit the signed-in user's author profile: name, bio, photo, favourites, links."""
    # Authors and editors are staff; another login only reaches a profile it already has.
    if not request.user.is_staff and not AuthorProfile.objects.filter(user=request.user).exists():
        raise PermissionDenied("Only the site's authors have a profile to edit.")
    profile = AuthorProfile.objects.for_user(request.user)
    if request.method == "POST":
        form = AuthorProfileForm(request.POST, request.FILES, instance=profile)
        links = AuthorLinkFormSet(request.POST, instance=profile, prefix="links")
        if form.is_valid() and links.is_valid():
            with transaction.atomic():
                form.save()
                links.save()
            messages.success(request, "Your profile was saved.")
            return redirect("account:profile")
        messages.error(request, "Your profile was not saved: please correct the marked fields.")
    else:
        form = AuthorProfileForm(instance=profile)
        links = AuthorLinkFormSet(instance=profile, prefix="links")
    return render(
        request,
        "account/profile_form.html",
        {"form": form, "links": links, "profile": profile},
    )
