"""Building pairings with conversations, exchanges and pulses for the health tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.factories import ConversationFactory, ParticipantFactory, exchange, pairing_of
from twoway.insights.selectors.health import health_rows
from twoway.profiles.models import Skill
from twoway.relationships.models import ConversationStatus, Pulse

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def held(pairing, when):
    return ConversationFactory(pairing=pairing, status=ConversationStatus.HELD, starts_at=when)


def pulse(pairing, author, when, *, lowest=4, comment=""):
    return Pulse.objects.create(
        pairing=pairing,
        author=author,
        fit=lowest,
        trust=5,
        value_given=5,
        value_received=5,
        comment=comment,
        submitted_at=when,
    )


def lessons(pairing, teacher, learner, count, *, value=4, when=None):
    """`count` exchanges in which `teacher` taught `learner`, in one held conversation."""
    conversation = held(pairing, when or NOW - timedelta(days=2))
    for lesson in Skill.objects.order_by("pk")[:count]:
        exchange(conversation, teacher, learner, value_rating=value, skill=lesson)
    return conversation


def flags_of(pairing, *, now=NOW, viewer=None) -> dict[str, str]:
    """The pairing's flags as {kind: explanation}, as the dashboard computes them."""
    rows = health_rows(pairing.program, viewer=viewer, now=now)
    [row] = [row for row in rows if row.pairing.pk == pairing.pk]
    return {flag.kind: flag.explanation for flag in row.flags}


def another_pair(program, **fields):
    a = ParticipantFactory(program=program)
    b = ParticipantFactory(program=program)
    return pairing_of(a, b, **fields)
