"""Per-pairing figures for dashboards and reports, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ConversationFactory, ParticipantFactory, exchange, pairing_of
from twoway.insights.selectors.metrics import pairing_metrics
from twoway.relationships.models import ConversationStatus, Pulse

pytestmark = pytest.mark.django_db


def held(pairing, days_ago):
    return ConversationFactory(
        pairing=pairing,
        status=ConversationStatus.HELD,
        starts_at=timezone.now() - timezone.timedelta(days=days_ago),
    )


def test_balance_counts_value_rated_by_each_learner(cast):
    pairing = cast.pairing
    first, second = held(pairing, 20), held(pairing, 5)
    a, b = pairing.participant_a, pairing.participant_b
    exchange(first, a, b, value_rating=4)
    exchange(second, a, b, value_rating=4)
    exchange(second, b, a, value_rating=2)
    row = pairing_metrics([pairing])[pairing.pk]
    assert (row.conversations, row.exchanges) == (2, 3)
    assert (row.value_to_a, row.value_to_b) == (2, 8)
    assert row.balance == pytest.approx(0.25)
    assert row.last_conversation_at == second.starts_at


def test_latest_pulse_is_each_partners_newest_and_its_lowest_rating(cast):
    pairing = cast.pairing
    now = timezone.now()
    for author, days_ago, rating in (
        (cast.alice_p, 40, 1),
        (cast.alice_p, 3, 4),
        (cast.bob_p, 9, 2),
    ):
        Pulse.objects.create(
            pairing=pairing,
            author=author,
            fit=rating,
            trust=5,
            value_given=5,
            value_received=5,
            submitted_at=now - timezone.timedelta(days=days_ago),
        )
    latest = pairing_metrics([pairing])[pairing.pk].latest_pulse
    assert latest.lowest_rating == 2  # Alice's old 1 no longer counts
    assert latest.submitted_at == now - timezone.timedelta(days=3)


def test_a_pairing_with_nothing_logged_has_no_balance_and_no_pulse(cast):
    row = pairing_metrics([cast.pairing])[cast.pairing.pk]
    assert row.balance is None and row.latest_pulse is None and row.conversations == 0


def test_the_number_of_queries_does_not_grow_with_the_pairings(cast):
    pairings = [cast.pairing]
    for _ in range(6):
        a = ParticipantFactory(program=cast.river)
        b = ParticipantFactory(program=cast.river)
        pairing = pairing_of(a, b)
        exchange(held(pairing, 2), a, b, value_rating=3)
        pairings.append(pairing)
    with CaptureQueriesContext(connection) as queries:
        metrics = pairing_metrics(pairings)
    assert len(queries) == 3
    assert sum(row.exchanges for row in metrics.values()) == 6
