"""What the home page shows: each read is one query, whatever the data size."""

from __future__ import annotations

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from twoway.pairing.models import LIVE_STATUSES, Pairing, PairingStatus
from twoway.programs.models import Participant, ParticipantStatus, Program


def _count_per_program(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) of `queryset` rows belonging to the outer program."""
    counted = (
        queryset.filter(program=OuterRef("pk"))
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def programs_with_counts(programs: QuerySet[Program]) -> QuerySet[Program]:
    """Programs annotated with the aggregate counts a coordinator or sponsor needs."""
    pairings = Pairing.objects.all()
    return programs.annotate(
        participant_count=_count_per_program(
            Participant.objects.filter(status=ParticipantStatus.ENROLLED)
        ),
        live_pairing_count=_count_per_program(pairings.filter(status__in=LIVE_STATUSES)),
        proposed_pairing_count=_count_per_program(pairings.filter(status=PairingStatus.PROPOSED)),
        completed_pairing_count=_count_per_program(pairings.filter(status=PairingStatus.COMPLETED)),
        exit_count=_count_per_program(pairings.filter(status=PairingStatus.EXITED)),
    ).order_by("name")


def pairings_of_user(user) -> list[dict]:
    """The person's pairings in every program, seen from their side."""
    pairings = (
        Pairing.objects.filter(
            Q(participant_a__user=user) | Q(participant_b__user=user),
        )
        .exclude(status=PairingStatus.PROPOSED)
        .select_related(
            "program",
            "participant_a__user__profile",
            "participant_b__user__profile",
        )
        .annotate(
            conversation_count=Count("conversations"),
            last_met_at=Max("conversations__occurred_at"),
        )
        .order_by("program__name", "-started_at")
    )
    rows = []
    for pairing in pairings:
        mine_is_a = pairing.participant_a.user_id == user.pk
        partner = pairing.participant_b if mine_is_a else pairing.participant_a
        rows.append({"pairing": pairing, "partner": partner.user})
    return rows


def home_for_user(user) -> dict:
    participations = (
        Participant.objects.filter(user=user).select_related("program").order_by("program__name")
    )
    return {
        "participations": list(participations),
        "pairings": pairings_of_user(user),
        "coordinated": list(programs_with_counts(user.coordinated_programs.all())),
        "sponsored": list(programs_with_counts(user.sponsored_programs.all())),
    }
