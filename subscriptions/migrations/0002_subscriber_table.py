"""
The subscribers' table takes this app's name, and the content type (with the
permissions the Editors group holds) follows the model to its new app.
"""

from django.db import migrations


def move_content_type(apps, schema_editor, old="filmblog", new="subscriptions"):
    content_types = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not content_types.objects.using(db).filter(app_label=new, model="subscriber").exists():
        content_types.objects.using(db).filter(app_label=old, model="subscriber").update(
            app_label=new
        )


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="subscriptions", new="filmblog")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("filmblog", "0002_subscriber_moved_to_subscriptions"),
        ("subscriptions", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="subscriber", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
