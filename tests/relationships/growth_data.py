"""Small builders for the journal, goal, pulse and endorsement tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.factories import ConversationFactory, skill
from twoway.profiles.models import Gap
from twoway.relationships.models import (
    ConversationStatus,
    Goal,
    GoalCheckIn,
    JournalEntry,
    Pulse,
)


def entry(author, *, days_ago: float = 0, skills=(), **fields) -> JournalEntry:
    """A journal entry written `days_ago`, tagged with skills named in `skills`."""
    fields.setdefault("body", "A private thought.")
    when = timezone.now() - timedelta(days=days_ago)
    row = JournalEntry.objects.create(author=author, created_at=when, updated_at=when, **fields)
    row.skills.set([skill(name) for name in skills])
    return row


def gap(participant, name: str = "Budgeting", priority: int = 3) -> Gap:
    return Gap.objects.create(participant=participant, skill=skill(name), priority=priority)


def goal(pairing, owner, name: str = "Budgeting", **fields) -> Goal:
    fields.setdefault("title", f"Get confident with {name.lower()}")
    return Goal.objects.create(pairing=pairing, owner=owner, skill=skill(name), **fields)


def check_in(goal_row: Goal, progress: int, note: str = "") -> GoalCheckIn:
    return GoalCheckIn.objects.create(goal=goal_row, progress_percent=progress, note=note)


def planned_conversation(pairing, *, skills=(), in_days: float = 2):
    conversation = ConversationFactory(
        pairing=pairing,
        status=ConversationStatus.PLANNED,
        starts_at=timezone.now() + timedelta(days=in_days),
    )
    conversation.focus_skills.set([skill(name) for name in skills])
    return conversation


def pulse(pairing, author, *, days_ago: float = 0, comment: str = "", **scores) -> Pulse:
    for name in ("fit", "trust", "value_given", "value_received"):
        scores.setdefault(name, 4)
    return Pulse.objects.create(
        pairing=pairing,
        author=author,
        comment=comment,
        submitted_at=timezone.now() - timedelta(days=days_ago),
        **scores,
    )
