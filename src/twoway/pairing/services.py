"""Writes for pairings: each partner accepts or declines, and either can leave.

The partner of someone who declines or leaves learns only that the pairing did
not go ahead or has closed; the reason goes to the program's coordinators.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from twoway.core.errors import ActionError
from twoway.notifications.models import NotificationKind
from twoway.notifications.services import Note, notify
from twoway.pairing.models import (
    LIVE_STATUSES,
    OPEN_STATUSES,
    Decline,
    DeclineReason,
    Exit,
    ExitReason,
    Pairing,
    PairingStatus,
)
from twoway.pairing.selectors import PairSide
from twoway.programs.models import Participant
from twoway.programs.services import participant_request_rematch
from twoway.relationships.models import Conversation, ConversationStatus


def _locked(side: PairSide) -> PairSide:
    """The pairing row locked for this transaction, against a double submit."""
    pairing = Pairing.objects.select_for_update().get(pk=side.pairing.pk)
    pairing.program = side.pairing.program
    pairing.participant_a, pairing.participant_b = (
        side.pairing.participant_a,
        side.pairing.participant_b,
    )
    return PairSide(pairing=pairing, me=side.me, partner=side.partner)


def pairing_status_locked(side: PairSide) -> str:
    """The pairing's status, read under a row lock so that it cannot change meanwhile.

    Every write that depends on the pairing being open takes it first: a
    confirmation racing an exit then waits, and sees the exit.
    """
    return (
        Pairing.objects.select_for_update().values_list("status", flat=True).get(pk=side.pairing.pk)
    )


def _pairing_link(pairing: Pairing) -> str:
    return reverse("relationships:pairing", args=[pairing.pk])


@transaction.atomic
def pairing_propose(
    *,
    first: Participant,
    second: Participant,
    score: float = 0.0,
    explanation: dict,
    email: bool = True,
) -> Pairing:
    """Propose two participants of a program to each other; both are told.

    `explanation` is the matching engine's, in its format (what each teaches the
    other, the differences bridged, the common ground), with `first` as A; it is
    turned round when the pair is stored the other way (the smaller id is A).
    """
    if first.program_id != second.program_id:
        raise ActionError("Both people must take part in the same program.")
    if first.pk == second.pk:
        raise ActionError("Nobody can be paired with themselves.")
    a, b = sorted((first, second), key=lambda participant: participant.pk)
    if a is not first:
        explanation = _swapped(explanation)
    if Pairing.objects.filter(
        program_id=a.program_id, participant_a=a, participant_b=b, status__in=OPEN_STATUSES
    ).exists():
        raise ActionError("These two already have an open pairing.")
    pairing = Pairing.objects.create(
        program_id=a.program_id,
        participant_a=a,
        participant_b=b,
        status=PairingStatus.PROPOSED,
        score=score,
        explanation=explanation,
    )
    for me, partner in ((a, b), (b, a)):
        note = proposal_note(program=me.program, partner=partner, pairing=pairing)
        notify(recipients=[me.user], note=note, email=email)
    return pairing


def proposal_note(*, program, partner: Participant, pairing: Pairing) -> Note:
    """What someone is told about a new proposal (also used by a run's publish, in bulk)."""
    return Note(
        NotificationKind.PAIRING_PROPOSED,
        f"You have a proposed partner in {program.name}: {partner.user.full_name}. "
        "See why, then accept or decline.",
        link=_pairing_link(pairing),
    )


def _swapped(explanation: dict) -> dict:
    """The same explanation with A and B exchanged (the pair is stored smaller id first)."""
    return {
        **explanation,
        "a_teaches_b": explanation.get("b_teaches_a", []),
        "b_teaches_a": explanation.get("a_teaches_b", []),
        "bridges": [
            {**bridge, "a": bridge.get("b"), "b": bridge.get("a")}
            for bridge in explanation.get("bridges", [])
        ],
    }


@transaction.atomic
def pairing_accept(*, side: PairSide) -> Pairing:
    """Record this partner's yes; with both yeses the pairing takes its places.

    Raises ActionError when the proposal is no longer open, or when either
    partner already has as many live pairings as the program allows.
    """
    side = _locked(side)
    pairing = side.pairing
    if pairing.status != PairingStatus.PROPOSED:
        raise ActionError("This proposal is no longer open.")
    now = timezone.now()
    field = "accepted_by_a_at" if side.i_am_a else "accepted_by_b_at"
    if getattr(pairing, field) is None:
        setattr(pairing, field, now)
    if pairing.accepted_by_a_at and pairing.accepted_by_b_at:
        pairing.status = PairingStatus.ACCEPTED
        pairing.accepted_at = now
    try:
        with transaction.atomic():
            pairing.save(update_fields=[field, "status", "accepted_at"])
    except IntegrityError as error:
        if "pairing_within_capacity" not in str(error):
            raise
        raise ActionError(
            "One of you already has as many partners as the program allows, so this "
            "pairing cannot start. Ask your coordinator, who can change either."
        ) from error
    _tell_partner_about_acceptance(side)
    return pairing


def _tell_partner_about_acceptance(side: PairSide) -> None:
    pairing, name = side.pairing, side.me.user.display_name
    if pairing.status == PairingStatus.ACCEPTED:
        title = f"{name} accepted too: your pairing is on. Set your agreement together."
    else:
        title = f"{name} accepted your pairing proposal. It starts once you accept too."
    note = Note(NotificationKind.PAIRING_ACCEPTED, title, link=_pairing_link(pairing))
    notify(recipients=[side.partner.user], note=note)


@transaction.atomic
def pairing_decline(*, side: PairSide, reason: str, detail: str = "") -> Decline:
    """Say no to a proposal, which ends it. The reason is for coordinators only."""
    if reason not in DeclineReason.values:
        raise ActionError("Choose a reason.", field="reason")
    side = _locked(side)
    pairing = side.pairing
    if pairing.status != PairingStatus.PROPOSED:
        raise ActionError("This proposal is no longer open.")
    decline = Decline.objects.create(
        pairing=pairing, declined_by=side.me, reason=reason, detail=detail.strip()
    )
    pairing.status = PairingStatus.DECLINED
    pairing.ended_at = timezone.now()
    pairing.save(update_fields=["status", "ended_at"])
    neutral = Note(
        NotificationKind.PAIRING_DECLINED,
        "A pairing proposal did not go ahead. Your coordinators have been told and can "
        "suggest someone else.",
        link=_pairing_link(pairing),
    )
    notify(recipients=[side.partner.user], note=neutral)
    _tell_coordinators(pairing, "A pairing proposal was declined")
    return decline


@transaction.atomic
def pairing_exit(
    *, side: PairSide, reason: str, detail: str = "", wants_rematch: bool = False
) -> Exit:
    """The confidential, no-fault way out of an accepted or active pairing.

    The partner is told only that the pairing has closed, and is offered a new
    partner; coordinators see the reason and can rematch.
    """
    if reason not in ExitReason.values:
        raise ActionError("Choose a reason.", field="reason")
    if reason == ExitReason.OTHER and not detail.strip():
        raise ActionError(
            "Say a few words about it: your coordinators can only help with what they know.",
            field="detail",
        )
    side = _locked(side)
    pairing = side.pairing
    if pairing.status not in LIVE_STATUSES:
        raise ActionError("This pairing is not open, so there is nothing to close.")
    now = timezone.now()
    exit = Exit.objects.create(
        pairing=pairing,
        requested_by=side.me,
        reason=reason,
        detail=detail.strip(),
        wants_rematch=wants_rematch,
        created_at=now,
    )
    pairing.status = PairingStatus.EXITED
    pairing.ended_at = now
    pairing.save(update_fields=["status", "ended_at"])
    planned_conversations_cancel(pairing, now)
    if wants_rematch:
        participant_request_rematch(participant=side.me)
    closed = Note(
        NotificationKind.PAIRING_CLOSED,
        "Your pairing has closed. If you like, you can ask for a new partner.",
        link=_pairing_link(pairing),
    )
    notify(recipients=[side.partner.user], note=closed)
    _tell_coordinators(pairing, "A pairing was closed through the confidential way out")
    return exit


def planned_conversations_cancel(pairing: Pairing, now) -> None:
    """Meetings still to come are off; a higher SEQUENCE makes calendars drop them."""
    Conversation.objects.filter(
        pairing=pairing, status=ConversationStatus.PLANNED, starts_at__gt=now
    ).update(
        status=ConversationStatus.CANCELLED,
        cancelled_at=now,
        sequence=F("sequence") + 1,
        updated_at=now,
    )


def _tell_coordinators(pairing: Pairing, title: str) -> None:
    note = Note(
        NotificationKind.EXIT_REQUESTED,
        f"{title} in {pairing.program.name}.",
        body="The reason was recorded confidentially: only the program's coordinators may "
        "read it, never the partner.",
    )
    notify(recipients=list(pairing.program.coordinators.all()), note=note)


@transaction.atomic
def pairing_activate(*, pairing: Pairing) -> None:
    """The agreement is confirmed by both: an accepted pairing is under way.

    A conditional update, so a pairing that has meanwhile closed stays closed.
    """
    Pairing.objects.filter(pk=pairing.pk, status=PairingStatus.ACCEPTED).update(
        status=PairingStatus.ACTIVE, started_at=Coalesce("started_at", Value(timezone.now()))
    )
