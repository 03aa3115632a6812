"""The demo pilot's pairings, made the way a coordinator makes them: a matching run.

The coordinator locked one pair before running the engine (the two printed demo
accounts, so that signing in as either shows a live pairing); the engine proposed
every other pair from the participants' offers and gaps, and the coordinator
published the run. The story then moves the dates back to the pilot's start.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from twoway.accounts.models import User
from twoway.core.errors import ActionError
from twoway.notifications.models import Notification, NotificationKind
from twoway.pairing.models import MatchingRun, PairingStatus, PairRule, PairRuleKind
from twoway.pairing.run_services import (
    matching_run_execute,
    matching_run_publish,
    matching_run_start,
)
from twoway.programs.models import Participant, Program


def pilot_matching_publish(
    *, program: Program, coordinator: User, locked: tuple[Participant, Participant], run_at
) -> MatchingRun:
    """Lock the printed pair, run the engine on the whole pilot, publish what it proposes."""
    first, second = sorted(locked, key=lambda participant: participant.pk)
    PairRule.objects.create(
        program=program,
        participant_a=first,
        participant_b=second,
        kind=PairRuleKind.LOCK,
        created_by=coordinator,
    )
    started = matching_run_start(program=program, started_by=coordinator)
    run = matching_run_execute(run_id=started.pk)
    if run is None or run.error:
        raise ActionError(f"The demo's matching run failed: {run.error if run else 'not run'}")
    matching_run_publish(run=run, by=coordinator)
    _move_back_to(run, run_at)
    return run


def _move_back_to(run: MatchingRun, when: datetime) -> None:
    """The run happened before the pilot started; so did what it told people."""
    MatchingRun.objects.filter(pk=run.pk).update(
        created_at=when,
        started_at=when,
        finished_at=when + timedelta(seconds=2),
        published_at=when + timedelta(hours=1),
    )
    told = Notification.objects.filter(
        kind__in=[NotificationKind.PAIRING_PROPOSED, NotificationKind.MATCHING_RUN_FINISHED],
        read_at=None,
    )
    told.update(created_at=when + timedelta(hours=1), read_at=when + timedelta(days=1))


ACCEPTANCE_FIELDS = [
    "status",
    "proposed_at",
    "accepted_by_a_at",
    "accepted_by_b_at",
    "accepted_at",
    "started_at",
]


def accept_both(pairing, *, started: datetime, status: str) -> None:
    """Both partners accepted a few days before their first conversation."""
    pairing.status = status
    pairing.proposed_at = started - timedelta(days=5)
    pairing.accepted_by_a_at = started - timedelta(days=3)
    pairing.accepted_by_b_at = started - timedelta(days=2)
    pairing.accepted_at = started - timedelta(days=2)
    pairing.started_at = started
    if status not in (PairingStatus.ACTIVE, PairingStatus.EXITED, PairingStatus.COMPLETED):
        raise ValueError(f"the demo story has no {status} pairings")
