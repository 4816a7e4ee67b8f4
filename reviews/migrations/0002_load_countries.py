from django.db import migrations
from django.utils.text import slugify


def load_countries(apps, schema_editor):
    from reviews.countries import COUNTRIES

    Country = apps.get_model("reviews", "Country")
    existing = set(Country.objects.values_list("code", flat=True))
    Country.objects.bulk_create(
        Country(code=code, name=name, slug=slugify(name))
        for code, name in COUNTRIES
        if code not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
