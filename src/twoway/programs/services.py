"""Writes about a person's place in a program."""

from __future__ import annotations

from django.utils import timezone

from twoway.notifications.models import NotificationKind
from twoway.notifications.services import Note, notify
from twoway.programs.models import Participant


def participant_request_rematch(*, participant: Participant) -> None:
    """The person would like a new partner; the program's coordinators are told."""
    if participant.rematch_requested_at is not None:
        return
    participant.rematch_requested_at = timezone.now()
    participant.save(update_fields=["rematch_requested_at"])
    note = Note(
        NotificationKind.REMATCH_REQUESTED,
        f"{participant.user.full_name} would like a new partner in {participant.program.name}.",
    )
    notify(recipients=list(participant.program.coordinators.all()), note=note)
