"""Database rules for the relationship records added in 0003.

Who logged an exchange, who wrote an agreement, who marked a prompt, and the
conversation a journal entry links to are all the pair's own; a version of an
agreement that both partners confirmed is never edited in place; and the
columns saying whose a row is never change.
"""

from django.db import migrations

from twoway.core.triggers import (
    CreateTriggers,
    ReplaceTriggers,
    TriggerRule,
    differs,
    immutable_rule,
    partner_rule,
)

AGREEMENT_TERMS = (
    "pairing_id",
    "version",
    "objective_a_to_b",
    "objective_b_to_a",
    "format",
    "ends_on",
    "checkin_every_days",
    "success_measures",
    "confidentiality",
)

RULES = [
    TriggerRule(
        name="exchange_logged_by_partner",
        table="relationships_exchange",
        violated_when="(NEW.logged_by_id NOT IN (NEW.teacher_id, NEW.learner_id))",
        message="logged_by must be the teacher or the learner",
    ),
    immutable_rule(
        name="exchange_parties_fixed",
        table="relationships_exchange",
        columns=("conversation_id", "teacher_id", "learner_id", "logged_by_id"),
    ),
    partner_rule(
        name="agreement_written_by_partner",
        table="relationships_agreement",
        pairing_column="pairing_id",
        participant_column="written_by_id",
    ),
    TriggerRule(
        name="agreement_confirmed_version_frozen",
        table="relationships_agreement",
        violated_when=(
            "(OLD.confirmed_by_a_at IS NOT NULL AND OLD.confirmed_by_b_at IS NOT NULL AND ("
            + " OR ".join(differs(f"NEW.{column}", f"OLD.{column}") for column in AGREEMENT_TERMS)
            + "))"
        ),
        message="a version both partners confirmed cannot change; write a new version instead",
        events=("UPDATE",),
    ),
    partner_rule(
        name="prompt_use_by_partner",
        table="relationships_promptuse",
        pairing_column="pairing_id",
        participant_column="marked_by_id",
    ),
    TriggerRule(
        name="journal_conversation_of_own_pairing",
        table="relationships_journalentry",
        violated_when="""(NEW.conversation_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM relationships_conversation c
            JOIN pairing_pairing p ON p.id = c.pairing_id
            WHERE c.id = NEW.conversation_id
            AND NEW.author_id IN (p.participant_a_id, p.participant_b_id)))""",
        message="a journal entry can link only to a conversation of its author's own pairing",
    ),
    immutable_rule(
        name="journal_author_fixed", table="relationships_journalentry", columns=("author_id",)
    ),
    immutable_rule(
        name="pulse_parties_fixed",
        table="relationships_pulse",
        columns=("pairing_id", "author_id"),
    ),
    immutable_rule(
        name="goal_owner_fixed", table="relationships_goal", columns=("pairing_id", "owner_id")
    ),
    immutable_rule(
        name="goal_checkin_goal_fixed", table="relationships_goalcheckin", columns=("goal_id",)
    ),
    immutable_rule(
        name="endorsement_parties_fixed",
        table="relationships_endorsement",
        columns=("pairing_id", "author_id", "recipient_id"),
    ),
]

NULL_SAFE_AGAIN = [
    immutable_rule(
        name="conversation_pairing_fixed",
        table="relationships_conversation",
        columns=("pairing_id",),
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("relationships", "0005_lifecycle_finish"),
        ("pairing", "0004_lifecycle_triggers"),
    ]

    operations = [ReplaceTriggers(NULL_SAFE_AGAIN), CreateTriggers(RULES)]
