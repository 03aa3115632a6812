"""One bad write per database trigger rule, keyed by the rule's name.

tests/test_integrity.py runs each against a freshly migrated database, and
tests/test_trigger_rebuild.py again after a migration has rebuilt every guarded
table. A completeness test ties the keys to the triggers the database holds, so
a new rule without a bad write here fails the suite.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from tests.factories import ConversationFactory, ParticipantFactory, exchange, pairing_of
from twoway.pairing.models import Decline, Exit, Pairing, PairingStatus
from twoway.programs.models import Participant, Program
from twoway.relationships.models import (
    Agreement,
    Conversation,
    Endorsement,
    EndorsementKind,
    Exchange,
    Goal,
    GoalCheckIn,
    JournalEntry,
    PromptUse,
    Pulse,
)

SCORES = {"fit": 3, "trust": 3, "value_given": 3, "value_received": 3}


def _outsider_pairing(cast) -> Pairing:
    return pairing_of(cast.charlie_p, ParticipantFactory(program=cast.river))


def _agreement(cast, **fields) -> Agreement:
    terms = dict(
        pairing=cast.pairing,
        objective_a_to_b="Budgets",
        objective_b_to_a="Automation",
        format="long_term",
        success_measures="Each of us does one thing differently.",
    )
    return Agreement.objects.create(**{**terms, **fields})


def pairing_partners_in_program(cast):
    outsider = ParticipantFactory(program=cast.lake)
    first, second = sorted((cast.charlie_p, outsider), key=lambda p: p.pk)
    Pairing.objects.create(program=cast.river, participant_a=first, participant_b=second)


def pairing_within_capacity(cast):
    pairing_of(cast.alice_p, cast.charlie_p, status=PairingStatus.ACCEPTED)


def pairing_partners_fixed(cast):
    Pairing.objects.filter(pk=cast.pairing.pk).update(participant_b=cast.charlie_p)


def participant_program_fixed(cast):
    Participant.objects.filter(pk=cast.alice_p.pk).update(program=cast.lake)


def program_capacity_covers_live_pairings(cast):
    Program.objects.filter(pk=cast.river.pk).update(capacity=2)
    pairing_of(cast.alice_p, cast.charlie_p)
    Program.objects.filter(pk=cast.river.pk).update(capacity=1)


def exit_by_partner(cast):
    Exit.objects.create(pairing=cast.pairing, requested_by=cast.charlie_p, reason="fit")


def exit_parties_fixed(cast):
    row = Exit.objects.create(pairing=cast.pairing, requested_by=cast.alice_p, reason="fit")
    Exit.objects.filter(pk=row.pk).update(requested_by=cast.bob_p)


def decline_by_partner(cast):
    proposal = pairing_of(cast.charlie_p, cast.alice_p, status=PairingStatus.PROPOSED)
    Decline.objects.create(pairing=proposal, declined_by=cast.bob_p, reason="fit")


def decline_parties_fixed(cast):
    proposal = pairing_of(cast.charlie_p, cast.alice_p, status=PairingStatus.PROPOSED)
    row = Decline.objects.create(pairing=proposal, declined_by=cast.charlie_p, reason="fit")
    Decline.objects.filter(pk=row.pk).update(declined_by=cast.alice_p)


def exchange_between_partners(cast):
    exchange(ConversationFactory(pairing=cast.pairing), cast.alice_p, cast.charlie_p)


def exchange_logged_by_partner(cast):
    conversation = ConversationFactory(pairing=cast.pairing)
    exchange(conversation, cast.alice_p, cast.bob_p, logged_by=cast.charlie_p)


def exchange_parties_fixed(cast):
    row = exchange(ConversationFactory(pairing=cast.pairing), cast.alice_p, cast.bob_p)
    Exchange.objects.filter(pk=row.pk).update(teacher=cast.bob_p, learner=cast.alice_p)


def conversation_logged_by_partner(cast):
    ConversationFactory(pairing=cast.pairing, logged_by=cast.charlie_p)


def conversation_pairing_fixed(cast):
    conversation = ConversationFactory(pairing=cast.pairing)
    Conversation.objects.filter(pk=conversation.pk).update(pairing=_outsider_pairing(cast))


def pulse_by_partner(cast):
    Pulse.objects.create(pairing=cast.pairing, author=cast.charlie_p, **SCORES)


def pulse_parties_fixed(cast):
    row = Pulse.objects.create(pairing=cast.pairing, author=cast.alice_p, **SCORES)
    Pulse.objects.filter(pk=row.pk).update(author=cast.bob_p)


def goal_of_partner(cast):
    Goal.objects.create(pairing=cast.pairing, owner=cast.charlie_p, title="Learn")


def goal_owner_fixed(cast):
    goal = Goal.objects.create(pairing=cast.pairing, owner=cast.alice_p, title="Learn")
    Goal.objects.filter(pk=goal.pk).update(owner=cast.bob_p)


def goal_checkin_goal_fixed(cast):
    mine = Goal.objects.create(pairing=cast.pairing, owner=cast.alice_p, title="Learn")
    theirs = Goal.objects.create(pairing=cast.pairing, owner=cast.bob_p, title="Teach")
    check_in = GoalCheckIn.objects.create(goal=mine, progress_percent=10)
    GoalCheckIn.objects.filter(pk=check_in.pk).update(goal=theirs)


def _endorsement(cast, **fields) -> Endorsement:
    row = dict(
        pairing=cast.pairing,
        author=cast.alice_p,
        recipient=cast.bob_p,
        kind=EndorsementKind.RECOMMENDATION,
        text="Great colleague.",
    )
    return Endorsement.objects.create(**{**row, **fields})


def endorsement_by_partner(cast):
    _endorsement(cast, author=cast.charlie_p)


def endorsement_of_partner(cast):
    _endorsement(cast, recipient=cast.charlie_p)


def endorsement_parties_fixed(cast):
    row = _endorsement(cast)
    Endorsement.objects.filter(pk=row.pk).update(author=cast.bob_p, recipient=cast.alice_p)


def journal_about_own_pairing(cast):
    JournalEntry.objects.create(author=cast.charlie_p, pairing=cast.pairing, body="Notes")


def journal_conversation_of_own_pairing(cast):
    conversation = ConversationFactory(pairing=cast.pairing)
    JournalEntry.objects.create(author=cast.charlie_p, conversation=conversation, body="Notes")


def journal_author_fixed(cast):
    entry = JournalEntry.objects.create(author=cast.alice_p, body="Mine alone.")
    JournalEntry.objects.filter(pk=entry.pk).update(author=cast.bob_p)


def agreement_written_by_partner(cast):
    _agreement(cast, written_by=cast.charlie_p)


def agreement_confirmed_version_frozen(cast):
    now = timezone.now()
    row = _agreement(cast, confirmed_by_a_at=now, confirmed_by_b_at=now)
    Agreement.objects.filter(pk=row.pk).update(success_measures="Quietly changed afterwards.")


def prompt_use_by_partner(cast):
    PromptUse.objects.create(pairing=cast.pairing, prompt_id="a-mistake", marked_by=cast.charlie_p)


VIOLATIONS = {
    function.__name__: function
    for function in (
        pairing_partners_in_program,
        pairing_within_capacity,
        pairing_partners_fixed,
        participant_program_fixed,
        program_capacity_covers_live_pairings,
        exit_by_partner,
        exit_parties_fixed,
        decline_by_partner,
        decline_parties_fixed,
        exchange_between_partners,
        exchange_logged_by_partner,
        exchange_parties_fixed,
        conversation_logged_by_partner,
        conversation_pairing_fixed,
        pulse_by_partner,
        pulse_parties_fixed,
        goal_of_partner,
        goal_owner_fixed,
        goal_checkin_goal_fixed,
        endorsement_by_partner,
        endorsement_of_partner,
        endorsement_parties_fixed,
        journal_about_own_pairing,
        journal_conversation_of_own_pairing,
        journal_author_fixed,
        agreement_written_by_partner,
        agreement_confirmed_version_frozen,
        prompt_use_by_partner,
    )
}


def installed_trigger_rules() -> set[str]:
    """The names of the rules whose triggers the database holds now."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            # SQLite needs one trigger per event: rule_insert, rule_update.
            return {name.rsplit("_", 1)[0] for (name,) in cursor.fetchall()}
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {name for (name,) in cursor.fetchall()}


def trigger_catalogue() -> dict[str, str]:
    """Every trigger's definition, to compare before and after a schema change."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT t.tgname, pg_get_triggerdef(t.oid) || p.prosrc FROM pg_trigger t "
                "JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal"
            )
        return dict(cursor.fetchall())
