"""The balance of a pairing: the value each partner says they received, and the nudge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ConversationFactory, exchange, skill
from twoway.core.charts import line_chart, nice_ceiling, value_ticks
from twoway.pairing.selectors import side_of
from twoway.profiles.models import Gap
from twoway.relationships.models import ConversationStatus
from twoway.relationships.selectors.balance import balance_of

pytestmark = pytest.mark.django_db


def meeting(cast, days_ago: int, **fields):
    when = timezone.now() - timedelta(days=days_ago)
    return ConversationFactory(pairing=cast.pairing, starts_at=when, **fields)


def sides(cast):
    return side_of(cast.pairing, cast.alice), side_of(cast.pairing, cast.bob)


def test_no_exchanges_means_no_balance_yet(cast):
    alice, _ = sides(cast)
    balance = balance_of(alice)
    assert balance.ratio is None and balance.exchanges == 0 and balance.chart is None


def test_value_is_summed_per_direction_from_the_learners_ratings(cast):
    first = meeting(cast, 20)
    exchange(first, cast.alice_p, cast.bob_p, value_rating=5, skill=skill("Budgeting"))
    exchange(first, cast.bob_p, cast.alice_p, value_rating=4, skill=skill("SQL"))
    alice, bob = sides(cast)
    seen_by_alice, seen_by_bob = balance_of(alice), balance_of(bob)
    assert (seen_by_alice.received_by_me.value, seen_by_alice.received_by_partner.value) == (4, 5)
    assert (seen_by_bob.received_by_me.value, seen_by_bob.received_by_partner.value) == (5, 4)
    assert seen_by_alice.ratio == pytest.approx(0.8)
    assert seen_by_alice.received_by_me.skills == ["SQL"]
    assert not seen_by_alice.lopsided


def test_cancelled_or_planned_conversations_do_not_count(cast):
    cancelled = meeting(cast, 5, status=ConversationStatus.CANCELLED)
    exchange(cancelled, cast.alice_p, cast.bob_p, value_rating=5)
    alice, _ = sides(cast)
    assert balance_of(alice).exchanges == 0


def test_a_one_way_pair_nudges_the_partner_who_received_more(cast):
    Gap.objects.create(participant=cast.bob_p, skill=skill("Negotiation"), priority=5)
    Gap.objects.create(participant=cast.bob_p, skill=skill("Budgeting"), priority=4)
    for days_ago, name in ((30, "SQL"), (20, "Data visualisation"), (10, "SQL")):
        # Only bob, the junior, ever teaches.
        exchange(
            meeting(cast, days_ago), cast.bob_p, cast.alice_p, value_rating=5, skill=skill(name)
        )
    alice, bob = sides(cast)
    seen_by_alice = balance_of(alice)
    assert seen_by_alice.lopsided and seen_by_alice.i_received_more
    assert seen_by_alice.ratio == 0
    assert seen_by_alice.nudge.taught_you == ["SQL", "Data visualisation"]
    assert seen_by_alice.nudge.wanted_to_learn == ["Negotiation", "Budgeting"]
    seen_by_bob = balance_of(bob)
    assert seen_by_bob.nudge is None and seen_by_bob.lopsided


def test_what_was_already_taught_is_not_suggested_again(cast):
    Gap.objects.create(participant=cast.bob_p, skill=skill("Negotiation"), priority=5)
    Gap.objects.create(participant=cast.bob_p, skill=skill("Budgeting"), priority=4)
    for days_ago in (30, 20, 10):
        exchange(meeting(cast, days_ago), cast.bob_p, cast.alice_p, value_rating=5)
    exchange(meeting(cast, 5), cast.alice_p, cast.bob_p, value_rating=1, skill=skill("Negotiation"))
    alice, _ = sides(cast)
    assert balance_of(alice).nudge.wanted_to_learn == ["Budgeting"]


def test_two_exchanges_are_too_few_to_call_a_pair_one_way(cast):
    for days_ago in (20, 10):
        exchange(meeting(cast, days_ago), cast.bob_p, cast.alice_p, value_rating=5)
    alice, _ = sides(cast)
    assert not balance_of(alice).lopsided


def test_the_overview_shows_the_nudge_to_the_partner_who_received_more(client, cast):
    Gap.objects.create(participant=cast.bob_p, skill=skill("Negotiation"), priority=5)
    for days_ago in (30, 20, 10):
        exchange(meeting(cast, days_ago), cast.bob_p, cast.alice_p, value_rating=4)
    client.force_login(cast.alice)
    page = client.get(f"/pairings/{cast.pairing.pk}/").content.decode()
    assert "Bob has taught you Budgeting; what could you offer back?" in page
    assert "Bob wanted to learn Negotiation." in page
    assert "<svg" in page and "Value that flowed each way over time" in page
    client.force_login(cast.bob)
    page = client.get(f"/pairings/{cast.pairing.pk}/").content.decode()
    assert "what could you offer back" not in page
    assert "Most of the learning so far has flowed from you to Alice" in page


def test_the_chart_is_cumulative_in_both_directions(cast):
    exchange(meeting(cast, 20), cast.alice_p, cast.bob_p, value_rating=3)
    exchange(meeting(cast, 10), cast.bob_p, cast.alice_p, value_rating=5)
    alice, _ = sides(cast)
    chart = balance_of(alice).chart
    learned_from_bob, learned_by_bob = chart.series
    # Both start at zero on the first day, then one point per meeting day.
    assert len(learned_from_bob.dots) == len(learned_by_bob.dots) == 3
    assert learned_from_bob.dots[0] == learned_by_bob.dots[0]
    assert learned_from_bob.dots[-1][1] < learned_by_bob.dots[-1][1]  # 5 is drawn higher than 3
    assert "You received 5; Bob received 3" in chart.description


@pytest.mark.parametrize(
    ("value", "expected"), [(0, 1), (1, 1), (3, 5), (7, 10), (12, 20), (51, 100), (101, 200)]
)
def test_axis_tops_are_round_numbers(value, expected):
    assert nice_ceiling(value) == expected


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [(0, [0, 1]), (3, [0, 1, 2, 3]), (23, [0, 10, 20, 30]), (40, [0, 10, 20, 30, 40])],
)
def test_value_ticks_are_round_and_cover_the_largest_value(largest, ticks):
    assert value_ticks(largest) == ticks


def test_an_empty_chart_still_draws_its_axis():
    chart = line_chart([], title="t", description="d")
    assert chart.series == [] and [label for _, label in chart.y_ticks] == ["0", "1"]


# session, user, pairing, the partner's offers and gaps (profile card), pulse due (tab
# badge), agreement versions, ledger, next conversation, conversation to log, prompts (held
# count, the pair's skills, marks), navigation, endorsements shown. (A lopsided pair reads
# the partner's gaps once more, for the nudge.)
OVERVIEW_QUERIES = 15


@pytest.mark.parametrize("meetings", [2, 12])
def test_the_overview_reads_in_constant_queries(client, cast, django_assert_num_queries, meetings):
    for n in range(meetings):
        conversation = meeting(cast, 60 - n * 4)
        exchange(conversation, cast.bob_p, cast.alice_p, value_rating=4)
        exchange(conversation, cast.alice_p, cast.bob_p, value_rating=3, skill=skill("SQL"))
    client.force_login(cast.alice)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(f"/pairings/{cast.pairing.pk}/")
    assert response.context["balance"].exchanges == 2 * meetings
