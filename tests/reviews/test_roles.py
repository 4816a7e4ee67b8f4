import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from people.models import AuthorProfile

pytestmark = pytest.mark.django_db


def perms(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_migrate_creates_the_editors_group_with_publishing_rights():
    editors = perms("Editors")
    assert {
        "reviews.publish_review",
        "reviews.edit_any_review",
        "reviews.change_film",
        "reviews.delete_review",
        "people.change_person",
        "people.change_authorprofile",
    } <= editors


def test_migrate_gives_editors_the_permissions_of_every_app_whatever_their_order():
    # Apps installed after reviews (subscriptions) had no permissions yet when
    # reviews' post_migrate ran; the sync creates them first.
    Group.objects.get(name="Editors").permissions.clear()
    call_command("migrate", verbosity=0)
    editors = perms("Editors")
    assert {
        "subscriptions.change_subscriber",
        "taggit.change_tag",
        "reviews.publish_review",
    } <= editors
    assert "reversion.view_revision" in editors


def test_migrate_creates_the_authors_group_without_publishing_rights():
    authors = perms("Authors")
    assert {"reviews.add_review", "reviews.change_review", "reviews.view_film"} <= authors
    assert "reviews.publish_review" not in authors
    assert "reviews.edit_any_review" not in authors
    assert "reviews.change_film" not in authors
    assert "people.change_person" not in authors


def test_create_author_makes_a_staff_author_with_a_profile_and_a_password_link(capsys):
    call_command("create_author", email="nora@example.com", name="Nora Vale")
    profile = AuthorProfile.objects.get(display_name="Nora Vale")
    user = profile.user
    assert user.username == "nora"
    assert user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == ["Authors"]
    assert "/account/password/reset/" in capsys.readouterr().out


def test_create_author_with_editor_flag_makes_an_editor():
    call_command("create_author", email="ed@example.com", name="Ed Itor", editor=True)
    user = AuthorProfile.objects.get(display_name="Ed Itor").user
    assert user.has_perm("reviews.publish_review")


@pytest.mark.parametrize("email", ["not-an-address", "nora@example.com"])
def test_create_author_refuses_a_bad_or_taken_address(email):
    call_command("create_author", email="nora@example.com", name="Nora Vale")
    with pytest.raises(CommandError):
        call_command("create_author", email=email, name="Someone", username="other")


def test_the_demo_puts_iris_in_authors_and_the_editor_in_editors(demo):
    from filmblog.demo import load_demo

    load_demo()  # a second run changes nothing
    assert Group.objects.get(name="Authors").user_set.filter(username="iris").exists()
    assert Group.objects.get(name="Editors").user_set.filter(username="editor").exists()
    assert Group.objects.get(name="Authors").user_set.count() == 1
