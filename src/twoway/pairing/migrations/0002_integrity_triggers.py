"""Cross-table rules for pairings, enforced by the database (see twoway.core.triggers)."""

from django.db import migrations

from twoway.core.triggers import CreateTriggers, TriggerRule


def _live_pairings_of(column: str) -> str:
    return f"""(SELECT COUNT(*) FROM pairing_pairing q
        WHERE q.status IN ('accepted', 'active') AND q.id IS DISTINCT FROM NEW.id
        AND NEW.{column} IN (q.participant_a_id, q.participant_b_id))"""


_CAPACITY = "(SELECT capacity FROM programs_program WHERE id = NEW.program_id)"

RULES = [
    TriggerRule(
        name="pairing_partners_in_program",
        table="pairing_pairing",
        violated_when="""(
            (SELECT program_id FROM programs_participant WHERE id = NEW.participant_a_id)
                <> NEW.program_id
            OR (SELECT program_id FROM programs_participant WHERE id = NEW.participant_b_id)
                <> NEW.program_id)""",
        message="both partners must be participants of the pairing's program",
    ),
    TriggerRule(
        name="pairing_within_capacity",
        table="pairing_pairing",
        violated_when=f"""(NEW.status IN ('accepted', 'active') AND (
            {_live_pairings_of("participant_a_id")} >= {_CAPACITY}
            OR {_live_pairings_of("participant_b_id")} >= {_CAPACITY}))""",
        message="a participant already has as many live pairings as the program's capacity allows",
        # Serialise concurrent writers on the same participants, or two transactions
        # could each see a free place and both take it. NO KEY UPDATE does not block
        # inserts elsewhere that merely reference the participant.
        lock_sql="""PERFORM 1 FROM programs_participant
            WHERE id IN (NEW.participant_a_id, NEW.participant_b_id)
            ORDER BY id FOR NO KEY UPDATE;""",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("pairing", "0001_initial"),
        ("programs", "0001_initial"),
    ]

    operations = [CreateTriggers(RULES)]
