"""Writes of a pair's conversations: schedule, reschedule, cancel, shared notes.

Times arrive as aware datetimes (the form read them in the person's own
timezone) and are stored in UTC. Every change a calendar should pick up raises
the conversation's SEQUENCE, and the partner is told, in their own timezone,
without the shared notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from twoway.core.errors import ActionError, NotFound
from twoway.core.models import made_just_now
from twoway.core.timezones import moment_in_words
from twoway.notifications.models import NotificationKind
from twoway.notifications.services import Note, notify
from twoway.pairing.models import LIVE_STATUSES, PairingStatus
from twoway.pairing.selectors import PairSide
from twoway.pairing.services import pairing_status_locked
from twoway.profiles.models import Skill
from twoway.relationships.models import Conversation, ConversationStatus
from twoway.relationships.selectors.conversations import LONGEST_CONVERSATION

SHORTEST_MINUTES, LONGEST_MINUTES = 1, 600  # the database checks the same range
FURTHEST_AHEAD = timedelta(days=366)
LOCATION_MAX = 300
NOTES_MAX = 20_000
TOPICS_MAX, TOPIC_MAX_LENGTH = 10, 120

# The pair keeps writing in its space until the pairing closes; a completed
# pairing may still log its last conversation.
LEDGER_STATUSES = (*LIVE_STATUSES, PairingStatus.COMPLETED)


class NotesChangedMeanwhile(ActionError):
    """The partner saved the notes after this person opened them."""


@dataclass(frozen=True)
class Plan:
    """When and where a conversation takes place, and what the pair means to cover."""

    starts_at: datetime
    duration_minutes: int
    location: str = ""
    focus_skill_ids: tuple[int, ...] = ()
    topics: tuple[str, ...] = ()


def conversation_locked(side: PairSide, conversation_id: int) -> Conversation:
    """One of this pair's conversations, locked against a double submit, or NotFound."""
    conversation = (
        Conversation.objects.select_for_update()
        .filter(pairing=side.pairing, pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise NotFound("No such conversation")
    conversation.pairing = side.pairing
    return conversation


def _require_live(side: PairSide) -> None:
    if pairing_status_locked(side) not in LIVE_STATUSES:
        raise ActionError(
            "Your pairing is not open, so conversations cannot be scheduled or changed."
        )


def _clean_plan(side: PairSide, plan: Plan) -> tuple[str, list[Skill], list[str]]:
    """Check a plan; returns the tidied location, the focus skills and the topics."""
    if timezone.is_naive(plan.starts_at):
        raise ValueError("starts_at must be an aware datetime")
    began = side.pairing.accepted_at or side.pairing.proposed_at
    if plan.starts_at < began:
        raise ActionError(
            "That is before your pairing began. Choose a later date.", field="starts_at"
        )
    if plan.starts_at > timezone.now() + FURTHEST_AHEAD:
        raise ActionError("Choose a date within the next year.", field="starts_at")
    if not SHORTEST_MINUTES <= plan.duration_minutes <= LONGEST_MINUTES:
        raise ActionError(
            "A conversation lasts between 1 minute and 10 hours.", field="duration_minutes"
        )
    location = " ".join(plan.location.split())
    if len(location) > LOCATION_MAX:
        raise ActionError(
            f"Keep the place or link under {LOCATION_MAX} characters.", field="location"
        )
    skills = list(Skill.objects.filter(pk__in=set(plan.focus_skill_ids)))
    if len(skills) != len(set(plan.focus_skill_ids)):
        raise ActionError("Choose skills from the list.", field="focus_skills")
    topics = [" ".join(topic.split()) for topic in plan.topics]
    topics = [topic for topic in topics if topic]
    if len(topics) > TOPICS_MAX:
        raise ActionError(f"List at most {TOPICS_MAX} other topics.", field="topics")
    if any(len(topic) > TOPIC_MAX_LENGTH for topic in topics):
        raise ActionError(f"Keep each topic under {TOPIC_MAX_LENGTH} characters.", field="topics")
    return location, skills, topics


@transaction.atomic
def conversation_schedule(*, side: PairSide, plan: Plan) -> Conversation:
    """Plan a conversation of an accepted or active pairing; the partner is told.

    One that has already ended is recorded as held, ready for both to log what
    they learned. A second submit of the same plan (a double click) returns the
    conversation the first one made: the pairing's row lock puts the two in line.
    """
    _require_live(side)
    location, skills, topics = _clean_plan(side, plan)
    now = timezone.now()
    just_made = made_just_now(
        Conversation.objects.filter(
            pairing=side.pairing, logged_by=side.me, starts_at=plan.starts_at
        )
    )
    if just_made is not None:
        return just_made
    _refuse_a_clash(side, plan)
    past = plan.starts_at + timedelta(minutes=plan.duration_minutes) <= now
    conversation = Conversation.objects.create(
        pairing=side.pairing,
        status=ConversationStatus.HELD if past else ConversationStatus.PLANNED,
        starts_at=plan.starts_at,
        duration_minutes=plan.duration_minutes,
        location=location,
        topics=topics,
        logged_by=side.me,
        created_at=now,
        updated_at=now,
    )
    conversation.focus_skills.set(skills)
    if past:
        _tell_partner(side, conversation, "recorded your conversation of {when}")
    else:
        _tell_partner(side, conversation, "scheduled a conversation with you for {when}")
    return conversation


def _refuse_a_clash(side: PairSide, plan: Plan, *, moving: Conversation | None = None) -> None:
    """Two conversations of one pair cannot overlap: one of them is a mistake."""
    ends = plan.starts_at + timedelta(minutes=plan.duration_minutes)
    nearby = Conversation.objects.filter(
        pairing=side.pairing,
        starts_at__lt=ends,
        starts_at__gt=plan.starts_at - LONGEST_CONVERSATION,
    ).exclude(status=ConversationStatus.CANCELLED)
    if moving is not None:
        nearby = nearby.exclude(pk=moving.pk)
    clash = next((c for c in nearby if c.ends_at > plan.starts_at), None)
    if clash is not None:
        when = moment_in_words(clash.starts_at, side.me.user)
        raise ActionError(
            f"You already have a conversation with {side.partner.user.display_name} then "
            f"({when}). Choose another time, or change that one.",
            field="starts_at",
        )


def _require_planned(conversation: Conversation) -> None:
    if conversation.status == ConversationStatus.CANCELLED:
        raise ActionError("This conversation was cancelled. Schedule a new one instead.")
    if conversation.status == ConversationStatus.HELD:
        raise ActionError("This conversation has already taken place, so it cannot change.")


@transaction.atomic
def conversation_reschedule(*, side: PairSide, conversation_id: int, plan: Plan) -> Conversation:
    """Move a planned conversation, or change its place or focus.

    A change calendars show (time, length or place) raises SEQUENCE and tells
    the partner; a change of focus alone does neither.
    """
    _require_live(side)
    conversation = conversation_locked(side, conversation_id)
    _require_planned(conversation)
    location, skills, topics = _clean_plan(side, plan)
    _refuse_a_clash(side, plan, moving=conversation)
    calendar_change = (
        conversation.starts_at != plan.starts_at
        or conversation.duration_minutes != plan.duration_minutes
        or conversation.location != location
    )
    conversation.starts_at = plan.starts_at
    conversation.duration_minutes = plan.duration_minutes
    conversation.location = location
    conversation.topics = topics
    conversation.updated_at = timezone.now()
    if calendar_change:
        conversation.sequence += 1
    conversation.save()
    conversation.focus_skills.set(skills)
    if calendar_change:
        _tell_partner(side, conversation, "moved your conversation to {when}")
    return conversation


@transaction.atomic
def conversation_cancel(*, side: PairSide, conversation_id: int) -> Conversation:
    """Call off a planned conversation. It keeps its UID, so calendars remove the event."""
    _require_live(side)
    conversation = conversation_locked(side, conversation_id)
    _require_planned(conversation)
    now = timezone.now()
    conversation.status = ConversationStatus.CANCELLED
    conversation.cancelled_at = now
    conversation.updated_at = now
    conversation.sequence += 1
    conversation.save(update_fields=["status", "cancelled_at", "updated_at", "sequence"])
    _tell_partner(side, conversation, "cancelled your conversation of {when}")
    return conversation


@transaction.atomic
def conversation_notes_save(
    *, side: PairSide, conversation_id: int, shared_notes: str, based_on: str | None = None
) -> Conversation:
    """Save the notes both partners keep for a conversation.

    `based_on` is the text the person started editing from: when the partner
    saved other notes meanwhile, the save is refused rather than losing theirs.
    """
    if pairing_status_locked(side) not in LEDGER_STATUSES:
        raise ActionError("This pairing has closed, so its notes cannot change.")
    conversation = conversation_locked(side, conversation_id)
    if conversation.status == ConversationStatus.CANCELLED:
        raise ActionError("This conversation was cancelled, so its notes cannot change.")
    notes = shared_notes.strip()
    if len(notes) > NOTES_MAX:
        raise ActionError(f"Keep the notes under {NOTES_MAX:,} characters.", field="shared_notes")
    if based_on is not None and not _same_text(based_on, conversation.shared_notes):
        raise NotesChangedMeanwhile(
            f"{side.partner.user.display_name} changed these notes while you were editing. "
            "Their version is shown below the box; add your changes to it and save again.",
            field="shared_notes",
        )
    if notes != conversation.shared_notes:
        conversation.shared_notes = notes
        conversation.updated_at = timezone.now()
        conversation.save(update_fields=["shared_notes", "updated_at"])
    return conversation


def _same_text(a: str, b: str) -> bool:
    # Browsers send line breaks as CRLF; what is stored has LF.
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


# --- Telling the partner -----------------------------------------------------------


def _tell_partner(side: PairSide, conversation: Conversation, what: str) -> None:
    """A note in the partner's own timezone. Never the notes or the place: a link
    to a call can be a key to it, so the partner opens Twoway to see it."""
    partner = side.partner.user
    title = f"{side.me.user.display_name} " + what.format(
        when=moment_in_words(conversation.starts_at, partner)
    )
    link = reverse("relationships:conversation", args=[side.pairing.pk, conversation.pk])
    notify(
        recipients=[partner],
        note=Note(NotificationKind.CONVERSATION_SCHEDULED, title, link=link),
    )
