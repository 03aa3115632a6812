"""Coordinators reading confidential reasons and pulses (always audited), and marking
items of the exits queue as dealt with.

Who may read: the program's coordinators, except in a pairing they are a partner
of. Staff and sponsors never (the views only let coordinators in; this module
checks the partner rule, which the views cannot know).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from twoway.core.errors import ActionError, NotFound
from twoway.insights.models import ExitReview
from twoway.insights.selectors.exits import ItemKind
from twoway.pairing.models import Decline, Exit, Pairing
from twoway.pairing.selectors import pairing_in_program
from twoway.programs.models import AuditAction, AuditEvent, Participant, Program
from twoway.relationships.models import Pulse
from twoway.relationships.selectors.pulses import pulses_visible_to


@dataclass(frozen=True)
class Reason:
    """A confidential reason as the coordinator reads it."""

    kind: str  # ItemKind.EXIT or ItemKind.DECLINE
    item_id: int
    who: object
    reason: str
    detail: str


_MODELS = {ItemKind.EXIT: (Exit, "requested_by"), ItemKind.DECLINE: (Decline, "declined_by")}


def _item(program: Program, kind: str, item_id: int):
    if kind not in _MODELS:
        raise NotFound("No such item.")
    model, by_field = _MODELS[kind]
    row = (
        model.objects.filter(pk=item_id, pairing__program=program)
        .select_related(f"{by_field}__user", "pairing__participant_a", "pairing__participant_b")
        .first()
    )
    if row is None:
        raise NotFound("No such item.")
    return row, getattr(row, by_field).user


def _refuse_partner(viewer, pairing: Pairing) -> None:
    if viewer.pk in (pairing.participant_a.user_id, pairing.participant_b.user_id):
        raise ActionError(
            "You are a partner in this pairing, so its confidential details are for the "
            "program's other coordinators."
        )


@transaction.atomic
def exit_reason_read(*, program: Program, viewer, kind: str, item_id: int) -> Reason:
    """The reason of an exit or a decline; the reading is recorded in the audit log first."""
    row, who = _item(program, kind, item_id)
    _refuse_partner(viewer, row.pairing)
    AuditEvent.objects.create(
        program=program,
        actor=viewer,
        action=AuditAction.EXIT_REASON_VIEWED,
        subject=who,
        pairing_id=row.pairing_id,
        detail="Reason of an exit" if kind == ItemKind.EXIT else "Reason of a decline",
    )
    return Reason(kind, row.pk, who, row.get_reason_display(), row.detail)


@transaction.atomic
def pairing_pulses_read(*, program: Program, viewer, pairing_id: int) -> list[Pulse]:
    """Both partners' pulses of a pairing, newest first; the reading is audited."""
    pairing = pairing_in_program(program, pairing_id, related=("participant_a", "participant_b"))
    _refuse_partner(viewer, pairing)
    pulses = list(pulses_visible_to(viewer, pairing=pairing))
    AuditEvent.objects.create(
        program=program,
        actor=viewer,
        action=AuditAction.PULSE_VIEWED,
        pairing_id=pairing.pk,
        detail=f"{len(pulses)} pulse(s) of both partners",
    )
    return pulses


def review_fields(program: Program, kind: str, item_id: int) -> dict:
    """What an ExitReview of this queue item is made of; NotFound for another program's."""
    if kind == ItemKind.REMATCH:
        participant = Participant.objects.filter(
            pk=item_id, program=program, rematch_requested_at__isnull=False
        ).first()
        if participant is None:
            raise NotFound("No such request.")
        return {
            "participant": participant,
            "rematch_requested_at": participant.rematch_requested_at,
        }
    row, _who = _item(program, kind, item_id)
    return {kind: row}


@transaction.atomic
def exit_review_mark(*, program: Program, by, kind: str, item_id: int) -> ExitReview:
    """Mark an item of the exits queue as dealt with; a second mark is refused, kindly."""
    fields = review_fields(program, kind, item_id)
    try:
        with transaction.atomic():
            return ExitReview.objects.create(
                program=program, reviewed_by=by, reviewed_at=timezone.now(), **fields
            )
    except IntegrityError as error:
        raise ActionError("Someone has already marked this as dealt with.") from error
