"""Writes of the two-way ledger: after a conversation, each partner logs what they
learned from the other, and rates how valuable it was.

A person logs only their own learning (teacher: the partner; learner and
logger: themselves), and changes or removes only their own lines. The partner
sees every line, with its rating and note.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from twoway.core.errors import ActionError, NotFound
from twoway.pairing.selectors import PairSide
from twoway.pairing.services import pairing_status_locked
from twoway.profiles.models import Skill, normalise_skill_name
from twoway.profiles.services import skill_propose, skills_by_name
from twoway.relationships.models import Conversation, ConversationStatus, Exchange
from twoway.relationships.services.conversations import (
    LEDGER_STATUSES,
    conversation_locked,
)

NOTE_MAX = 2000
RATING_MIN, RATING_MAX = 1, 5


@dataclass(frozen=True)
class Learned:
    """One thing a person learned from their partner, as they typed it."""

    skill: str = ""
    value_rating: int | None = None
    note: str = ""

    @property
    def is_blank(self) -> bool:
        return not (self.skill.strip() or self.value_rating is not None or self.note.strip())


def _require_open(side: PairSide) -> None:
    if pairing_status_locked(side) not in LEDGER_STATUSES:
        raise ActionError("This pairing has closed, so its ledger cannot change.")


def _require_loggable(conversation: Conversation) -> None:
    if conversation.status == ConversationStatus.CANCELLED:
        raise ActionError("This conversation was cancelled, so there is nothing to log.")
    if conversation.starts_at > timezone.now():
        raise ActionError("You can log what you learned once the conversation has started.")


def _check_rating(value: int | None, skill_name: str, field: str) -> None:
    if value is None or not RATING_MIN <= value <= RATING_MAX:
        raise ActionError(f"Rate how valuable {skill_name} was to you, from 1 to 5.", field=field)


def _check_note(note: str, field: str) -> str:
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ActionError(f"Keep the note under {NOTE_MAX:,} characters.", field=field)
    return note


def _resolve_lines(lines: list[Learned], *, user) -> list[tuple[int, Skill, Learned]]:
    """Each filled-in line with its skill, in order; the first problem is raised,
    naming the row's field as `lines.<index>.<field>`.

    A skill the vocabulary lacks is added as proposed, for coordinators to
    curate; the caller's transaction takes it back if any line is refused.
    """
    filled = [(index, line) for index, line in enumerate(lines) if not line.is_blank]
    if not filled:
        raise ActionError("Add at least one thing you learned, with a rating.")
    skills = skills_by_name(normalise_skill_name(line.skill) for _, line in filled)
    resolved, seen = [], {}
    for index, line in filled:
        name = " ".join(line.skill.split())
        if not name:
            raise ActionError("Name the skill you learned.", field=f"lines.{index}.skill")
        skill = skills.get(normalise_skill_name(name)) or skill_propose(
            name=name, user=user, field=f"lines.{index}.skill"
        )
        if skill.pk in seen:
            raise ActionError(f"You listed {skill.name} twice.", field=f"lines.{index}.skill")
        seen[skill.pk] = index
        _check_rating(line.value_rating, skill.name, f"lines.{index}.value_rating")
        _check_note(line.note, f"lines.{index}.note")
        resolved.append((index, skill, line))
    return resolved


@transaction.atomic
def exchanges_log(*, side: PairSide, conversation_id: int, lines: list[Learned]) -> list[Exchange]:
    """Log what I learned from my partner in a conversation: several skills at once.

    All lines are written, or none. A planned conversation that has started is
    marked held: logging it says that it took place.
    """
    _require_open(side)
    conversation = conversation_locked(side, conversation_id)
    _require_loggable(conversation)
    resolved = _resolve_lines(lines, user=side.me.user)
    already = set(
        Exchange.objects.filter(
            conversation=conversation, teacher=side.partner, learner=side.me
        ).values_list("skill_id", flat=True)
    )
    for index, skill, _ in resolved:
        if skill.pk in already:
            raise ActionError(
                f"You already logged {skill.name} for this conversation; change that line instead.",
                field=f"lines.{index}.skill",
            )
    now = timezone.now()
    exchanges = [
        Exchange.objects.create(
            conversation=conversation,
            teacher=side.partner,
            learner=side.me,
            logged_by=side.me,
            skill=skill,
            value_rating=line.value_rating,
            note=line.note.strip(),
            created_at=now,
        )
        for _, skill, line in resolved
    ]
    if conversation.status == ConversationStatus.PLANNED:
        conversation.status = ConversationStatus.HELD
        conversation.updated_at = now
        conversation.save(update_fields=["status", "updated_at"])
    return exchanges


def _my_line_locked(side: PairSide, conversation_id: int, exchange_id: int) -> Exchange:
    """A line I logged of my own learning in this pair's conversation, or NotFound."""
    conversation_locked(side, conversation_id)
    exchange = (
        Exchange.objects.select_for_update()
        .filter(
            pk=exchange_id,
            conversation_id=conversation_id,
            learner=side.me,
            logged_by=side.me,
        )
        .select_related("skill")
        .first()
    )
    if exchange is None:
        raise NotFound("No such line")
    return exchange


@transaction.atomic
def exchange_update(
    *, side: PairSide, conversation_id: int, exchange_id: int, value_rating: int | None, note: str
) -> Exchange:
    """Change the rating or note of a line I logged."""
    _require_open(side)
    exchange = _my_line_locked(side, conversation_id, exchange_id)
    _check_rating(value_rating, exchange.skill.name, "value_rating")
    exchange.value_rating = value_rating
    exchange.note = _check_note(note, "note")
    exchange.save(update_fields=["value_rating", "note"])
    return exchange


@transaction.atomic
def exchange_remove(*, side: PairSide, conversation_id: int, exchange_id: int) -> Skill:
    """Remove a line I logged; returns its skill, for the confirmation message."""
    _require_open(side)
    exchange = _my_line_locked(side, conversation_id, exchange_id)
    skill = exchange.skill
    exchange.delete()
    return skill
