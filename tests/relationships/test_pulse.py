"""The pulse: when one is due, answering it, and the reminder's list."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from tests.factories import ParticipantFactory, pairing_of
from tests.permissions import (
    assert_anonymous_sent_to_sign_in,
    assert_only_partners_may_open,
    assert_outsiders_get_404,
    response_as,
)
from tests.relationships.growth_data import pulse
from twoway.core.errors import ActionError
from twoway.pairing.models import Pairing, PairingStatus
from twoway.pairing.selectors import side_of
from twoway.relationships.models import Pulse
from twoway.relationships.selectors.pulses import (
    pairings_with_pulse_due,
    pulse_due_on,
    pulse_is_due,
)
from twoway.relationships.services.pulses import pulse_submit

pytestmark = pytest.mark.django_db

ANSWERS = {"fit": 4, "trust": 5, "value_received": 3, "value_given": 2}
ACCEPTED = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def accepted_on(pairing: Pairing, when: datetime = ACCEPTED) -> Pairing:
    Pairing.objects.filter(pk=pairing.pk).update(accepted_at=when)
    pairing.refresh_from_db()
    return pairing


def side(cast, who: str = "alice"):
    pairing = Pairing.objects.select_related(
        "program", "participant_a__user", "participant_b__user"
    ).get(pk=cast.pairing.pk)
    return side_of(pairing, getattr(cast, who))


def url(cast) -> str:
    return f"/pairings/{cast.pairing.pk}/pulse/"


# --- When a pulse is due ----------------------------------------------------------------


def test_the_first_pulse_is_due_one_interval_after_the_pairing_was_accepted(cast):
    accepted_on(cast.pairing)
    assert cast.river.pulse_interval_days == 28
    assert pulse_due_on(side(cast)) == date(2026, 3, 29)
    with time_machine.travel(datetime(2026, 3, 28, 23, 59, tzinfo=UTC)):
        assert not pulse_is_due(side(cast))
    with time_machine.travel(datetime(2026, 3, 29, 0, 1, tzinfo=UTC)):
        assert pulse_is_due(side(cast))


def test_the_next_pulse_is_due_one_interval_after_the_persons_last(cast):
    accepted_on(cast.pairing)
    with time_machine.travel(datetime(2026, 3, 30, 9, 0, tzinfo=UTC)):
        pulse_submit(side=side(cast), **ANSWERS)
        assert not pulse_is_due(side(cast))
        assert pulse_is_due(side(cast, "bob"))  # bob's own clock has not restarted
    assert pulse_due_on(side(cast)) == date(2026, 4, 27)
    with time_machine.travel(datetime(2026, 4, 27, 8, 0, tzinfo=UTC)):
        assert pulse_is_due(side(cast))


def test_the_due_day_is_a_day_where_the_person_lives(cast):
    # 20:00 UTC on 1 March is already 09:00 on 2 March in Auckland (UTC+13).
    accepted_on(cast.pairing, datetime(2026, 3, 1, 20, 0, tzinfo=UTC))
    cast.alice.timezone = "Pacific/Auckland"
    cast.alice.save()
    assert pulse_due_on(side(cast)) == date(2026, 3, 30)
    assert pulse_due_on(side(cast, "bob")) == date(2026, 3, 29)
    with time_machine.travel(datetime(2026, 3, 29, 10, 0, tzinfo=UTC)):  # 23:00 in Auckland
        assert not pulse_is_due(side(cast)) and pulse_is_due(side(cast, "bob"))
    with time_machine.travel(datetime(2026, 3, 29, 12, 0, tzinfo=UTC)):  # 01:00 on the 30th
        assert pulse_is_due(side(cast))


def test_the_interval_is_the_programs(cast):
    accepted_on(cast.pairing)
    cast.river.pulse_interval_days = 14
    cast.river.save()
    assert pulse_due_on(side(cast)) == date(2026, 3, 15)


@pytest.mark.parametrize(
    "status", [PairingStatus.PROPOSED, PairingStatus.COMPLETED, PairingStatus.EXITED]
)
def test_no_pulse_is_asked_unless_the_pairing_is_under_way(cast, status):
    Pairing.objects.filter(pk=cast.pairing.pk).update(status=status)
    assert pulse_due_on(side(cast)) is None and not pulse_is_due(side(cast))
    with pytest.raises(ActionError):
        pulse_submit(side=side(cast), **ANSWERS)
    assert not Pulse.objects.exists()


# --- Answering --------------------------------------------------------------------------


def test_a_partner_answers_the_four_questions_when_due(client, cast):
    response = response_as(
        client, cast, "alice", url(cast), method="post", data={**ANSWERS, "comment": "Fine"}
    )
    assert response["Location"] == url(cast)
    saved = Pulse.objects.get()
    assert (saved.author, saved.fit, saved.trust) == (cast.alice_p, 4, 5)
    assert (saved.value_received, saved.value_given, saved.comment) == (3, 2, "Fine")
    page = client.get(url(cast)).content.decode()
    assert "Only your coordinators may read it; Bob never can." in page
    assert "Your next pulse is due on" in page


def test_a_pulse_before_it_is_due_is_refused_and_nothing_is_written(cast):
    pulse(cast.pairing, cast.alice_p, days_ago=3)
    with pytest.raises(ActionError) as refused:
        pulse_submit(side=side(cast), **ANSWERS)
    assert refused.value.message.startswith("Your next pulse is due on ")
    assert Pulse.objects.count() == 1


def test_each_answer_must_be_from_1_to_5_and_the_refusal_names_it(cast):
    for name in ANSWERS:
        for bad in (0, 6):
            with pytest.raises(ActionError) as refused:
                pulse_submit(side=side(cast), **{**ANSWERS, name: bad})
            assert refused.value.field == name
    assert not Pulse.objects.exists()


def test_a_missing_answer_is_shown_by_its_question_and_the_comment_is_kept(client, cast):
    response = response_as(
        client,
        cast,
        "alice",
        url(cast),
        method="post",
        data={"fit": 4, "trust": 4, "value_received": 4, "comment": "Half done"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_value_given_error"' in page and "This field is required" in page
    assert "Half done" in page and 'value="4" id="id_fit_3" required checked' in page
    assert not Pulse.objects.exists()


def test_a_double_submit_records_one_pulse(client, cast):
    client.force_login(cast.alice)
    client.post(url(cast), ANSWERS)
    response = client.post(url(cast), ANSWERS, follow=True)
    assert Pulse.objects.count() == 1
    assert '<li class="message error">Your next pulse is due on' in response.content.decode()


def test_the_pulse_tab_says_due_only_when_a_pulse_is_due(client, cast):
    overview = f"/pairings/{cast.pairing.pk}/"
    assert ">Due</span>" in response_as(client, cast, "alice", overview).content.decode()
    pulse(cast.pairing, cast.alice_p)
    assert ">Due</span>" not in client.get(overview).content.decode()
    assert ">Due</span>" in response_as(client, cast, "bob", overview).content.decode()


def test_the_page_says_who_sees_a_pulse_and_shows_ones_own_earlier_pulses(client, cast):
    pulse(cast.pairing, cast.alice_p, days_ago=40, comment="Early days")
    page = response_as(client, cast, "alice", url(cast)).content.decode()
    assert "Only your coordinators may read this; Bob never can." in page
    assert "How well do you and Bob work together?" in page
    assert "Early days" in page


def test_a_first_pulse_not_yet_due_says_when(client, cast):
    Pairing.objects.filter(pk=cast.pairing.pk).update(
        accepted_at=datetime.now(UTC) - timedelta(days=1)
    )
    page = response_as(client, cast, "alice", url(cast)).content.decode()
    assert "You have not sent a pulse in this pairing yet. Your first is due on" in page
    assert "Send to my coordinators" not in page


def test_an_ended_pairing_asks_for_no_pulse(client, cast):
    Pairing.objects.filter(pk=cast.pairing.pk).update(status=PairingStatus.COMPLETED)
    page = response_as(client, cast, "alice", url(cast)).content.decode()
    assert "No pulse is asked now" in page and "Send to my coordinators" not in page


# --- Permissions ------------------------------------------------------------------------


def test_only_the_partners_open_the_pulse_page_or_send_one(client, cast):
    assert_only_partners_may_open(client, cast, url(cast))
    assert_outsiders_get_404(client, cast, url(cast), method="post", data=ANSWERS)
    assert_anonymous_sent_to_sign_in(client, url(cast), method="post", data=ANSWERS)
    assert not Pulse.objects.exists()


# --- The reminder's list ----------------------------------------------------------------


def test_the_reminder_lists_each_partner_whose_pulse_is_due(cast):
    dave, erin_p = ParticipantFactory(program=cast.river), ParticipantFactory(program=cast.lake)
    other = pairing_of(cast.charlie_p, dave)
    lake = pairing_of(erin_p, ParticipantFactory(program=cast.lake), status=PairingStatus.COMPLETED)
    for pairing in (cast.pairing, other, lake):
        accepted_on(pairing)
    with time_machine.travel(datetime(2026, 3, 30, 9, 0, tzinfo=UTC)):
        pulse(cast.pairing, cast.alice_p)
        due = pairings_with_pulse_due()
    assert {(d.pairing.pk, d.participant.pk) for d in due} == {
        (cast.pairing.pk, cast.bob_p.pk),
        (other.pk, cast.charlie_p.pk),
        (other.pk, dave.pk),
    }
    assert all(d.due_on == date(2026, 3, 29) for d in due)


def test_the_reminder_list_is_one_query(cast, django_assert_num_queries):
    for _ in range(5):
        pairing_of(ParticipantFactory(program=cast.river), ParticipantFactory(program=cast.river))
    with django_assert_num_queries(1):
        assert len(pairings_with_pulse_due()) == 12


# --- Queries ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 20])
def test_the_pulse_page_takes_the_same_queries_however_many_pulses(
    client, cast, django_assert_num_queries, count
):
    for n in range(count):
        pulse(cast.pairing, cast.alice_p, days_ago=400 - n * 15, comment=f"Pulse {n}")
        pulse(cast.pairing, cast.bob_p, days_ago=400 - n * 15)
    client.force_login(cast.alice)
    # session, user, pairing, pulse due (the tab), my pulses, the navigation (bell and journal link)
    with django_assert_num_queries(6):
        response = client.get(url(cast))
    assert response.content.decode().count('class="pulse-item"') == count
