"""Rows that name a partner must name one of the pairing's two partners."""

from django.db import migrations

from twoway.core.triggers import CreateTriggers, TriggerRule, immutable_rule, partner_rule

RULES = [
    TriggerRule(
        name="exchange_between_partners",
        table="relationships_exchange",
        violated_when="""NOT EXISTS (
            SELECT 1 FROM relationships_conversation c
            JOIN pairing_pairing p ON p.id = c.pairing_id
            WHERE c.id = NEW.conversation_id AND (
                (p.participant_a_id = NEW.teacher_id AND p.participant_b_id = NEW.learner_id)
                OR (p.participant_b_id = NEW.teacher_id AND p.participant_a_id = NEW.learner_id)))""",
        message="teacher and learner must be the two partners of the conversation's pairing",
    ),
    partner_rule(
        name="pulse_by_partner",
        table="relationships_pulse",
        pairing_column="pairing_id",
        participant_column="author_id",
    ),
    partner_rule(
        name="goal_of_partner",
        table="relationships_goal",
        pairing_column="pairing_id",
        participant_column="owner_id",
    ),
    partner_rule(
        name="endorsement_by_partner",
        table="relationships_endorsement",
        pairing_column="pairing_id",
        participant_column="author_id",
    ),
    partner_rule(
        name="endorsement_of_partner",
        table="relationships_endorsement",
        pairing_column="pairing_id",
        participant_column="recipient_id",
    ),
    partner_rule(
        name="conversation_logged_by_partner",
        table="relationships_conversation",
        pairing_column="pairing_id",
        participant_column="logged_by_id",
    ),
    partner_rule(
        name="journal_about_own_pairing",
        table="relationships_journalentry",
        pairing_column="pairing_id",
        participant_column="author_id",
    ),
    immutable_rule(
        name="conversation_pairing_fixed",
        table="relationships_conversation",
        columns=("pairing_id",),
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("relationships", "0001_initial"),
        ("pairing", "0002_integrity_triggers"),
    ]

    operations = [CreateTriggers(RULES)]
