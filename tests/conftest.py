"""Shared fixtures, including the fixed cast for permission tests.

- alice and bob are partners in the "river" program;
- charlie is another participant of "river", paired with nobody;
- dana coordinates "river"; erin coordinates another program, "lake";
- sam sponsors "river"; root is a staff admin.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.factories import (
    ParticipantFactory,
    ProfileFactory,
    ProgramFactory,
    UserFactory,
    pairing_of,
)
from twoway.accounts.models import User
from twoway.pairing.models import Pairing
from twoway.programs.models import Participant, Program


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Argon2 is deliberately slow; tests that are not about hashing do not need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Cast:
    river: Program
    lake: Program
    alice: User
    bob: User
    charlie: User
    dana: User
    erin: User
    sam: User
    root: User
    alice_p: Participant
    bob_p: Participant
    charlie_p: Participant
    pairing: Pairing


def _person(name: str, **profile) -> User:
    user = UserFactory(email=f"{name}@example.org", full_name=name.capitalize() + " Example")
    ProfileFactory(user=user, **profile)
    return user


@pytest.fixture
def cast(db) -> Cast:
    river = ProgramFactory(name="River", slug="river")
    lake = ProgramFactory(name="Lake", slug="lake")
    alice = _person("alice", department="Finance", level=7)
    bob = _person("bob", department="Engineering", level=2)
    charlie = _person("charlie", department="Sales", level=3)
    dana, erin, sam = _person("dana"), _person("erin"), _person("sam")
    root = UserFactory(email="root@example.org", full_name="Root Admin", is_staff=True)
    river.coordinators.add(dana)
    river.sponsors.add(sam)
    lake.coordinators.add(erin)
    alice_p = ParticipantFactory(program=river, user=alice)
    bob_p = ParticipantFactory(program=river, user=bob)
    charlie_p = ParticipantFactory(program=river, user=charlie)
    return Cast(
        river=river,
        lake=lake,
        alice=alice,
        bob=bob,
        charlie=charlie,
        dana=dana,
        erin=erin,
        sam=sam,
        root=root,
        alice_p=alice_p,
        bob_p=bob_p,
        charlie_p=charlie_p,
        pairing=pairing_of(alice_p, bob_p),
    )
