"""Database rules for declines, and immutable ownership that also catches NULL."""

from django.db import migrations

from twoway.core.triggers import CreateTriggers, ReplaceTriggers, immutable_rule, partner_rule

RULES = [
    partner_rule(
        name="decline_by_partner",
        table="pairing_decline",
        pairing_column="pairing_id",
        participant_column="declined_by_id",
    ),
    immutable_rule(
        name="decline_parties_fixed",
        table="pairing_decline",
        columns=("pairing_id", "declined_by_id"),
    ),
    immutable_rule(
        name="exit_parties_fixed",
        table="pairing_exit",
        columns=("pairing_id", "requested_by_id"),
    ),
]

# Written before immutable_rule compared NULLs; the same names, now NULL-safe.
NULL_SAFE_AGAIN = [
    immutable_rule(
        name="pairing_partners_fixed",
        table="pairing_pairing",
        columns=("program_id", "participant_a_id", "participant_b_id"),
    ),
    immutable_rule(
        name="participant_program_fixed",
        table="programs_participant",
        columns=("program_id", "user_id"),
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("pairing", "0003_lifecycle"),
        ("programs", "0002_lifecycle"),
    ]

    operations = [ReplaceTriggers(NULL_SAFE_AGAIN), CreateTriggers(RULES)]
