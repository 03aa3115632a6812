"""Reads for setting a program up: its team and audit log, the rollout plan, applications."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from twoway.pairing.models import Pairing
from twoway.profiles.models import Gap, Offer
from twoway.programs.application_services import TAKES_APPLICATIONS
from twoway.programs.models import (
    Application,
    ApplicationStatus,
    AuditEvent,
    Participant,
    ParticipantStatus,
    Program,
)

AUDIT_LOG_LENGTH = 50
DECIDED_SHOWN = 50


def audit_log(program: Program, *, limit: int = AUDIT_LOG_LENGTH) -> list[AuditEvent]:
    """The program's latest audit events, newest first, with who did it and to whom."""
    return list(
        AuditEvent.objects.filter(program=program).select_related("actor", "subject")[:limit]
    )


@dataclass(frozen=True)
class RolloutPlan:
    participants: int
    profiles_completed: int
    offers: int
    gaps: int
    pairings: int


def rollout_plan(pilot: Program) -> RolloutPlan:
    """What a full rollout of `pilot` would take over, and what stays behind."""
    enrolled = Participant.objects.filter(program=pilot, status=ParticipantStatus.ENROLLED)
    people = enrolled.aggregate(
        n=Count("pk"), done=Count("pk", filter=Q(profile_completed_at__isnull=False))
    )
    return RolloutPlan(
        participants=people["n"],
        profiles_completed=people["done"],
        offers=Offer.objects.filter(participant__in=enrolled).count(),
        gaps=Gap.objects.filter(participant__in=enrolled).count(),
        pairings=Pairing.objects.filter(program=pilot).count(),
    )


@dataclass(frozen=True)
class ApplicationQueue:
    pending: list[Application]
    decided: list[Application]
    decided_total: int


def application_queue(program: Program) -> ApplicationQueue:
    """Pending applications (oldest first: first come, first decided), then the latest
    decisions. Three queries, however many applications there are."""
    rows = Application.objects.filter(program=program).select_related("user", "decided_by")
    decided = rows.exclude(status=ApplicationStatus.PENDING).order_by("-decided_at", "-id")
    return ApplicationQueue(
        pending=list(rows.filter(status=ApplicationStatus.PENDING).order_by("created_at", "id")),
        decided=list(decided[:DECIDED_SHOWN]),
        decided_total=decided.count(),
    )


def programs_to_join(user) -> list[Program]:
    """Programs open to anyone that `user` is not enrolled in and does not coordinate,
    each marked `applied` when their application waits for a decision. One query."""
    enrolled = Participant.objects.filter(
        program=OuterRef("pk"), user=user, status=ParticipantStatus.ENROLLED
    )
    pending = Application.objects.filter(
        program=OuterRef("pk"), user=user, status=ApplicationStatus.PENDING
    )
    return list(
        Program.objects.filter(open_enrolment=True, status__in=TAKES_APPLICATIONS)
        .exclude(Exists(enrolled))
        .exclude(coordinators=user)
        .annotate(applied=Exists(pending))
        .order_by("name")
    )


def latest_application(program: Program, user) -> Application | None:
    return Application.objects.filter(program=program, user=user).first()
