"""factory_boy factories for the domain model."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone

from twoway.accounts.models import User
from twoway.pairing.models import Pairing, PairingStatus
from twoway.profiles.models import Profile, Skill
from twoway.programs.models import Participant, Program, ProgramStatus
from twoway.relationships.models import Conversation, ConversationStatus, Exchange

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password(TEST_PASSWORD)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    department = "Engineering"
    level = 3
    hired_on = date(2020, 1, 6)
    location = "London"
    timezone = "Europe/London"
    languages = ["English"]


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    purpose = "Learning both ways."
    status = ProgramStatus.RUNNING
    starts_on = date(2026, 9, 1)
    ends_on = date(2027, 3, 1)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    program = factory.SubFactory(ProgramFactory)
    user = factory.SubFactory(UserFactory)


def pairing_of(a: Participant, b: Participant, **fields) -> Pairing:
    """A pairing in canonical order, whichever order the partners come in."""
    first, second = sorted((a, b), key=lambda p: p.pk)
    fields.setdefault("status", PairingStatus.ACTIVE)
    fields.setdefault("started_at", timezone.now() - timedelta(days=30))
    if fields["status"] != PairingStatus.PROPOSED:
        accepted = (fields["started_at"] or timezone.now()) - timedelta(days=1)
        for field in ("accepted_by_a_at", "accepted_by_b_at", "accepted_at"):
            fields.setdefault(field, accepted)
    return Pairing.objects.create(
        program=a.program, participant_a=first, participant_b=second, **fields
    )


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    status = ConversationStatus.HELD


def skill(name: str = "Budgeting") -> Skill:
    return Skill.objects.get(name=name)


def exchange(conversation: Conversation, teacher: Participant, learner: Participant, **fields):
    fields.setdefault("skill", skill())
    fields.setdefault("logged_by", learner)
    return Exchange.objects.create(
        conversation=conversation, teacher=teacher, learner=learner, **fields
    )
