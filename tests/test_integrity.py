"""Every integrity rule of the domain is enforced by the database itself.

Each test writes bad data past Django's validation (straight ORM saves, or
UPDATE queries) and expects the database to refuse it. The suite runs on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from tests.factories import ConversationFactory, ParticipantFactory, exchange, pairing_of, skill
from twoway.pairing.models import LIVE_STATUSES, Exit, Pairing, PairingStatus
from twoway.profiles.models import Gap, Offer, Profile
from twoway.programs.models import Participant, Program
from twoway.relationships.models import (
    Conversation,
    Endorsement,
    EndorsementKind,
    Exchange,
    Goal,
    GoalCheckIn,
    JournalEntry,
    Pulse,
)

pytestmark = pytest.mark.django_db


def rejected(match: str | None = None):
    """The database refuses the write; with `match`, the rule's name appears in the error."""
    return pytest.raises(IntegrityError, match=match)


def test_self_pairing_is_rejected(cast):
    with rejected("canonical_order"), transaction.atomic():
        Pairing.objects.create(
            program=cast.river, participant_a=cast.charlie_p, participant_b=cast.charlie_p
        )


def test_pair_in_reverse_order_is_rejected(cast):
    high, low = sorted((cast.alice_p, cast.charlie_p), key=lambda p: -p.pk)
    with rejected("canonical_order"), transaction.atomic():
        Pairing.objects.create(program=cast.river, participant_a=high, participant_b=low)


def test_same_pair_twice_in_a_program_is_rejected(cast):
    cast.pairing.status = PairingStatus.COMPLETED
    cast.pairing.save()
    with rejected(), transaction.atomic():
        pairing_of(cast.alice_p, cast.bob_p, status=PairingStatus.PROPOSED)


def test_partners_from_another_program_are_rejected(cast):
    outsider = ParticipantFactory(program=cast.lake)
    first, second = sorted((cast.charlie_p, outsider), key=lambda p: p.pk)
    with rejected("pairing_partners_in_program"), transaction.atomic():
        Pairing.objects.create(program=cast.river, participant_a=first, participant_b=second)


def test_live_pairings_beyond_capacity_are_rejected(cast):
    # alice already has one active pairing and the program's capacity is 1.
    with rejected("pairing_within_capacity"), transaction.atomic():
        pairing_of(cast.alice_p, cast.charlie_p, status=PairingStatus.ACCEPTED)


def test_activating_a_proposal_beyond_capacity_is_rejected(cast):
    proposal = pairing_of(cast.alice_p, cast.charlie_p, status=PairingStatus.PROPOSED)
    with rejected("pairing_within_capacity"), transaction.atomic():
        Pairing.objects.filter(pk=proposal.pk).update(status=PairingStatus.ACTIVE)


def test_capacity_counts_only_live_pairings(cast):
    cast.pairing.status = PairingStatus.EXITED
    cast.pairing.save()
    pairing_of(cast.alice_p, cast.charlie_p, status=PairingStatus.ACTIVE)  # no error


def test_a_larger_capacity_allows_more_live_pairings(cast):
    cast.river.capacity = 2
    cast.river.save()
    pairing_of(cast.alice_p, cast.charlie_p, status=PairingStatus.ACTIVE)
    dave = ParticipantFactory(program=cast.river)
    with rejected("pairing_within_capacity"), transaction.atomic():
        pairing_of(cast.alice_p, dave, status=PairingStatus.ACTIVE)


def test_exchange_where_teacher_is_learner_is_rejected(cast):
    conversation = ConversationFactory(pairing=cast.pairing)
    # Both the CHECK and the partner trigger refuse it; whichever fires first names itself.
    with rejected("exchange_"), transaction.atomic():
        exchange(conversation, cast.alice_p, cast.alice_p)


def test_exchange_with_someone_outside_the_pairing_is_rejected(cast):
    conversation = ConversationFactory(pairing=cast.pairing)
    with rejected("exchange_between_partners"), transaction.atomic():
        exchange(conversation, cast.alice_p, cast.charlie_p)


def test_moving_an_exchange_to_an_outsider_is_rejected(cast):
    conversation = ConversationFactory(pairing=cast.pairing)
    row = exchange(conversation, cast.alice_p, cast.bob_p, value_rating=4)
    with rejected("exchange_between_partners"), transaction.atomic():
        Exchange.objects.filter(pk=row.pk).update(learner=cast.charlie_p)


def test_exchange_between_the_partners_is_accepted_both_ways(cast):
    conversation = ConversationFactory(pairing=cast.pairing)
    exchange(conversation, cast.alice_p, cast.bob_p, value_rating=5)
    exchange(conversation, cast.bob_p, cast.alice_p, value_rating=1)
    assert conversation.exchanges.count() == 2


@pytest.mark.parametrize("value", [0, 6])
def test_exchange_rating_outside_1_to_5_is_rejected(cast, value):
    conversation = ConversationFactory(pairing=cast.pairing)
    with rejected("rating"), transaction.atomic():
        exchange(conversation, cast.alice_p, cast.bob_p, value_rating=value)


@pytest.mark.parametrize("value", [0, 6])
def test_offer_proficiency_outside_1_to_5_is_rejected(cast, value):
    with rejected("proficiency"), transaction.atomic():
        Offer.objects.create(participant=cast.alice_p, skill=skill(), proficiency=value)


@pytest.mark.parametrize("value", [0, 6])
def test_gap_priority_outside_1_to_5_is_rejected(cast, value):
    with rejected("priority"), transaction.atomic():
        Gap.objects.create(participant=cast.alice_p, skill=skill(), priority=value)


@pytest.mark.parametrize("field", ["fit", "trust", "value_given", "value_received"])
def test_pulse_scores_outside_1_to_5_are_rejected(cast, field):
    scores = {"fit": 3, "trust": 3, "value_given": 3, "value_received": 3, field: 9}
    with rejected(field), transaction.atomic():
        Pulse.objects.create(pairing=cast.pairing, author=cast.alice_p, **scores)


def test_pulse_by_someone_outside_the_pairing_is_rejected(cast):
    scores = {"fit": 3, "trust": 3, "value_given": 3, "value_received": 3}
    with rejected("pulse_by_partner"), transaction.atomic():
        Pulse.objects.create(pairing=cast.pairing, author=cast.charlie_p, **scores)


def test_participant_enrolled_twice_in_a_program_is_rejected(cast):
    with rejected(), transaction.atomic():
        Participant.objects.create(program=cast.river, user=cast.alice)


def test_same_person_may_join_two_programs(cast):
    Participant.objects.create(program=cast.lake, user=cast.alice)
    assert cast.alice.participations.count() == 2


def test_goal_of_someone_outside_the_pairing_is_rejected(cast):
    with rejected("goal_of_partner"), transaction.atomic():
        Goal.objects.create(pairing=cast.pairing, owner=cast.charlie_p, title="Learn")


@pytest.mark.parametrize(
    ("author", "recipient", "rule"),
    [
        ("charlie_p", "bob_p", "endorsement_by_partner"),
        ("alice_p", "charlie_p", "endorsement_of_partner"),
    ],
)
def test_endorsement_outside_the_pairing_is_rejected(cast, author, recipient, rule):
    with rejected(rule), transaction.atomic():
        Endorsement.objects.create(
            pairing=cast.pairing,
            author=getattr(cast, author),
            recipient=getattr(cast, recipient),
            kind=EndorsementKind.RECOMMENDATION,
            text="Great colleague.",
        )


def test_skill_endorsement_without_a_skill_is_rejected(cast):
    with rejected("endorsement_of_skill_names_skill"), transaction.atomic():
        Endorsement.objects.create(
            pairing=cast.pairing,
            author=cast.alice_p,
            recipient=cast.bob_p,
            kind=EndorsementKind.SKILL,
            text="Great at it.",
        )


def test_exit_by_someone_outside_the_pairing_is_rejected(cast):
    with rejected("exit_by_partner"), transaction.atomic():
        Exit.objects.create(pairing=cast.pairing, requested_by=cast.charlie_p, reason="fit")


def test_conversation_logged_by_an_outsider_is_rejected(cast):
    with rejected("conversation_logged_by_partner"), transaction.atomic():
        ConversationFactory(pairing=cast.pairing, logged_by=cast.charlie_p)


def test_journal_entry_about_someone_elses_pairing_is_rejected(cast):
    with rejected("journal_about_own_pairing"), transaction.atomic():
        JournalEntry.objects.create(author=cast.charlie_p, pairing=cast.pairing, body="Notes")


def test_private_journal_entry_without_a_pairing_is_accepted(cast):
    JournalEntry.objects.create(author=cast.charlie_p, body="Before I am paired.")


@pytest.mark.parametrize("field", ["program", "participant_a", "participant_b"])
def test_a_pairing_cannot_be_moved_to_other_partners(cast, field):
    outsider = ParticipantFactory(program=cast.river)
    values = {"program": cast.lake, "participant_a": cast.charlie_p, "participant_b": outsider}
    with rejected("pairing_partners_fixed"), transaction.atomic():
        Pairing.objects.filter(pk=cast.pairing.pk).update(**{field: values[field]})


def test_a_participant_cannot_be_moved_to_another_program(cast):
    with rejected("participant_program_fixed"), transaction.atomic():
        Participant.objects.filter(pk=cast.alice_p.pk).update(program=cast.lake)


def test_a_conversation_cannot_be_moved_to_another_pairing(cast):
    other = pairing_of(cast.charlie_p, ParticipantFactory(program=cast.river))
    conversation = ConversationFactory(pairing=cast.pairing)
    with rejected("conversation_pairing_fixed"), transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk).update(pairing=other)


def test_capacity_cannot_drop_below_the_live_pairings_held(cast):
    cast.river.capacity = 2
    cast.river.save()
    pairing_of(cast.alice_p, cast.charlie_p)  # alice now holds two live pairings
    with rejected("program_capacity_covers_live_pairings"), transaction.atomic():
        Program.objects.filter(pk=cast.river.pk).update(capacity=1)
    Program.objects.filter(pk=cast.lake.pk).update(capacity=1)  # an empty program may


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Pairing, "status", "bogus"),
        (Program, "status", "archived"),
        (Program, "cross_department", "sometimes"),
        (Participant, "status", "paused"),
    ],
)
def test_values_outside_the_choices_are_rejected(cast, model, field, value):
    row = {Pairing: cast.pairing, Program: cast.river, Participant: cast.alice_p}[model]
    with rejected(f"{field}_valid"), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: value})


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"ends_on": date(2026, 1, 1)}, "program_ends_after_it_starts"),
        ({"capacity": 0}, "program_capacity_1_to_10"),
        ({"min_level_gap": 3, "max_level_gap": 1}, "program_level_gap_range"),
        ({"min_timezone_overlap_hours": 9}, "program_timezone_overlap_0_to_8"),
    ],
)
def test_program_sanity_checks(cast, change, rule):
    with rejected(rule), transaction.atomic():
        Program.objects.filter(pk=cast.lake.pk).update(**change)


def test_goal_progress_beyond_100_percent_is_rejected(cast):
    goal = Goal.objects.create(pairing=cast.pairing, owner=cast.alice_p, title="Learn")
    with rejected("progress_0_to_100"), transaction.atomic():
        GoalCheckIn.objects.create(goal=goal, progress_percent=120)


def test_profile_level_outside_1_to_10_is_rejected(cast):
    with rejected("profile_level_in_range"), transaction.atomic():
        Profile.objects.filter(user=cast.alice).update(level=11)


def test_nobody_is_their_own_manager(cast):
    with rejected("profile_not_own_manager"), transaction.atomic():
        Profile.objects.filter(user=cast.alice).update(manager=cast.alice)


def test_trigger_sql_counts_the_same_live_statuses_as_the_code():
    migration = importlib.import_module("twoway.pairing.migrations.0002_integrity_triggers")
    assert set(migration.LIVE_STATUSES) == set(LIVE_STATUSES)
