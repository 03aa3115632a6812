"""Writes about a person's place in a program."""

from __future__ import annotations

from django.utils import timezone

from twoway.programs.models import Participant


def participant_request_rematch(*, participant: Participant) -> None:
    """The person would like a new partner; coordinators see it when they rematch."""
    if participant.rematch_requested_at is None:
        participant.rematch_requested_at = timezone.now()
        participant.save(update_fields=["rematch_requested_at"])
