"""Reminders: an upcoming conversation in each reader's timezone, a pulse falling due; once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from tests.commands import run_twoway
from tests.factories import ConversationFactory
from twoway.notifications.models import Notification
from twoway.relationships.models import Conversation, ConversationStatus, Pulse
from twoway.relationships.services.reminders import reminders_send_due

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def pulse(pairing, author, when):
    return Pulse.objects.create(
        pairing=pairing,
        author=author,
        fit=4,
        trust=4,
        value_given=4,
        value_received=4,
        comment="Private: my partner talks over me.",
        submitted_at=when,
    )


@pytest.fixture
def pulses_sent(cast):
    """Both partners sent a pulse yesterday, so none is due."""
    for author in (cast.alice_p, cast.bob_p):
        pulse(cast.pairing, author, NOW - timedelta(days=1))


@pytest.fixture
def planned(cast, pulses_sent):
    cast.alice.timezone = "America/New_York"
    cast.alice.save()
    cast.bob.timezone = "Europe/London"
    cast.bob.save()
    return ConversationFactory(
        pairing=cast.pairing,
        status=ConversationStatus.PLANNED,
        starts_at=datetime(2026, 11, 24, 15, 0, tzinfo=UTC),
    )


def test_both_partners_hear_of_tomorrows_conversation_in_their_own_time(cast, planned):
    assert reminders_send_due(now=NOW) == 2
    to_alice = Notification.objects.get(recipient=cast.alice).title
    to_bob = Notification.objects.get(recipient=cast.bob).title
    assert to_alice == (
        "Your conversation with Bob is on Tuesday 24 November at 10:00 (America/New_York)."
    )
    assert to_bob == (
        "Your conversation with Alice is on Tuesday 24 November at 15:00 (Europe/London)."
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]


def test_a_reminder_is_raised_once_however_often_the_worker_runs(cast, planned):
    reminders_send_due(now=NOW)
    assert reminders_send_due(now=NOW + timedelta(minutes=5)) == 0
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2


def test_a_rescheduled_conversation_is_announced_again(cast, planned):
    reminders_send_due(now=NOW)
    Conversation.objects.filter(pk=planned.pk).update(
        starts_at=planned.starts_at + timedelta(hours=2), sequence=1
    )
    assert reminders_send_due(now=NOW) == 2


@pytest.mark.parametrize(
    ("status", "starts_in"),
    [
        (ConversationStatus.CANCELLED, timedelta(hours=20)),
        (ConversationStatus.PLANNED, timedelta(days=3)),
        (ConversationStatus.PLANNED, -timedelta(hours=1)),
    ],
)
def test_no_reminder_for_cancelled_far_off_or_past_conversations(
    cast, pulses_sent, status, starts_in
):
    fields = {"cancelled_at": NOW} if status == ConversationStatus.CANCELLED else {}
    ConversationFactory(pairing=cast.pairing, status=status, starts_at=NOW + starts_in, **fields)
    assert reminders_send_due(now=NOW) == 0


def test_the_remind_command_runs_once_and_says_how_many(tmp_path):
    env = {"TWOWAY_DATA_DIR": str(tmp_path)}
    assert run_twoway("migrate", **env).returncode == 0
    result = run_twoway("remind", **env)
    assert (
        result.returncode == 0
        and "Raised 0 reminder(s), recorded 0 new flag(s), sent 0 digest(s)." in result.stdout
    )


def test_the_worker_refuses_a_nonsense_interval():
    result = run_twoway("worker", "--reminder-interval", "soon")
    assert result.returncode == 2
    assert "--reminder-interval: 'soon' is not a number of seconds" in result.stderr


def test_a_pulse_falls_due_for_the_partner_who_has_not_sent_one(cast):
    pulse(cast.pairing, cast.alice_p, NOW - timedelta(days=1))
    pulse(cast.pairing, cast.bob_p, NOW - timedelta(days=40))
    assert reminders_send_due(now=NOW) == 1
    [note] = Notification.objects.all()
    assert note.recipient == cast.bob and note.kind == "pulse_due"
    assert note.link == f"/pairings/{cast.pairing.pk}/pulse/"
    assert "Alice" in note.title
    assert reminders_send_due(now=NOW + timedelta(hours=1)) == 0
    assert all("talks over me" not in m.body for m in mail.outbox)


def test_no_pulse_is_asked_of_an_ended_pairing(cast):
    cast.pairing.status = "completed"
    cast.pairing.save()
    assert reminders_send_due(now=NOW) == 0


def test_no_reminder_for_a_conversation_of_a_closed_pairing(cast, planned):
    cast.pairing.status = "exited"
    cast.pairing.save()
    assert reminders_send_due(now=NOW) == 0
