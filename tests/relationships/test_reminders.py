"""Reminders for an upcoming conversation: raised once, in each reader's timezone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from tests.commands import run_twoway
from tests.factories import ConversationFactory
from twoway.notifications.models import Notification
from twoway.relationships.models import Conversation, ConversationStatus
from twoway.relationships.services.reminders import reminders_send_due

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def planned(cast):
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
def test_no_reminder_for_cancelled_far_off_or_past_conversations(cast, status, starts_in):
    fields = {"cancelled_at": NOW} if status == ConversationStatus.CANCELLED else {}
    ConversationFactory(pairing=cast.pairing, status=status, starts_at=NOW + starts_in, **fields)
    assert reminders_send_due(now=NOW) == 0


def test_the_remind_command_runs_once_and_says_how_many(tmp_path):
    env = {"TWOWAY_DATA_DIR": str(tmp_path)}
    assert run_twoway("migrate", **env).returncode == 0
    result = run_twoway("remind", **env)
    assert result.returncode == 0 and "Raised 0 reminder(s)." in result.stdout


def test_the_worker_refuses_a_nonsense_interval():
    result = run_twoway("worker", "--reminder-interval", "soon")
    assert result.returncode == 2
    assert "--reminder-interval: 'soon' is not a number of seconds" in result.stderr
