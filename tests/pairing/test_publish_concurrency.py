"""Two coordinators publishing at the same moment never take anyone over capacity.

Runs on PostgreSQL, where writers run concurrently; SQLite takes its write lock at
BEGIN (IMMEDIATE transactions), so the race cannot happen there.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.db import connection

from tests.factories import ProgramFactory, UserFactory
from tests.pairing.matching_people import seniors_and_juniors
from twoway.core.errors import ActionError
from twoway.pairing import run_services
from twoway.pairing.models import OPEN_STATUSES, Pairing, RunStatus
from twoway.pairing.run_services import (
    matching_run_execute,
    matching_run_publish,
    matching_run_start,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_coordinators_publishing_at_once_never_exceed_the_capacity(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    program = ProgramFactory(capacity=1)
    first_coordinator, second_coordinator = UserFactory(), UserFactory()
    program.coordinators.add(first_coordinator, second_coordinator)
    seniors_and_juniors(program, 3)
    # Two runs computed from the same state: each pairs all six people.
    older, newer = (
        matching_run_execute(
            run_id=matching_run_start(program=program, started_by=first_coordinator).pk
        )
        for _ in range(2)
    )
    first_is_writing = threading.Event()
    notify = run_services._notify_partners

    def slow_notify(program, pairings):
        notify(program, pairings)
        first_is_writing.set()
        time.sleep(0.5)  # the other publish arrives while this transaction is open

    monkeypatch.setattr(run_services, "_notify_partners", slow_notify)
    outcomes: dict[str, str] = {}

    def publish(name: str, run, coordinator) -> None:
        try:
            outcomes[name] = f"published {matching_run_publish(run=run, by=coordinator)}"
        except ActionError as error:
            outcomes[name] = error.message
        finally:
            first_is_writing.set()
            connection.close()

    # The older run goes first and holds the program's lock; the newer one (which an
    # older publish does not supersede) waits, then counts places again and is refused.
    first = threading.Thread(target=publish, args=("older", older, first_coordinator))
    first.start()
    first_is_writing.wait(timeout=10)
    second = threading.Thread(target=publish, args=("newer", newer, second_coordinator))
    second.start()
    first.join(timeout=30)
    second.join(timeout=30)

    assert outcomes["older"] == "published 3"
    assert outcomes["newer"].startswith("Nothing was published: ")
    assert "would have more than 1 open pairing" in outcomes["newer"]
    open_pairings = Counter()
    for a, b in Pairing.objects.filter(status__in=OPEN_STATUSES).values_list(
        "participant_a_id", "participant_b_id"
    ):
        open_pairings[a] += 1
        open_pairings[b] += 1
    assert set(open_pairings.values()) == {1} and len(open_pairings) == 6
    newer.refresh_from_db()
    assert newer.status == RunStatus.SUCCEEDED and newer.published_at is None
