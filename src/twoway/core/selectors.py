"""What the home page shows: each read is one query, whatever the data size."""

from __future__ import annotations

from django.db.models import Count, Max, Q

from twoway.pairing.models import LIVE_STATUSES, Pairing, PairingStatus
from twoway.programs.models import Participant, ParticipantStatus, Program


def programs_with_counts(programs: list[Program]) -> list[Program]:
    """Attach the aggregate counts a coordinator or sponsor needs to each program.

    Two grouped queries serve any number of programs.
    """
    ids = [program.pk for program in programs]
    enrolled = dict(
        Participant.objects.filter(program__in=ids, status=ParticipantStatus.ENROLLED)
        .values_list("program")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_status: dict[tuple[int, str], int] = {
        (program_id, status): n
        for program_id, status, n in Pairing.objects.filter(program__in=ids)
        .values_list("program", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    for program in programs:
        counts = {status: by_status.get((program.pk, status), 0) for status in PairingStatus}
        program.participant_count = enrolled.get(program.pk, 0)
        program.live_pairing_count = sum(counts[status] for status in LIVE_STATUSES)
        program.proposed_pairing_count = counts[PairingStatus.PROPOSED]
        program.completed_pairing_count = counts[PairingStatus.COMPLETED]
        program.exit_count = counts[PairingStatus.EXITED]
    return programs


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
    coordinated = list(user.coordinated_programs.order_by("name"))
    sponsored = list(user.sponsored_programs.order_by("name"))
    programs_with_counts(coordinated + sponsored)
    return {
        "participations": list(participations),
        "pairings": pairings_of_user(user),
        "coordinated": coordinated,
        "sponsored": sponsored,
    }
