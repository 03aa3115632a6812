"""Reads of the pulse: when one is due, and who may read one.

A pulse is read by its author and by the coordinators of its program, never by
the partner, and never by staff or sponsors (who see aggregates elsewhere). The
rule lives in `pulses_visible_to`; every page and report reads pulses through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import F, Max, Q, QuerySet

from twoway.pairing.models import LIVE_STATUSES, Pairing
from twoway.pairing.selectors import PairSide
from twoway.programs.models import Participant, Program
from twoway.relationships.models import Pulse
from twoway.relationships.selectors.clock import local_date, today_for


def _accepted_at(pairing: Pairing) -> datetime:
    """When both partners had said yes (older rows may lack the summary column)."""
    if pairing.accepted_at:
        return pairing.accepted_at
    answers = [t for t in (pairing.accepted_by_a_at, pairing.accepted_by_b_at) if t]
    return max(answers) if answers else pairing.proposed_at


def _due_on(pairing: Pairing, user, last_submitted_at: datetime | None) -> date:
    """A pulse is due one interval after the person's last one, or after the pairing began.

    Due dates are whole days in the person's own timezone, so the page and the
    reminder agree on the day whatever the hour.
    """
    since = last_submitted_at or _accepted_at(pairing)
    return local_date(since + timedelta(days=pairing.program.pulse_interval_days), user)


def _asks_for_pulses(pairing: Pairing) -> bool:
    # Pulses follow a relationship under way: not a proposal, not an ended pairing.
    return pairing.status in LIVE_STATUSES


def pulse_due_on(side: PairSide) -> date | None:
    """The day this partner's next pulse is due, or None when the pairing asks for none."""
    if not _asks_for_pulses(side.pairing):
        return None
    last = Pulse.objects.filter(pairing=side.pairing, author=side.me).aggregate(
        last=Max("submitted_at")
    )["last"]
    return _due_on(side.pairing, side.me.user, last)


def is_due(due_on: date | None, user, *, now: datetime | None = None) -> bool:
    """Whether a due date has come, by the calendar where the person lives."""
    return due_on is not None and due_on <= today_for(user, now=now)


def pulse_is_due(side: PairSide, *, now: datetime | None = None) -> bool:
    return is_due(pulse_due_on(side), side.me.user, now=now)


@dataclass(frozen=True)
class PulsePage:
    """What the pulse page shows one partner: their own pulses only."""

    due_on: date | None  # None: the pairing is not under way, so no pulse is asked
    is_due: bool
    mine: list[Pulse]


def pulse_page(side: PairSide, *, now: datetime | None = None) -> PulsePage:
    """The partner's own pulses in this pairing (newest first) and when the next is due."""
    mine = list(
        Pulse.objects.filter(pairing=side.pairing, author=side.me).order_by("-submitted_at")
    )
    if not _asks_for_pulses(side.pairing):
        return PulsePage(due_on=None, is_due=False, mine=mine)
    due_on = _due_on(side.pairing, side.me.user, mine[0].submitted_at if mine else None)
    return PulsePage(due_on=due_on, is_due=is_due(due_on, side.me.user, now=now), mine=mine)


def pulses_visible_to(
    user, *, pairing: Pairing | None = None, program: Program | None = None
) -> QuerySet[Pulse]:
    """The pulses `user` may read: their own, and, for a program's coordinators, the program's.

    Never the partner's: a coordinator who is also a partner in their own
    program still does not read their partner's pulses. Staff and sponsors read
    none (reports show them aggregates).
    """
    if not user.is_authenticated:
        return Pulse.objects.none()
    coordinated = Program.objects.filter(coordinators=user).values("pk")
    own_pairing = Q(pairing__participant_a__user=user) | Q(pairing__participant_b__user=user)
    pulses = Pulse.objects.filter(
        Q(author__user=user) | (Q(pairing__program__in=coordinated) & ~own_pairing)
    )
    if pairing is not None:
        pulses = pulses.filter(pairing=pairing)
    if program is not None:
        pulses = pulses.filter(pairing__program=program)
    return pulses.select_related("pairing__program", "author__user").order_by("-submitted_at")


@dataclass(frozen=True)
class PulseDue:
    """One partner of one pairing whose pulse is due: what the reminder job needs."""

    pairing: Pairing
    participant: Participant
    due_on: date


def pairings_with_pulse_due(*, now: datetime | None = None) -> list[PulseDue]:
    """Every partner of a pairing under way whose pulse is due now, in one query.

    For the reminder job: it can raise a PULSE_DUE notification for each, with a
    dedupe key made of the pairing, the participant and `due_on`.
    """
    pairings = (
        # A pairing a coordinator has paused is asked for no pulse until it resumes.
        Pairing.objects.filter(status__in=LIVE_STATUSES, paused_at__isnull=True)
        .select_related("program", "participant_a__user", "participant_b__user")
        .annotate(
            last_pulse_a=Max("pulses__submitted_at", filter=Q(pulses__author=F("participant_a"))),
            last_pulse_b=Max("pulses__submitted_at", filter=Q(pulses__author=F("participant_b"))),
        )
        .order_by("pk")
    )
    due = []
    for pairing in pairings:
        for participant, last in (
            (pairing.participant_a, pairing.last_pulse_a),
            (pairing.participant_b, pairing.last_pulse_b),
        ):
            due_on = _due_on(pairing, participant.user, last)
            if is_due(due_on, participant.user, now=now):
                due.append(PulseDue(pairing=pairing, participant=participant, due_on=due_on))
    return due


def pulses_due_among(sides: list[PairSide], *, now: datetime | None = None) -> set[int]:
    """The ids of the pairings, among one person's, where their pulse is due (one query)."""
    live = [side for side in sides if _asks_for_pulses(side.pairing)]
    if not live:
        return set()
    last = dict(
        Pulse.objects.filter(
            pairing__in=[side.pairing for side in live],
            author__in=[side.me for side in live],
        )
        .values_list("pairing")
        .annotate(last=Max("submitted_at"))
        .order_by()
    )
    return {
        side.pairing.pk
        for side in live
        if is_due(
            _due_on(side.pairing, side.me.user, last.get(side.pairing.pk)), side.me.user, now=now
        )
    }
