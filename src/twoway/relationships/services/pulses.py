"""Writes of the pulse: a partner answers four questions when one is due.

The answers and the comment are confidential: the program's coordinators may read
them, the partner never does. Nothing here notifies anyone or logs the answers.
"""

from __future__ import annotations

from django.db import transaction

from twoway.core.errors import ActionError
from twoway.pairing.models import LIVE_STATUSES, Pairing
from twoway.pairing.selectors import PairSide
from twoway.relationships.models import Pulse
from twoway.relationships.selectors.pulses import is_due, pulse_due_on

SCORES = ("fit", "trust", "value_received", "value_given")
COMMENT_MAX = 4000


def _check_scores(scores: dict[str, object]) -> None:
    for name in SCORES:
        value = scores[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ActionError("Choose a number from 1 to 5.", field=name)


@transaction.atomic
def pulse_submit(
    *,
    side: PairSide,
    fit: int,
    trust: int,
    value_received: int,
    value_given: int,
    comment: str = "",
) -> Pulse:
    """Record this partner's pulse, once it is due.

    The pairing row is locked first, so a double submit records one pulse and
    refuses the second as not yet due.
    """
    status = (
        Pairing.objects.select_for_update()
        .filter(pk=side.pairing.pk)
        .values_list("status", flat=True)
        .get()
    )
    due_on = pulse_due_on(side)
    if status not in LIVE_STATUSES or due_on is None:
        raise ActionError("Pulses are asked only while a pairing is under way.")
    if not is_due(due_on, side.me.user):
        raise ActionError(f"Your next pulse is due on {due_on:%-d %B %Y}.")
    _check_scores(
        {"fit": fit, "trust": trust, "value_received": value_received, "value_given": value_given}
    )
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise ActionError(f"Keep the comment under {COMMENT_MAX} characters.", field="comment")
    return Pulse.objects.create(
        pairing=side.pairing,
        author=side.me,
        fit=fit,
        trust=trust,
        value_received=value_received,
        value_given=value_given,
        comment=comment,
    )
