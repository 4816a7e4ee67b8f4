"""
Subscriber, as it stands. Its table used to belong to the project package and
moved here in two steps (subscriptions 0001 and 0002, with filmblog's own
0001 and 0002); this migration replaces them. A database that applied those
already counts this one as applied; a new database creates the table here.
"""

import uuid

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ("subscriptions", "0001_initial"),
        ("subscriptions", "0002_subscriber_table"),
    ]

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='Subscriber',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(help_text='Stored in lower case, so one mailbox is one subscriber.', max_length=254, verbose_name='e-mail address')),
                ('name', models.CharField(blank=True, max_length=100)),
                ('state', models.CharField(choices=[('pending', 'Waiting for confirmation'), ('confirmed', 'Confirmed'), ('unsubscribed', 'Unsubscribed')], default='pending', max_length=12)),
                ('key', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('consent_at', models.DateTimeField(help_text='When the reader submitted the sign-up form.', verbose_name='consent given')),
                ('consent_version', models.CharField(help_text='Which version of the sign-up wording the reader agreed to.', max_length=20, verbose_name='consent wording version')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('confirmation_sent_at', models.DateTimeField(blank=True, null=True)),
                ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                ('unsubscribed_at', models.DateTimeField(blank=True, null=True)),
                ('mailed_through', models.DateTimeField(blank=True, help_text='Publish time of the newest review this subscriber has been sent (or the moment they confirmed). The digest sends only reviews published after it.', null=True, verbose_name='mailed up to')),
                ('last_mailed_at', models.DateTimeField(blank=True, null=True, verbose_name='last digest sent')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'get_latest_by': 'created_at',
                'indexes': [models.Index(fields=['state', 'id'], name='subscriber_state_id_idx')],
                'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('email'), name='subscriber_email_ci_unique', violation_error_code='email_taken', violation_error_message='This address is already on the list.'), models.CheckConstraint(condition=models.Q(('state__in', ['pending', 'confirmed', 'unsubscribed'])), name='subscriber_state_valid'), models.CheckConstraint(condition=models.Q(models.Q(('state', 'confirmed'), _negated=True), models.Q(('confirmed_at__isnull', False), ('mailed_through__isnull', False)), _connector='OR'), name='subscriber_confirmed_has_times')],
            },
        ),
    ]
