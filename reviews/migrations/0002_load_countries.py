from django.db import migrations


def load_countries(apps, schema_editor):
    from reviews.countries import ensure_countries

    ensure_countries(apps.get_model("reviews", "Country"))


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
