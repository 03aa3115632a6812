"""The exits queue: exits, declines and requests for a new partner, for coordinators.

The queue shows who left, when, and whether they want a new partner. The
confidential reason is not part of it: reading one is a write (an audit row),
done by services/exits.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from twoway.insights.models import ExitReview
from twoway.insights.selectors.health import rematch_requests_open
from twoway.insights.selectors.rematch import rematch_run_for, rematch_runs_by_person
from twoway.pairing.models import Decline, Exit, Pairing
from twoway.programs.models import AuditAction, AuditEvent, Program

# Items dealt with stay listed this long, below the open ones.
DEALT_WITH_SHOWN_FOR = timedelta(days=30)
AUDIT_ROWS_SHOWN = 50


class ItemKind:
    EXIT = "exit"
    DECLINE = "decline"
    REMATCH = "rematch"


@dataclass
class QueueItem:
    kind: str  # an ItemKind
    item_id: int  # the exit's, the decline's, or the participant's id
    who: object  # the user who left, declined or asked
    partner: object | None  # the other partner of the pairing, for exits and declines
    pairing_id: int | None
    at: datetime
    wants_new_partner: bool
    review: ExitReview | None = None
    viewer_is_partner: bool = False  # then the reason is not theirs to read
    # The participants this item leaves without a partner: whom a rematch would pair
    # again (a rematch button passes them to the matching run as its `only`).
    freed_participant_ids: tuple[int, ...] = ()
    rematch_run: object | None = None  # a rematch including them, under way or to review

    @property
    def has_reason(self) -> bool:
        return self.kind in (ItemKind.EXIT, ItemKind.DECLINE)

    @property
    def what(self) -> str:
        return {
            ItemKind.EXIT: "Left the pairing",
            ItemKind.DECLINE: "Declined a proposal",
            ItemKind.REMATCH: "Asked for a new partner",
        }[self.kind]


@dataclass
class AuditRow:
    event: AuditEvent
    pairing: str  # the partners' names, or "" when the pairing is gone


@dataclass
class ExitQueue:
    open: list[QueueItem]
    dealt_with: list[QueueItem]
    audit: list[AuditRow]


def _partners(pairing: Pairing, leaver_id: int):
    if leaver_id == pairing.participant_a_id:
        return pairing.participant_a.user, pairing.participant_b.user
    return pairing.participant_b.user, pairing.participant_a.user


def _pairing_items(model, kind: str, by_field: str, program: Program, since, viewer):
    rows = (
        model.objects.filter(pairing__program=program)
        .filter(Q(review__isnull=True) | Q(review__reviewed_at__gte=since))
        .select_related(
            "pairing__participant_a__user", "pairing__participant_b__user", "review__reviewed_by"
        )
    )
    items = []
    for row in rows:
        who, partner = _partners(row.pairing, getattr(row, f"{by_field}_id"))
        items.append(
            QueueItem(
                kind=kind,
                item_id=row.pk,
                who=who,
                partner=partner,
                pairing_id=row.pairing_id,
                at=row.created_at,
                wants_new_partner=getattr(row, "wants_rematch", False),
                review=getattr(row, "review", None),
                viewer_is_partner=viewer is not None and viewer.pk in (who.pk, partner.pk),
                freed_participant_ids=(row.pairing.participant_a_id, row.pairing.participant_b_id),
            )
        )
    return items


def _rematch_items(program: Program, since) -> list[QueueItem]:
    open_items = [
        QueueItem(
            kind=ItemKind.REMATCH,
            item_id=participant.pk,
            who=participant.user,
            partner=None,
            pairing_id=None,
            at=participant.rematch_requested_at,
            wants_new_partner=True,
            freed_participant_ids=(participant.pk,),
        )
        for participant in rematch_requests_open(program)
    ]
    reviewed = ExitReview.objects.filter(
        program=program, participant__isnull=False, reviewed_at__gte=since
    ).select_related("participant__user", "reviewed_by")
    return open_items + [
        QueueItem(
            kind=ItemKind.REMATCH,
            item_id=review.participant_id,
            who=review.participant.user,
            partner=None,
            pairing_id=None,
            at=review.rematch_requested_at,
            wants_new_partner=True,
            review=review,
            freed_participant_ids=(review.participant_id,),
        )
        for review in reviewed
    ]


def _audit_log(program: Program) -> list[AuditRow]:
    events = list(
        AuditEvent.objects.filter(
            program=program,
            action__in=[AuditAction.EXIT_REASON_VIEWED, AuditAction.PULSE_VIEWED],
        ).select_related("actor", "subject")[:AUDIT_ROWS_SHOWN]
    )
    ids = {event.pairing_id for event in events if event.pairing_id}
    pairings = {
        pairing.pk: str(pairing)
        for pairing in Pairing.objects.filter(pk__in=ids, program=program).select_related(
            "participant_a__user", "participant_b__user"
        )
    }
    return [AuditRow(event, pairings.get(event.pairing_id, "")) for event in events]


def exit_queue(program: Program, *, viewer=None, now: datetime | None = None) -> ExitQueue:
    """Open items newest first, then those dealt with lately, and who read which reason.

    Eight queries, however long the queue.
    """
    since = (now or timezone.now()) - DEALT_WITH_SHOWN_FOR
    items = (
        _pairing_items(Exit, ItemKind.EXIT, "requested_by", program, since, viewer)
        + _pairing_items(Decline, ItemKind.DECLINE, "declined_by", program, since, viewer)
        + _rematch_items(program, since)
    )
    items.sort(key=lambda item: item.at, reverse=True)
    rematches = rematch_runs_by_person(program)
    for item in items:
        item.rematch_run = rematch_run_for(rematches, item.freed_participant_ids)
    return ExitQueue(
        open=[item for item in items if item.review is None],
        dealt_with=[item for item in items if item.review is not None],
        audit=_audit_log(program),
    )
