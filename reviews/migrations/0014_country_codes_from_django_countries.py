"""
Countries come from django-countries: the code column becomes its
CountryField (the same two-letter column). The rows stay as they are: 0002
seeded the same 249 countries, under the names settings.COUNTRIES_OVERRIDE
keeps, so the addresses and the names readers see do not change.
"""

import django_countries.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0013_comment_fediverse_author"),
    ]

    operations = [
        migrations.AlterField(
            model_name="country",
            name="code",
            field=django_countries.fields.CountryField(
                max_length=2, unique=True, verbose_name="ISO code"
            ),
        ),
    ]
