"""A pair schedules, moves and cancels its conversations, and keeps shared notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import ParticipantFactory, pairing_of, skill
from tests.relationships.conversation_helpers import (
    a_plan,
    conversation_url,
    planned,
    side_of_user,
)
from twoway.core.errors import ActionError, NotFound
from twoway.notifications.models import Notification, NotificationKind
from twoway.pairing.models import PairingStatus
from twoway.relationships.models import Conversation, ConversationStatus
from twoway.relationships.selectors.conversations import (
    conversation_next,
    conversations_starting_between,
)
from twoway.relationships.services.conversations import (
    conversation_cancel,
    conversation_notes_save,
    conversation_reschedule,
    conversation_schedule,
)

pytestmark = pytest.mark.django_db


def notes_to(user):
    return Notification.objects.filter(recipient=user, kind=NotificationKind.CONVERSATION_SCHEDULED)


# --- Scheduling ---------------------------------------------------------------------------


def test_scheduling_stores_the_plan_and_tells_the_partner(cast):
    budgeting = skill("Budgeting")
    plan = a_plan(focus_skill_ids=(budgeting.pk,), topics=("Quarter close", " ", "Hiring plan"))
    conversation = conversation_schedule(side=side_of_user(cast, "alice"), plan=plan)
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.PLANNED
    assert conversation.starts_at == plan.starts_at
    assert conversation.duration_minutes == 45 and conversation.location == "Room 4.12"
    assert conversation.logged_by == cast.alice_p and conversation.sequence == 0
    assert list(conversation.focus_skills.all()) == [budgeting]
    assert conversation.topics == ["Quarter close", "Hiring plan"]
    note = notes_to(cast.bob).get()
    assert note.title.startswith("Alice scheduled a conversation with you for ")
    assert note.link == conversation_url(conversation)
    assert not notes_to(cast.alice).exists()


def test_the_partner_is_told_in_their_own_timezone_and_never_the_place(cast):
    cast.bob.timezone = "America/New_York"
    cast.bob.save()
    starts = datetime(2027, 1, 12, 15, 30, tzinfo=UTC)  # 10:30 in New York
    with time_machine.travel(datetime(2027, 1, 5, tzinfo=UTC), tick=False):
        conversation_schedule(
            side=side_of_user(cast, "alice"),
            plan=a_plan(starts_at=starts, location="https://meet.example.org/secret-room"),
        )
    note = notes_to(cast.bob).get()
    assert "Tuesday 12 January at 10:30 (America/New_York)" in note.title
    assert "secret-room" not in note.title + note.body + note.link


@pytest.mark.parametrize(
    "status",
    [PairingStatus.PROPOSED, PairingStatus.COMPLETED, PairingStatus.EXITED],
)
def test_a_pairing_that_is_not_accepted_or_active_cannot_schedule(cast, status):
    cast.pairing.status = status
    cast.pairing.save()
    with pytest.raises(ActionError, match="not open"):
        conversation_schedule(side=side_of_user(cast), plan=a_plan())
    assert not Conversation.objects.exists()
    assert not Notification.objects.exists()


def test_a_double_submit_schedules_one_conversation_and_tells_the_partner_once(cast):
    plan = a_plan()
    first = conversation_schedule(side=side_of_user(cast), plan=plan)
    again = conversation_schedule(side=side_of_user(cast), plan=plan)
    assert again == first
    assert Conversation.objects.count() == 1
    assert notes_to(cast.bob).count() == 1


def test_an_accepted_pairing_can_schedule_its_first_conversation(cast):
    cast.pairing.status = PairingStatus.ACCEPTED
    cast.pairing.save()
    conversation_schedule(side=side_of_user(cast, "bob"), plan=a_plan())
    assert Conversation.objects.get().logged_by == cast.bob_p


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": timezone.now() - timedelta(days=400)}, "starts_at"),
        ({"starts_at": timezone.now() + timedelta(days=400)}, "starts_at"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 601}, "duration_minutes"),
        ({"location": "x" * 301}, "location"),
        ({"focus_skill_ids": (999_999,)}, "focus_skills"),
        ({"topics": tuple(f"Topic {n}" for n in range(11))}, "topics"),
        ({"topics": ("y" * 121,)}, "topics"),
    ],
)
def test_a_bad_plan_is_refused_naming_the_field_and_nothing_is_written(cast, changes, field):
    with pytest.raises(ActionError) as refused:
        conversation_schedule(side=side_of_user(cast), plan=a_plan(**changes))
    assert refused.value.field == field
    assert not Conversation.objects.exists()
    assert not Notification.objects.exists()


def test_a_conversation_that_already_happened_can_be_recorded(cast):
    """A pair that met in the corridor can still add the meeting, then log it."""
    yesterday = timezone.now() - timedelta(days=1)
    conversation = conversation_schedule(side=side_of_user(cast), plan=a_plan(starts_at=yesterday))
    assert conversation.status == ConversationStatus.HELD
    assert conversation.starts_at == yesterday
    assert "recorded your conversation of" in notes_to(cast.bob).get().title


def test_two_conversations_of_a_pair_cannot_overlap(cast):
    first = conversation_schedule(side=side_of_user(cast), plan=a_plan())
    clash = a_plan(starts_at=first.starts_at + timedelta(minutes=15))
    with pytest.raises(ActionError, match="You already have a conversation with Alice then") as no:
        conversation_schedule(side=side_of_user(cast, "bob"), plan=clash)
    assert no.value.field == "starts_at"
    assert Conversation.objects.count() == 1
    later = a_plan(starts_at=first.ends_at)  # right after it ends is fine
    conversation_schedule(side=side_of_user(cast, "bob"), plan=later)
    assert Conversation.objects.count() == 2


# --- Rescheduling and cancelling ----------------------------------------------------------


def test_moving_a_conversation_raises_its_sequence_and_tells_the_partner(cast):
    conversation = planned(cast)
    later = conversation.starts_at + timedelta(days=1)
    moved = conversation_reschedule(
        side=side_of_user(cast, "bob"),
        conversation_id=conversation.pk,
        plan=a_plan(starts_at=later, duration_minutes=60, location="Café on floor 2"),
    )
    moved.refresh_from_db()
    assert moved.uid == conversation.uid
    assert (moved.starts_at, moved.duration_minutes, moved.location) == (
        later,
        60,
        "Café on floor 2",
    )
    assert moved.sequence == 1
    assert notes_to(cast.alice).get().title.startswith("Bob moved your conversation to ")


def test_changing_only_the_focus_keeps_the_calendar_event_as_it_was(cast):
    conversation = planned(cast, location="Room 4.12", duration_minutes=45)
    conversation_reschedule(
        side=side_of_user(cast),
        conversation_id=conversation.pk,
        plan=a_plan(starts_at=conversation.starts_at, focus_skill_ids=(skill("Budgeting").pk,)),
    )
    conversation.refresh_from_db()
    assert conversation.sequence == 0
    assert [s.name for s in conversation.focus_skills.all()] == ["Budgeting"]
    assert not Notification.objects.exists()


def test_cancelling_keeps_the_uid_raises_the_sequence_and_tells_the_partner(cast):
    conversation = planned(cast)
    conversation_cancel(side=side_of_user(cast), conversation_id=conversation.pk)
    cancelled = Conversation.objects.get()
    assert cancelled.uid == conversation.uid
    assert cancelled.status == ConversationStatus.CANCELLED
    assert cancelled.cancelled_at is not None and cancelled.sequence == 1
    assert notes_to(cast.bob).get().title.startswith("Alice cancelled your conversation of ")


@pytest.mark.parametrize("status", [ConversationStatus.HELD, ConversationStatus.CANCELLED])
def test_a_held_or_cancelled_conversation_cannot_be_moved_or_cancelled(cast, status):
    conversation = planned(cast, starts_in=-timedelta(days=1), status=status)
    side = side_of_user(cast)
    with pytest.raises(ActionError):
        conversation_reschedule(side=side, conversation_id=conversation.pk, plan=a_plan())
    with pytest.raises(ActionError):
        conversation_cancel(side=side, conversation_id=conversation.pk)
    conversation.refresh_from_db()
    assert conversation.status == status and conversation.sequence == 0
    assert not Notification.objects.exists()


def test_a_closed_pairing_cannot_move_or_cancel_its_conversations(cast):
    conversation = planned(cast)
    cast.pairing.status = PairingStatus.EXITED
    cast.pairing.save()
    side = side_of_user(cast)
    with pytest.raises(ActionError, match="not open"):
        conversation_cancel(side=side, conversation_id=conversation.pk)
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.PLANNED


def test_a_conversation_of_another_pairing_does_not_exist_for_this_pair(cast):
    someone = ParticipantFactory(program=cast.river)
    other = planned(cast, pairing=pairing_of(cast.charlie_p, someone), logged_by=cast.charlie_p)
    side = side_of_user(cast)
    with pytest.raises(NotFound):
        conversation_cancel(side=side, conversation_id=other.pk)
    with pytest.raises(NotFound):
        conversation_notes_save(side=side, conversation_id=other.pk, shared_notes="Hi")
    other.refresh_from_db()
    assert other.status == ConversationStatus.PLANNED and other.shared_notes == ""


# --- Shared notes -------------------------------------------------------------------------


def test_both_partners_keep_the_same_shared_notes(cast):
    conversation = planned(cast)
    conversation_notes_save(
        side=side_of_user(cast, "alice"),
        conversation_id=conversation.pk,
        shared_notes="  Agenda: budgets  ",
        based_on="",
    )
    conversation_notes_save(
        side=side_of_user(cast, "bob"),
        conversation_id=conversation.pk,
        shared_notes="Agenda: budgets\r\nAnd Python",
        based_on="Agenda: budgets",
    )
    conversation.refresh_from_db()
    assert conversation.shared_notes == "Agenda: budgets\r\nAnd Python"
    assert not Notification.objects.exists()  # notes never travel in a notification


def test_notes_the_partner_saved_meanwhile_are_not_overwritten(cast):
    conversation = planned(cast, shared_notes="Bob's agenda")
    with pytest.raises(ActionError, match="changed these notes while you were editing") as e:
        conversation_notes_save(
            side=side_of_user(cast, "alice"),
            conversation_id=conversation.pk,
            shared_notes="Alice's agenda",
            based_on="",
        )
    assert e.value.field == "shared_notes"
    conversation.refresh_from_db()
    assert conversation.shared_notes == "Bob's agenda"


def test_notes_of_a_cancelled_conversation_or_too_long_are_refused(cast):
    conversation = planned(cast)
    with pytest.raises(ActionError) as too_long:
        conversation_notes_save(
            side=side_of_user(cast), conversation_id=conversation.pk, shared_notes="n" * 20_001
        )
    assert too_long.value.field == "shared_notes"
    conversation_cancel(side=side_of_user(cast), conversation_id=conversation.pk)
    with pytest.raises(ActionError, match="cancelled"):
        conversation_notes_save(
            side=side_of_user(cast), conversation_id=conversation.pk, shared_notes="Hi"
        )
    conversation.refresh_from_db()
    assert conversation.shared_notes == ""


# --- Reads for the overview and the reminder job -------------------------------------------------


def test_the_next_conversation_is_the_soonest_planned_one_not_yet_ended(cast):
    side = side_of_user(cast)
    assert conversation_next(side) is None
    planned(cast, starts_in=timedelta(days=9))
    soon = planned(cast, starts_in=timedelta(days=2))
    planned(cast, starts_in=timedelta(days=1), status=ConversationStatus.CANCELLED)
    planned(cast, starts_in=-timedelta(hours=3))  # ended, never logged
    assert conversation_next(side) == soon
    under_way = planned(cast, starts_in=-timedelta(minutes=10))
    assert conversation_next(side) == under_way


def test_reminders_find_planned_conversations_of_live_pairings_in_the_window(
    cast, django_assert_num_queries
):
    start = timezone.now() + timedelta(hours=24)
    inside = planned(cast, starts_in=timedelta(hours=24, minutes=30))
    planned(cast, starts_in=timedelta(hours=26))  # after the window
    planned(cast, starts_in=timedelta(hours=24, minutes=10), status=ConversationStatus.CANCELLED)
    someone = ParticipantFactory(program=cast.river)
    ended = pairing_of(cast.charlie_p, someone, status=PairingStatus.EXITED)
    planned(cast, pairing=ended, logged_by=cast.charlie_p, starts_in=timedelta(hours=24, minutes=5))
    with django_assert_num_queries(1):  # both partners come loaded, for the reminder
        found = conversations_starting_between(start, start + timedelta(hours=1))
        recipients = {found[0].pairing.participant_a.user, found[0].pairing.participant_b.user}
    assert found == [inside]
    assert recipients == {cast.alice, cast.bob}
