"""Builders for report tests: people, pairings and what they log, on fixed dates."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone

from tests.factories import (
    ConversationFactory,
    ParticipantFactory,
    ProfileFactory,
    UserFactory,
    exchange,
    pairing_of,
)
from twoway.pairing.models import PairingStatus
from twoway.profiles.models import Skill
from twoway.programs.models import Participant, Program
from twoway.relationships.models import Pulse

SEPTEMBER = datetime(2026, 9, 10, 12, tzinfo=UTC)
OCTOBER = datetime(2026, 10, 10, 12, tzinfo=UTC)
DECEMBER = datetime(2026, 12, 10, 12, tzinfo=UTC)


def person(program: Program, *, department: str = "Engineering", level: int = 3, **fields):
    user = UserFactory()
    ProfileFactory(user=user, department=department, level=level)
    fields.setdefault("profile_completed_at", timezone.now())
    return ParticipantFactory(program=program, user=user, **fields)


def senior(program: Program) -> Participant:
    return person(program, department="Finance", level=7)


def junior(program: Program) -> Participant:
    return person(program, department="Engineering", level=2)


def held(pairing, when: datetime = SEPTEMBER):
    return ConversationFactory(pairing=pairing, starts_at=when)


def a_skill(name: str) -> Skill:
    return Skill.objects.get_or_create(
        name=name, defaults={"category": "technology", "cluster": name.lower().replace(" ", "-")}
    )[0]


def pulse(pairing, author, when: datetime = SEPTEMBER, **ratings):
    for name, default in (("fit", 4), ("trust", 5), ("value_given", 3), ("value_received", 2)):
        ratings.setdefault(name, default)
    return Pulse.objects.create(pairing=pairing, author=author, submitted_at=when, **ratings)


def group_of(program: Program, size: int) -> list:
    """Pairings covering exactly `size` people, every one of them in the same groups.

    Seniors (Finance, level 7) are paired with juniors (Engineering, level 2); with an
    odd size, the first senior has a second, completed pairing. In each pairing the
    senior taught the junior once in September 2026 (rated 4), and both partners sent
    a pulse that month (fit 4, trust 5, value given 3, value received 2).
    """
    seniors = [senior(program) for _ in range(size // 2)]
    juniors = [junior(program) for _ in range(size - len(seniors))]
    pairings = []
    for index, learner in enumerate(juniors):
        teacher = seniors[index % len(seniors)]
        if index < len(seniors):
            pairing = pairing_of(teacher, learner)
        else:  # the senior's live place is taken: this one has ended
            pairing = pairing_of(
                teacher, learner, status=PairingStatus.COMPLETED, ended_at=timezone.now()
            )
        exchange(held(pairing), teacher, learner, value_rating=4)
        pulse(pairing, teacher)
        pulse(pairing, learner)
        pairings.append(pairing)
    return pairings
