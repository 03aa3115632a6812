"""What the home page shows: each read is one query, whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from twoway.pairing.models import LIVE_STATUSES, PairingStatus
from twoway.pairing.selectors import PairSide, pairings_of_user
from twoway.programs.models import Participant
from twoway.programs.selectors import programs_with_counts
from twoway.relationships.selectors.agreements import latest_agreements


@dataclass(frozen=True)
class Task:
    """One thing the person should do next, with where to do it."""

    title: str
    detail: str
    url: str
    action: str
    urgent: bool = False


def _proposal_tasks(sides: list[PairSide]) -> list[Task]:
    return [
        Task(
            title=f"Respond to your proposed pairing with {side.partner.user.full_name}",
            detail=(
                f"{side.partner.user.display_name} has already accepted."
                if side.partner_accepted
                else "Read why you were paired, then accept or decline."
            ),
            url=reverse("relationships:pairing", args=[side.pairing.pk]),
            action="Review the proposal",
            urgent=True,
        )
        for side in sides
        if side.pairing.status == PairingStatus.PROPOSED and not side.i_accepted
    ]


def _agreement_tasks(sides: list[PairSide]) -> list[Task]:
    live = [side for side in sides if side.pairing.status in LIVE_STATUSES]
    agreements = latest_agreements([side.pairing.pk for side in live])
    tasks = []
    for side in live:
        agreement = agreements.get(side.pairing.pk)
        name = side.partner.user.display_name
        url = reverse("relationships:agreement", args=[side.pairing.pk])
        mine = (
            side.mine_then_partners(agreement.confirmed_by_a_at, agreement.confirmed_by_b_at)[0]
            if agreement
            else None
        )
        if agreement is None:
            tasks.append(
                Task(
                    f"Set your agreement with {name}",
                    "What each of you wants to learn, how often you meet, what stays between you.",
                    reverse("relationships:agreement-edit", args=[side.pairing.pk]),
                    "Write the agreement",
                )
            )
        elif mine is None:
            tasks.append(
                Task(
                    f"Confirm your agreement with {name}",
                    f"{name} wrote version {agreement.version}; read it and confirm, or change it.",
                    url,
                    "Read and confirm",
                    urgent=True,
                )
            )
    return tasks


def home_for_user(user) -> dict:
    participations = list(
        Participant.objects.filter(user=user).select_related("program").order_by("program__name")
    )
    coordinated = list(user.coordinated_programs.order_by("name"))
    sponsored = list(user.sponsored_programs.order_by("name"))
    programs_with_counts(coordinated + sponsored)
    sides = pairings_of_user(user)
    return {
        "participations": participations,
        "pairings": sides,
        "tasks": _proposal_tasks(sides) + _agreement_tasks(sides),
        "coordinated": coordinated,
        "sponsored": sponsored,
        "nav": "home",
    }
