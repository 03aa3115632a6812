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
from django.utils import timezone

from tests.factories import ConversationFactory, ParticipantFactory, exchange, pairing_of, skill
from tests.violations import VIOLATIONS, installed_trigger_rules
from twoway.pairing.models import LIVE_STATUSES, Pairing, PairingStatus
from twoway.profiles.models import Gap, Offer, Profile
from twoway.programs.models import Participant, Program
from twoway.relationships.models import (
    Agreement,
    Endorsement,
    EndorsementKind,
    Goal,
    GoalCheckIn,
    JournalEntry,
    Pulse,
)

pytestmark = pytest.mark.django_db


def rejected(match: str | None = None):
    """The database refuses the write; with `match`, the rule's name appears in the error."""
    return pytest.raises(IntegrityError, match=match)


@pytest.mark.parametrize("rule", sorted(VIOLATIONS))
def test_each_trigger_rule_rejects_its_bad_write(cast, rule):
    with rejected(rule), transaction.atomic():
        VIOLATIONS[rule](cast)


def test_every_trigger_in_the_database_has_a_bad_write_to_prove_it(cast):
    assert installed_trigger_rules() == set(VIOLATIONS)


def test_the_same_pair_may_be_proposed_again_once_their_pairing_has_ended(cast):
    cast.pairing.status = PairingStatus.COMPLETED
    cast.pairing.save()
    again = pairing_of(cast.alice_p, cast.bob_p, status=PairingStatus.PROPOSED)
    assert again.pk != cast.pairing.pk


def test_the_same_pair_cannot_have_two_open_pairings(cast):
    with rejected(), transaction.atomic():
        pairing_of(cast.alice_p, cast.bob_p, status=PairingStatus.PROPOSED)


def test_a_pairing_goes_live_only_once_both_partners_accepted(cast):
    proposal = pairing_of(cast.alice_p, cast.charlie_p, status=PairingStatus.PROPOSED)
    cast.pairing.status = PairingStatus.COMPLETED
    cast.pairing.save()
    with rejected("pairing_live_only_when_both_accepted"), transaction.atomic():
        Pairing.objects.filter(pk=proposal.pk).update(
            status=PairingStatus.ACCEPTED, accepted_by_a_at=timezone.now()
        )


def test_an_exchange_is_logged_once_per_lesson(cast):
    conversation = ConversationFactory(pairing=cast.pairing)
    exchange(conversation, cast.alice_p, cast.bob_p)
    with rejected(), transaction.atomic():
        exchange(conversation, cast.alice_p, cast.bob_p)


def test_a_confirmed_agreement_version_still_records_its_confirmations(cast):
    row = Agreement.objects.create(
        pairing=cast.pairing,
        objective_a_to_b="Budgets",
        objective_b_to_a="Automation",
        format="long_term",
        success_measures="One change each.",
        confirmed_by_a_at=timezone.now(),
    )
    Agreement.objects.filter(pk=row.pk).update(confirmed_by_b_at=timezone.now())
    row.refresh_from_db()
    assert row.confirmed_by_both


def test_self_pairing_is_rejected(cast):
    with rejected("canonical_order"), transaction.atomic():
        Pairing.objects.create(
            program=cast.river, participant_a=cast.charlie_p, participant_b=cast.charlie_p
        )


def test_pair_in_reverse_order_is_rejected(cast):
    high, low = sorted((cast.alice_p, cast.charlie_p), key=lambda p: -p.pk)
    with rejected("canonical_order"), transaction.atomic():
        Pairing.objects.create(program=cast.river, participant_a=high, participant_b=low)


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


def test_participant_enrolled_twice_in_a_program_is_rejected(cast):
    with rejected(), transaction.atomic():
        Participant.objects.create(program=cast.river, user=cast.alice)


def test_same_person_may_join_two_programs(cast):
    Participant.objects.create(program=cast.lake, user=cast.alice)
    assert cast.alice.participations.count() == 2


def test_skill_endorsement_without_a_skill_is_rejected(cast):
    with rejected("endorsement_of_skill_names_skill"), transaction.atomic():
        Endorsement.objects.create(
            pairing=cast.pairing,
            author=cast.alice_p,
            recipient=cast.bob_p,
            kind=EndorsementKind.SKILL,
            text="Great at it.",
        )


def test_private_journal_entry_without_a_pairing_is_accepted(cast):
    JournalEntry.objects.create(author=cast.charlie_p, body="Before I am paired.")


@pytest.mark.parametrize("field", ["program", "participant_a", "participant_b"])
def test_a_pairing_cannot_be_moved_to_other_partners(cast, field):
    outsider = ParticipantFactory(program=cast.river)
    values = {"program": cast.lake, "participant_a": cast.charlie_p, "participant_b": outsider}
    with rejected("pairing_partners_fixed"), transaction.atomic():
        Pairing.objects.filter(pk=cast.pairing.pk).update(**{field: values[field]})


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Pairing, "status", "bogus"),
        (Program, "status", "archived"),
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
        ({"pilot_size": 40}, "program_pilot_size_for_pilots_2_to_10000"),
        ({"stalled_after_days": 2}, "program_stalled_after_sane"),
        ({"one_way_below_balance": 1.5}, "program_one_way_balance_0_to_1"),
        ({"at_risk_rating_at_most": 0}, "program_at_risk_rating_1_to_5"),
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
