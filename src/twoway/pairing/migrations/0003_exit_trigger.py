"""Only a partner can leave a pairing."""

from django.db import migrations

from twoway.core.triggers import CreateTriggers, partner_rule


class Migration(migrations.Migration):
    dependencies = [("pairing", "0002_integrity_triggers")]

    operations = [
        CreateTriggers(
            [
                partner_rule(
                    name="exit_by_partner",
                    table="pairing_exit",
                    pairing_column="pairing_id",
                    participant_column="requested_by_id",
                )
            ]
        )
    ]
