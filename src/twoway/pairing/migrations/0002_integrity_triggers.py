"""Cross-table rules for pairings, enforced by the database (see twoway.core.triggers)."""

from django.db import migrations

from twoway.core.triggers import CreateTriggers, TriggerRule, immutable_rule, partner_rule

# Kept literal so this migration always creates the same SQL; a test ties it to
# twoway.pairing.models.LIVE_STATUSES.
LIVE_STATUSES = ("accepted", "active")
_LIVE = "('accepted', 'active')"


def _live_pairings_of(column: str) -> str:
    # COALESCE: in a SQLite BEFORE INSERT trigger NEW.id is still NULL.
    return f"""(SELECT COUNT(*) FROM pairing_pairing q
        WHERE q.status IN {_LIVE} AND q.id <> COALESCE(NEW.id, -1)
        AND NEW.{column} IN (q.participant_a_id, q.participant_b_id))"""


_CAPACITY = "(SELECT capacity FROM programs_program WHERE id = NEW.program_id)"

_MOST_LIVE_PAIRINGS_OF_ONE_PARTICIPANT = f"""(SELECT COALESCE(MAX(n), 0) FROM (
    SELECT COUNT(*) AS n FROM (
        SELECT participant_a_id AS participant FROM pairing_pairing
            WHERE program_id = NEW.id AND status IN {_LIVE}
        UNION ALL
        SELECT participant_b_id FROM pairing_pairing
            WHERE program_id = NEW.id AND status IN {_LIVE}
    ) AS ends GROUP BY participant) AS counts)"""

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
        violated_when=f"""(NEW.status IN {_LIVE} AND (
            {_live_pairings_of("participant_a_id")} >= {_CAPACITY}
            OR {_live_pairings_of("participant_b_id")} >= {_CAPACITY}))""",
        message="a participant already has as many live pairings as the program's capacity allows",
        # Serialise concurrent writers on the same participants, or two transactions
        # could each see a free place and both take it. NO KEY UPDATE does not block
        # inserts elsewhere that merely reference the participant, and proposals (which
        # take no place) lock nothing.
        lock_sql=f"""IF NEW.status IN {_LIVE} THEN
            PERFORM 1 FROM programs_participant
            WHERE id IN (NEW.participant_a_id, NEW.participant_b_id)
            ORDER BY id FOR NO KEY UPDATE;
            END IF;""",
    ),
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
    TriggerRule(
        name="program_capacity_covers_live_pairings",
        table="programs_program",
        violated_when=f"(NEW.capacity < {_MOST_LIVE_PAIRINGS_OF_ONE_PARTICIPANT})",
        message="capacity cannot go below the live pairings a participant already has",
        events=("UPDATE",),
    ),
    partner_rule(
        name="exit_by_partner",
        table="pairing_exit",
        pairing_column="pairing_id",
        participant_column="requested_by_id",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("pairing", "0001_initial"),
        ("programs", "0001_initial"),
    ]

    operations = [CreateTriggers(RULES)]
