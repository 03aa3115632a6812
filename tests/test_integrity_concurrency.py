"""Two transactions racing for a participant's last place: only one may win.

Runs on PostgreSQL, where writers run concurrently; SQLite takes its write lock at
BEGIN (IMMEDIATE transactions), so the race cannot happen there.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import ParticipantFactory, ProgramFactory, pairing_of
from twoway.pairing.models import Pairing, PairingStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_activations_cannot_exceed_capacity():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    program = ProgramFactory(capacity=1)
    alice, bob, charlie = (ParticipantFactory(program=program) for _ in range(3))
    first_inserted = threading.Event()
    outcomes: dict[str, str] = {}

    def activate(name: str, partner, hold_open: bool) -> None:
        try:
            with transaction.atomic():
                pairing_of(alice, partner, status=PairingStatus.ACTIVE)
                if hold_open:
                    first_inserted.set()
                    time.sleep(0.5)  # the other transaction runs while this one is open
            outcomes[name] = "committed"
        except IntegrityError as error:
            outcomes[name] = str(error)
        finally:
            first_inserted.set()
            connection.close()

    first = threading.Thread(target=activate, args=("first", bob, True))
    first.start()
    first_inserted.wait(timeout=10)
    second = threading.Thread(target=activate, args=("second", charlie, False))
    second.start()
    first.join(timeout=30)
    second.join(timeout=30)

    assert outcomes["first"] == "committed"
    assert "pairing_within_capacity" in outcomes["second"]
    assert Pairing.objects.filter(status=PairingStatus.ACTIVE).count() == 1
