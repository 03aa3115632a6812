"""People ready for matching runs: completed profiles with offers and gaps."""

from __future__ import annotations

from django.utils import timezone

from tests.factories import ParticipantFactory, ProfileFactory, UserFactory
from twoway.profiles.models import Gap, Offer, Skill
from twoway.programs.models import Participant, Program


def ready(participant: Participant, *, offers=(), gaps=()) -> Participant:
    """Mark the profile complete and give the person offers and gaps (skill names)."""
    participant.profile_completed_at = timezone.now()
    participant.save(update_fields=["profile_completed_at"])
    for name in offers:
        Offer.objects.create(
            participant=participant, skill=Skill.objects.get(name=name), proficiency=4
        )
    for name in gaps:
        Gap.objects.create(participant=participant, skill=Skill.objects.get(name=name), priority=4)
    return participant


def enrolled(
    program: Program, name: str, *, department: str, level: int, offers=(), gaps=(), **profile
):
    user = UserFactory(full_name=name)
    ProfileFactory(user=user, department=department, level=level, **profile)
    participant = ParticipantFactory(program=program, user=user)
    return ready(participant, offers=offers, gaps=gaps)


SENIOR_SKILLS = {"offers": ("Budgeting", "Stakeholder management"), "gaps": ("Python scripting",)}
JUNIOR_SKILLS = {"offers": ("Python scripting",), "gaps": ("Budgeting", "Stakeholder management")}


def seniors_and_juniors(program: Program, count: int) -> list[Participant]:
    """`count` seniors (Finance, level 7) and `count` juniors (Engineering, level 2) who
    can each teach the other side something it wants."""
    people = []
    for i in range(count):
        people.append(
            enrolled(program, f"Senior {i}", department="Finance", level=7, **SENIOR_SKILLS)
        )
        people.append(
            enrolled(program, f"Junior {i}", department="Engineering", level=2, **JUNIOR_SKILLS)
        )
    return people
