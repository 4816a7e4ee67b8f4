"""The "Editors" and "Authors" groups, with their permissions (see reviews/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from reviews.roles import sync_groups


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; create
    # them now so the groups can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Authors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("people", "0002_url_fields_and_rating_choices"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("reviews", "0004_review_workflow_fields"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
