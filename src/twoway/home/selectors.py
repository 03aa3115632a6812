"""What the home page shows: each read is one query, whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from twoway.pairing.models import LIVE_STATUSES, PairingStatus
from twoway.pairing.selectors import PairSide, pairings_of_user
from twoway.profiles.selectors import skills_awaiting_curation
from twoway.programs.models import Participant
from twoway.programs.selectors import programs_with_counts
from twoway.programs.setup_selectors import programs_to_join
from twoway.relationships.selectors.agreements import latest_agreements
from twoway.relationships.selectors.conversations import conversations_next, conversations_to_log
from twoway.relationships.selectors.pulses import pulses_due_among


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
        if agreement is None:
            tasks.append(
                Task(
                    f"Set your agreement with {name}",
                    "What each of you wants to learn, how often you meet, what stays between you.",
                    reverse("relationships:agreement-edit", args=[side.pairing.pk]),
                    "Write the agreement",
                )
            )
        elif not side.mine_then_partners(agreement.confirmed_by_a_at, agreement.confirmed_by_b_at)[
            0
        ]:
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


def _profile_tasks(participations: list[Participant]) -> list[Task]:
    return [
        Task(
            title=f"Complete your profile for {participant.program.name}",
            detail="What you can offer, what you want to learn, and how you like to meet: "
            "your coordinator pairs you with it.",
            url=reverse("profiles:welcome", args=[participant.program.slug]),
            action="Continue your profile",
            urgent=True,
        )
        for participant in participations
        if participant.profile_completed_at is None
    ]


def _pulse_tasks(sides: list[PairSide]) -> list[Task]:
    due = pulses_due_among(sides)
    return [
        Task(
            title=f"Answer your pulse on your pairing with {side.partner.user.display_name}",
            detail="Four quick questions. Only your coordinators may read it; "
            "your partner never can.",
            url=reverse("relationships:pulse", args=[side.pairing.pk]),
            action="Answer the pulse",
        )
        for side in sides
        if side.pairing.pk in due
    ]


def _log_tasks(sides: list[PairSide]) -> list[Task]:
    unlogged = conversations_to_log(sides)
    tasks = []
    for side in sides:
        conversation = unlogged.get(side.pairing.pk)
        if conversation is None:
            continue
        name = side.partner.user.display_name
        tasks.append(
            Task(
                title=f"Log what you learned from {name}",
                detail="In your conversation on "
                f"{date_format(timezone.localtime(conversation.starts_at), 'j F')}: "
                "a line per skill, rated 1 to 5.",
                url=reverse("relationships:conversation", args=[side.pairing.pk, conversation.pk])
                + "#learned",
                action="Log it",
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
    upcoming = conversations_next(sides)
    return {
        "participations": participations,
        "pairings": [(side, upcoming.get(side.pairing.pk)) for side in sides],
        "tasks": _proposal_tasks(sides)
        + _agreement_tasks(sides)
        + _profile_tasks(participations)
        + _pulse_tasks(sides)
        + _log_tasks(sides),
        "coordinated": coordinated,
        "sponsored": sponsored,
        "curation": skills_awaiting_curation(user, limit=10) if coordinated else None,
        "joinable": programs_to_join(user),
        # The same test as setup_services.may_create_programs, without another query.
        "can_create_program": user.is_staff or bool(coordinated),
        "nav": "home",
    }
