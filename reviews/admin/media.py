"""
The media library on the desk: its pictures, and the three JSON endpoints the
review body's picture button uses (search, upload, one picture).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_POST

from core.fields import FocusPickerAdminMixin
from core.renditions import rendition
from reviews.models import Picture

LIBRARY_PAGE = 24


class PictureForm(forms.ModelForm):
    class Meta:
        model = Picture
        fields = ["image", "image_focus_x", "image_focus_y", "alt", "caption", "credit"]


def picture_json(picture):
    """What the editor shows of a library picture."""
    tile = rendition(picture.image, "tile")
    return {
        "id": picture.pk,
        "alt": picture.alt,
        "caption": picture.caption,
        "credit": picture.credit,
        "thumb": tile.url if tile else "",
        "width": tile.width if tile else None,
        "height": tile.height if tile else None,
    }


@admin.register(Picture)
class PictureAdmin(FocusPickerAdminMixin, admin.ModelAdmin):
    form = PictureForm
    list_display = ["thumbnail", "__str__", "caption", "credit", "created_at"]
    # The picture links through its name: a thumbnail link would have no text of its own.
    list_display_links = ["__str__"]
    search_fields = ["alt", "caption", "credit", "image"]
    date_hierarchy = "created_at"
    readonly_fields = ["used_in"]
    fieldsets = [
        (None, {"fields": ["image", ("image_focus_x", "image_focus_y")]}),
        ("Words", {"fields": ["alt", "caption", "credit"]}),
        ("Where it is used", {"fields": ["used_in"]}),
    ]

    @admin.display(description="picture")
    def thumbnail(self, obj):
        image = rendition(obj.image, "tile")
        if image is None:
            return ""
        return render_to_string("admin/reviews/review/_thumbnail.html", {"image": image})

    @admin.display(description="used in")
    def used_in(self, obj):
        reviews = list(obj.reviews_using()) if obj.pk else []
        return render_to_string("admin/reviews/picture/_used_in.html", {"reviews": reviews})

    def get_deleted_objects(self, objs, request):
        """A picture a review shows cannot go: the reviews are listed as what protects it."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for picture in objs:
            for review in picture.reviews_using():
                protected.append(f"Review: {review} (shows “{picture}”)")
        return deleted, counts, perms_needed, protected

    # --- The body editor's library ---------------------------------------

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "library/",
                self.admin_site.admin_view(self.library_view),
                name="{}_{}_library".format(*info),
            ),
            path(
                "library/upload/",
                self.admin_site.admin_view(self.upload_view),
                name="{}_{}_upload".format(*info),
            ),
            path(
                "library/<int:pk>/",
                self.admin_site.admin_view(self.picture_view),
                name="{}_{}_json".format(*info),
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_GET)
    def library_view(self, request):
        """The newest pictures matching ``q`` (words of the description, caption, credit)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = " ".join(request.GET.get("q", "").split())[:200]
        pictures = Picture.objects.search(query)[:LIBRARY_PAGE]
        return JsonResponse({"query": query, "pictures": [picture_json(p) for p in pictures]})

    @method_decorator(require_GET)
    def picture_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return JsonResponse(picture_json(get_object_or_404(Picture, pk=pk)))

    @method_decorator(require_POST)
    def upload_view(self, request):
        """A new library picture from the editor's upload form; errors by field, as JSON."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PictureForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
            return JsonResponse({"errors": errors}, status=400)
        picture = form.save()
        self.log_addition(request, picture, [{"added": {}}])
        return JsonResponse(picture_json(picture), status=201)
