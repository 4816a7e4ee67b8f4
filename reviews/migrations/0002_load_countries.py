from django.db import migrations


def load_countries(apps, schema_editor):
    # The list comes from django-countries, with the names in
    # settings.COUNTRIES_OVERRIDE; Country.objects.add_missing() does the same
    # for the demo (a migration keeps its own copy of what it runs).
    from django.utils.text import slugify
    from django_countries import countries

    Country = apps.get_model("reviews", "Country")
    existing = set(Country.objects.values_list("code", flat=True))
    Country.objects.bulk_create(
        Country(code=country.code, name=str(country.name), slug=slugify(str(country.name)))
        for country in countries
        if country.code not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
