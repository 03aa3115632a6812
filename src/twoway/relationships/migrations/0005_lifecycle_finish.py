"""Now that every row has them: unique calendar UIDs, and who logged each exchange."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("relationships", "0004_lifecycle_data")]

    operations = [
        migrations.RemoveField(
            model_name="agreement",
            name="duration_weeks",
        ),
        migrations.AlterField(
            model_name="conversation",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="exchange",
            name="logged_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="exchanges_logged",
                to="programs.participant",
            ),
        ),
    ]
