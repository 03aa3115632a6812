"""Each flag is raised past its threshold and not at it; the thresholds are the program's."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import ParticipantFactory, pairing_of
from tests.insights.health_helpers import NOW, flags_of, held, lessons, pulse
from twoway.insights.models import ExitReview
from twoway.insights.selectors.health import health_rows
from twoway.pairing.models import Exit, PairingStatus

# The clock first: the cast is then built at the fixed moment too.
pytestmark = [pytest.mark.usefixtures("frozen_clock"), pytest.mark.django_db]


@pytest.fixture
def pairing(cast):
    """Alice and Bob's pairing, active for 60 days before NOW."""
    cast.pairing.proposed_at = NOW - timedelta(days=62)
    cast.pairing.started_at = NOW - timedelta(days=60)
    cast.pairing.save()
    return cast.pairing


# --- stalled ---------------------------------------------------------------------------


def test_a_pair_is_not_stalled_at_exactly_the_programs_number_of_days(cast, pairing):
    held(pairing, NOW - timedelta(days=28))
    assert "stalled" not in flags_of(pairing)


def test_a_pair_is_stalled_just_past_the_programs_number_of_days(cast, pairing):
    held(pairing, NOW - timedelta(days=28, minutes=1))
    assert flags_of(pairing)["stalled"] == (
        "28 days since their last conversation; the program flags a pair after 28 days without one."
    )


def test_the_stalled_threshold_is_read_from_the_program(cast, pairing):
    cast.river.stalled_after_days = 10
    cast.river.save()
    held(pairing, NOW - timedelta(days=11))
    assert "after 10 days" in flags_of(pairing)["stalled"]
    held(pairing, NOW - timedelta(days=9))
    assert "stalled" not in flags_of(pairing)


def test_without_any_conversation_a_pair_stalls_counting_from_its_start(cast, pairing):
    pairing.started_at = NOW - timedelta(days=28)
    pairing.save()
    assert "stalled" not in flags_of(pairing)
    later = NOW + timedelta(days=2)
    assert flags_of(pairing, now=later)["stalled"].startswith(
        "30 days since the pairing started, with no conversation yet"
    )


def test_only_an_active_pair_can_stall(cast, pairing):
    pairing.status = PairingStatus.ACCEPTED
    pairing.save()
    assert "stalled" not in flags_of(pairing)


def test_planned_and_cancelled_conversations_do_not_count_as_held(cast, pairing):
    from tests.factories import ConversationFactory
    from twoway.relationships.models import ConversationStatus

    ConversationFactory(
        pairing=pairing, status=ConversationStatus.PLANNED, starts_at=NOW + timedelta(days=1)
    )
    assert "stalled" in flags_of(pairing)


def test_the_dashboard_reads_the_clock_when_no_time_is_given(cast, pairing):
    held(pairing, NOW - timedelta(days=20))
    with time_machine.travel(NOW + timedelta(days=8, minutes=1), tick=False):
        [row] = health_rows(cast.river)
    assert [flag.kind for flag in row.flags] == ["stalled"]


# --- one-way ---------------------------------------------------------------------------


def test_a_pair_is_one_way_when_only_one_partner_has_taught_after_three_exchanges(cast, pairing):
    lessons(pairing, cast.alice_p, cast.bob_p, 3)
    assert flags_of(pairing)["one_way"] == (
        "Only Alice has taught: 3 exchanges, 0 back (a balance of 0%, under the program's 50%)."
    )


def test_two_exchanges_are_too_few_to_call_a_pair_one_way(cast, pairing):
    lessons(pairing, cast.alice_p, cast.bob_p, 2)
    assert "one_way" not in flags_of(pairing)


def test_a_balance_exactly_at_the_threshold_is_not_one_way(cast, pairing):
    lessons(pairing, cast.alice_p, cast.bob_p, 2, value=4)  # Bob received 8
    lessons(pairing, cast.bob_p, cast.alice_p, 1, value=4)  # Alice received 4: 50%
    assert "one_way" not in flags_of(pairing)


def test_a_balance_just_under_the_threshold_is_one_way_and_says_who_teaches(cast, pairing):
    lessons(pairing, cast.bob_p, cast.alice_p, 3, value=3)  # Alice received 9
    lessons(pairing, cast.alice_p, cast.bob_p, 1, value=4)  # Bob received 4: 44%
    assert flags_of(pairing)["one_way"] == (
        "Most of the value flows from Bob to Alice: Bob taught in 3 exchanges, Alice in 1 "
        "(a balance of 44%, under the program's 50%)."
    )


def test_the_one_way_threshold_is_read_from_the_program(cast, pairing):
    cast.river.one_way_below_balance = 0.3
    cast.river.save()
    lessons(pairing, cast.bob_p, cast.alice_p, 3, value=3)
    lessons(pairing, cast.alice_p, cast.bob_p, 1, value=4)  # 44% is fine here
    assert "one_way" not in flags_of(pairing)


# --- at risk ---------------------------------------------------------------------------


def test_a_pulse_rating_at_the_threshold_puts_the_pair_at_risk(cast, pairing):
    pulse(pairing, cast.bob_p, NOW - timedelta(days=3), lowest=2)
    assert flags_of(pairing)["at_risk"] == (
        "Bob's latest pulse (20 Nov 2026) rates something 2 out of 5. The program flags a "
        "pulse that rates anything 2 or lower."
    )


def test_a_pulse_rating_just_above_the_threshold_does_not(cast, pairing):
    pulse(pairing, cast.bob_p, NOW - timedelta(days=3), lowest=3)
    assert "at_risk" not in flags_of(pairing)


def test_only_the_latest_pulse_of_each_partner_counts(cast, pairing):
    pulse(pairing, cast.bob_p, NOW - timedelta(days=30), lowest=1)
    pulse(pairing, cast.bob_p, NOW - timedelta(days=3), lowest=4)
    assert "at_risk" not in flags_of(pairing)


def test_the_at_risk_threshold_is_read_from_the_program(cast, pairing):
    cast.river.at_risk_rating_at_most = 3
    cast.river.save()
    pulse(pairing, cast.alice_p, NOW - timedelta(days=3), lowest=3)
    assert "3 or lower" in flags_of(pairing)["at_risk"]


def test_a_coordinator_who_is_a_partner_does_not_see_their_partners_low_pulse(cast, pairing):
    cast.river.coordinators.add(cast.alice)
    pulse(pairing, cast.bob_p, NOW - timedelta(days=3), lowest=1)
    [row] = [r for r in health_rows(cast.river, viewer=cast.alice, now=NOW)]
    assert "at_risk" not in row.flag_kinds and row.pulse is None


# --- paused --------------------------------------------------------------------------


def test_a_paused_pair_raises_no_health_flag(cast, pairing):
    pulse(pairing, cast.bob_p, NOW - timedelta(days=3), lowest=1)
    lessons(pairing, cast.alice_p, cast.bob_p, 3, when=NOW - timedelta(days=40))
    assert set(flags_of(pairing)) == {"stalled", "one_way", "at_risk"}
    pairing.paused_at = NOW - timedelta(days=1)
    pairing.save()
    assert flags_of(pairing) == {}


# --- exit requested ------------------------------------------------------------------


def _exit(pairing, by, *, wants_rematch=False):
    pairing.status = PairingStatus.EXITED
    pairing.ended_at = NOW - timedelta(days=1)
    pairing.save()
    return Exit.objects.create(
        pairing=pairing,
        requested_by=by,
        reason="fit",
        detail="Private words.",
        wants_rematch=wants_rematch,
        created_at=NOW - timedelta(days=1),
    )


def test_an_exit_not_dealt_with_is_flagged_without_its_reason(cast, pairing):
    _exit(pairing, cast.alice_p, wants_rematch=True)
    explanation = flags_of(pairing)["exit_requested"]
    assert explanation == (
        "Alice left this pairing on 22 Nov 2026 and would like a new partner. "
        "Not yet dealt with in the exits queue."
    )
    assert "Private" not in explanation and "fit" not in explanation


def test_an_exit_dealt_with_is_no_longer_flagged(cast, pairing):
    exit = _exit(pairing, cast.alice_p)
    ExitReview.objects.create(program=cast.river, exit=exit, reviewed_by=cast.dana)
    assert flags_of(pairing) == {}


def test_an_old_exit_not_dealt_with_stays_on_the_dashboard(cast, pairing):
    _exit(pairing, cast.alice_p)
    assert "exit_requested" in flags_of(pairing, now=NOW + timedelta(days=90))


def test_a_request_for_a_new_partner_flags_the_pairing_it_came_from(cast, pairing):
    _exit(pairing, cast.alice_p)
    ExitReview.objects.create(program=cast.river, exit=pairing.exit, reviewed_by=cast.dana)
    cast.bob_p.rematch_requested_at = NOW
    cast.bob_p.save()
    assert flags_of(pairing)["exit_requested"] == (
        "Bob asked for a new partner on 23 Nov 2026. Not yet dealt with in the exits queue."
    )


def test_a_pairing_proposed_after_the_request_answers_it_and_is_not_flagged(cast, pairing):
    cast.charlie_p.rematch_requested_at = NOW - timedelta(days=2)
    cast.charlie_p.save()
    other = ParticipantFactory(program=cast.river)
    new = pairing_of(cast.charlie_p, other, status=PairingStatus.PROPOSED, started_at=None)
    new.proposed_at = NOW - timedelta(days=1)
    new.save()
    assert flags_of(new) == {}


def test_the_rematch_request_of_an_exit_is_not_flagged_twice(cast, pairing):
    exit = _exit(pairing, cast.alice_p, wants_rematch=True)
    cast.alice_p.rematch_requested_at = exit.created_at + timedelta(seconds=1)
    cast.alice_p.save()
    assert flags_of(pairing)["exit_requested"].count("Alice") == 1


def test_recently_ended_pairings_are_listed_and_older_ones_are_not(cast, pairing):
    pairing.status = PairingStatus.COMPLETED
    pairing.ended_at = NOW - timedelta(days=29)
    pairing.save()
    assert [row.pairing for row in health_rows(cast.river, now=NOW)] == [pairing]
    assert health_rows(cast.river, now=NOW + timedelta(days=2)) == []


def test_flags_use_the_current_time_zone_for_dates(cast, pairing):
    pulse(pairing, cast.bob_p, NOW.replace(hour=23, minute=30) - timedelta(days=3), lowest=1)
    with timezone.override("Asia/Tokyo"):
        assert "(21 Nov 2026)" in flags_of(pairing)["at_risk"]
