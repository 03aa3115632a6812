"""Scheduled work for coordinators, run by `twoway worker`: record flags as they are
first seen, and send each coordinator a weekly digest of the new ones.

Both are idempotent, even with several workers running at once: an open flag is
unique per pairing and kind, and a digest is unique per coordinator and ISO week,
so the database refuses the second of two simultaneous writes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from twoway.accounts.models import User
from twoway.insights.models import DigestSent, FlagKind, FlagRecord
from twoway.insights.selectors.health import health_rows
from twoway.notifications.models import NotificationKind
from twoway.notifications.services import Note, notify
from twoway.programs.models import Program, ProgramStatus

# A coordinator's first digest covers the week before it.
FIRST_DIGEST_COVERS = timedelta(days=7)


def flags_record(*, now: datetime | None = None) -> int:
    """Open a FlagRecord for each flag seen for the first time; clear those that are gone.

    Returns how many flags were newly raised.
    """
    now = now or timezone.now()
    raised = 0
    for program in Program.objects.exclude(status=ProgramStatus.CLOSED).order_by("pk"):
        raised += _record_program(program, now)
    return raised


@transaction.atomic
def _record_program(program: Program, now: datetime) -> int:
    seen = {
        (row.pairing.pk, flag.kind) for row in health_rows(program, now=now) for flag in row.flags
    }
    open_records = FlagRecord.objects.filter(pairing__program=program, cleared_at__isnull=True)
    known = set(open_records.values_list("pairing_id", "kind"))
    gone = known - seen
    for pairing_id, kind in gone:
        open_records.filter(pairing_id=pairing_id, kind=kind).update(cleared_at=now)
    raised = 0
    for pairing_id, kind in sorted(seen - known):
        try:
            with transaction.atomic():  # another worker may have recorded it a moment ago
                FlagRecord.objects.create(pairing_id=pairing_id, kind=kind, raised_at=now)
            raised += 1
        except IntegrityError:
            pass
    return raised


def _iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def digests_send(*, now: datetime | None = None, email: bool = True) -> int:
    """Each coordinator's digest for this ISO week, once; returns how many were sent.

    The week's row is written even when nothing is new (and nothing is sent), so a
    flag raised later in the week waits for next week's digest: one a week at most.
    """
    now = now or timezone.now()
    week = _iso_week(now)
    coordinators = (
        User.objects.filter(coordinated_programs__isnull=False, is_active=True)
        .exclude(flag_digests__week=week)
        .distinct()
        .order_by("pk")
    )
    return sum(_send_digest(coordinator, week, now, email=email) for coordinator in coordinators)


def _since(coordinator: User, now: datetime) -> datetime:
    last = coordinator.flag_digests.order_by("-sent_at").values_list("sent_at", flat=True).first()
    return last or now - FIRST_DIGEST_COVERS


def _new_flags(coordinator: User, since: datetime, now: datetime) -> dict[Program, Counter]:
    records = FlagRecord.objects.filter(
        pairing__program__coordinators=coordinator,
        pairing__program__status__in=[s for s in ProgramStatus.values if s != ProgramStatus.CLOSED],
        raised_at__gt=since,
        raised_at__lte=now,
    ).select_related("pairing__program")
    by_program: dict[Program, Counter] = defaultdict(Counter)
    for record in records:
        by_program[record.pairing.program][record.kind] += 1
    return by_program


def _digest_note(by_program: dict[Program, Counter]) -> Note:
    total = sum(sum(counts.values()) for counts in by_program.values())
    programs = sorted(by_program, key=lambda program: program.name)
    lines = []
    for program in programs:
        counts = by_program[program]
        kinds = ", ".join(
            f"{counts[kind]} {label.lower()}" for kind, label in FlagKind.choices if counts[kind]
        )
        lines.append(f"{program.name}: {kinds}.")
    where = programs[0].name if len(programs) == 1 else f"{len(programs)} programs"
    return Note(
        NotificationKind.FLAGS_DIGEST,
        f"{total} new flag{'s' if total != 1 else ''} in {where} since your last digest",
        body="\n".join(lines)
        + "\nOpen each program's health dashboard to see the pairings and what would help.",
        link=reverse("insights:health", args=[programs[0].slug]),
    )


@transaction.atomic
def _send_digest(coordinator: User, week: str, now: datetime, *, email: bool) -> int:
    since = _since(coordinator, now)
    by_program = _new_flags(coordinator, since, now)
    flags = sum(sum(counts.values()) for counts in by_program.values())
    try:
        with transaction.atomic():  # the week's row first: a second worker stops here
            DigestSent.objects.create(coordinator=coordinator, week=week, sent_at=now, flags=flags)
    except IntegrityError:
        return 0
    if not flags:
        return 0
    notify(
        recipients=[coordinator],
        note=_digest_note(by_program),
        dedupe_key=f"flags-digest:{week}",
        email=email,
    )
    return 1
