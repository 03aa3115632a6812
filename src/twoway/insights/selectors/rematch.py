"""Which rematches are under way, for the health dashboard and the exits queue."""

from __future__ import annotations

from twoway.pairing.models import MatchingRun, RunScope, RunStatus

# A rematch is shown until it is published (or fails, or a newer run supersedes it).
SHOWN = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.SUCCEEDED)


def rematch_runs_by_person(program) -> dict[int, MatchingRun]:
    """Participant id -> the newest rematch run under way or waiting for review that
    includes them (one query)."""
    runs = (
        MatchingRun.objects.filter(program=program, scope=RunScope.REMATCH, status__in=SHOWN)
        .only("pk", "status", "only", "created_at")
        .order_by("created_at", "pk")
    )
    by_person: dict[int, MatchingRun] = {}
    for run in runs:
        for participant_id in run.only:
            by_person[participant_id] = run  # the newest run wins
    return by_person


def rematch_run_for(by_person: dict[int, MatchingRun], people) -> MatchingRun | None:
    """The newest of the runs that include any of `people` (participant ids)."""
    runs = [by_person[pk] for pk in people if pk in by_person]
    return max(runs, key=lambda run: (run.created_at, run.pk)) if runs else None
