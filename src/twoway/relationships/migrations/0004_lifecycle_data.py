"""Fill the columns that 0003 added for the rows that existed before it.

Kept apart from the schema changes: PostgreSQL refuses to alter a table that
has row updates pending in the same transaction.
"""

import uuid
from datetime import timedelta

from django.db import migrations, models


def duration_to_end_date(apps, schema_editor):
    Agreement = apps.get_model("relationships", "Agreement")
    for agreement in (
        Agreement.objects.exclude(duration_weeks=None).select_related("pairing").order_by()
    ):
        start = agreement.pairing.started_at or agreement.updated_at
        agreement.ends_on = (start + timedelta(weeks=agreement.duration_weeks)).date()
        agreement.save(update_fields=["ends_on"])


def conversations_so_far_were_held(apps, schema_editor):
    # Until now a conversation was only ever recorded after it happened.
    Conversation = apps.get_model("relationships", "Conversation")
    Conversation.objects.update(status="held")


def one_uid_per_conversation(apps, schema_editor):
    # A callable default is evaluated once for the whole column, so give each row its own.
    Conversation = apps.get_model("relationships", "Conversation")
    rows = list(Conversation.objects.only("pk").order_by())
    for row in rows:
        row.uid = uuid.uuid4()
    Conversation.objects.bulk_update(rows, ["uid"], batch_size=500)


def learners_logged_their_exchanges(apps, schema_editor):
    Exchange = apps.get_model("relationships", "Exchange")
    Exchange.objects.update(logged_by=models.F("learner"))


class Migration(migrations.Migration):
    dependencies = [("relationships", "0003_lifecycle")]

    operations = [
        migrations.RunPython(duration_to_end_date, migrations.RunPython.noop),
        migrations.RunPython(conversations_so_far_were_held, migrations.RunPython.noop),
        migrations.RunPython(one_uid_per_conversation, migrations.RunPython.noop),
        migrations.RunPython(learners_logged_their_exchanges, migrations.RunPython.noop),
    ]
