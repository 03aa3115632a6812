"""Reads for a program's People tab: who is enrolled, how far along, and the imports."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from twoway.core.errors import NotFound
from twoway.pairing.models import LIVE_STATUSES, OPEN_STATUSES, Pairing
from twoway.programs.models import ImportBatch, Participant, ParticipantStatus, Program

PAGE_SIZE = 50

# The filters of the People tab: (key, label).
PEOPLE_FILTERS = (
    ("all", "Everyone"),
    ("incomplete", "Profile not complete"),
    ("unpaired", "No partner now"),  # no proposed, accepted or active pairing
    ("withdrawn", "Withdrawn"),
)


def _open_pairings() -> QuerySet:
    """The participant's proposed, accepted or active pairings (at most `capacity`)."""
    return Pairing.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(participant_a=OuterRef("pk")) | Q(participant_b=OuterRef("pk"))
    )


def _open_pairing_of() -> Exists:
    return Exists(_open_pairings())


# Live before proposed: someone in an active pairing and a new proposal shows as paired.
_LIVE_FIRST = Case(
    When(status__in=LIVE_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
)


def people_of(program: Program, *, show: str = "all", search: str = "") -> QuerySet:
    """The program's participants with their user and profile, and the status of their
    open pairing (`pairing_status`: None when unpaired; a live one before a proposal)."""
    enrolled = Q(status=ParticipantStatus.ENROLLED)
    people = (
        Participant.objects.filter(program=program)
        .select_related("user", "user__profile")
        .annotate(
            pairing_status=Subquery(
                _open_pairings().order_by(_LIVE_FIRST, "pk").values("status")[:1]
            )
        )
        .order_by("user__full_name", "pk")
    )
    if show == "incomplete":
        people = people.filter(enrolled, profile_completed_at__isnull=True)
    elif show == "unpaired":
        people = people.filter(enrolled, pairing_status__isnull=True)
    elif show == "withdrawn":
        people = people.filter(status=ParticipantStatus.WITHDRAWN)
    search = search.strip()
    if search:
        people = people.filter(
            Q(user__full_name__icontains=search) | Q(user__email__icontains=search)
        )
    return people


def people_page(program: Program, *, show: str, search: str, page: str | int) -> Page:
    """One page of 50; a page number out of range gives the last page."""
    return Paginator(people_of(program, show=show, search=search), PAGE_SIZE).get_page(page)


def people_counts(program: Program) -> dict[str, int]:
    """How many people each filter holds, in one query."""
    enrolled = Q(status=ParticipantStatus.ENROLLED)
    return Participant.objects.filter(program=program).aggregate(
        all=Count("pk"),
        incomplete=Count("pk", filter=enrolled & Q(profile_completed_at__isnull=True)),
        unpaired=Count("pk", filter=enrolled & ~_open_pairing_of()),
        withdrawn=Count("pk", filter=Q(status=ParticipantStatus.WITHDRAWN)),
    )


def imports_of(program: Program, *, limit: int = 5) -> list[ImportBatch]:
    """The latest imports, without their (possibly large) file text."""
    return list(
        ImportBatch.objects.filter(program=program)
        .defer("csv_text", "problems")
        .select_related("uploaded_by")[:limit]
    )


def import_of(program: Program, batch_id: int) -> ImportBatch:
    """The program's batch; NotFound for another program's, as for a missing one."""
    batch = (
        ImportBatch.objects.filter(program=program, pk=batch_id)
        .defer("csv_text")
        .select_related("uploaded_by")
        .first()
    )
    if batch is None:
        raise NotFound("No such import.")
    batch.program = program
    return batch
