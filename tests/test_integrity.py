"""Every integrity rule of the domain is enforced by the database itself.

Each test writes bad data past Django's validation (straight ORM saves, or
UPDATE queries) and expects the database to refuse it. The suite runs on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from tests.factories import ConversationFactory, ParticipantFactory, exchange, pairing_of, skill
from twoway.pairing.models import Pairing, PairingStatus
from twoway.profiles.models import Gap, Offer
from twoway.programs.models import Participant
from twoway.relationships.models import Exchange, Pulse

pytestmark = pytest.mark.django_db


def rejected(match: str | None = None):
    """The database refuses the write; with `match`, the rule's name appears in the error."""
    return pytest.raises(IntegrityError, match=match)


def test_self_pairing_is_rejected(cast):
    with rejected(), transaction.atomic():
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
    with rejected(), transaction.atomic():
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
