"""Writes of conversation prompts: the pair marks a prompt used, or not used again."""

from __future__ import annotations

from django.db import transaction

from twoway.core.errors import ActionError
from twoway.pairing.models import LIVE_STATUSES
from twoway.pairing.selectors import PairSide
from twoway.pairing.services import pairing_status_locked
from twoway.relationships.models import PromptUse
from twoway.relationships.selectors.prompts import prompt_get


@transaction.atomic
def prompt_mark(*, side: PairSide, prompt_id: str, used: bool) -> bool:
    """Mark a prompt of the library used by this pair (or not); returns the new mark.

    Marking twice is harmless: a double click leaves one mark, by whoever was first.
    """
    prompt = prompt_get(prompt_id)  # NotFound for an id the library does not have
    if pairing_status_locked(side) not in LIVE_STATUSES:
        raise ActionError("Your pairing is not open, so its prompts cannot change.")
    if used:
        PromptUse.objects.get_or_create(
            pairing=side.pairing, prompt_id=prompt.id, defaults={"marked_by": side.me}
        )
    else:
        PromptUse.objects.filter(pairing=side.pairing, prompt_id=prompt.id).delete()
    return used
