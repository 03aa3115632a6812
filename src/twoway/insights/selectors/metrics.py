"""What each pairing of a program amounts to so far, for any number of pairings.

The health dashboard, the flags and the reports all start from these figures. Three
grouped queries serve a whole program, so a page costs the same with 10 pairs or
10,000.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Sum

from twoway.pairing.models import Pairing
from twoway.relationships.models import Conversation, ConversationStatus, Exchange, Pulse

# A pair is judged one-way only once this many exchanges are logged: before that, a
# lopsided ledger says more about the order of topics than about the relationship.
ONE_WAY_AFTER_EXCHANGES = 3


@dataclass
class PulseReading:
    submitted_at: datetime
    lowest_rating: int  # the lowest of fit, trust, value given and value received


@dataclass
class PairingMetrics:
    conversations: int = 0
    last_conversation_at: datetime | None = None
    exchanges: int = 0
    taught_by_a: int = 0  # exchanges in which A taught B
    taught_by_b: int = 0
    value_to_a: int = 0  # value rated by A, as learner
    value_to_b: int = 0
    latest_pulses: dict[int, PulseReading] | None = None  # by author (participant id)

    @property
    def balance(self) -> float | None:
        """The smaller direction's value over the larger's: 1 is even, 0 one-way."""
        larger = max(self.value_to_a, self.value_to_b)
        return None if larger == 0 else min(self.value_to_a, self.value_to_b) / larger

    @property
    def latest_pulse(self) -> PulseReading | None:
        """The partners' latest pulses taken together: the latest date, the lowest rating."""
        readings = list((self.latest_pulses or {}).values())
        if not readings:
            return None
        return PulseReading(
            submitted_at=max(reading.submitted_at for reading in readings),
            lowest_rating=min(reading.lowest_rating for reading in readings),
        )


def pairing_metrics(pairings: Iterable[Pairing]) -> dict[int, PairingMetrics]:
    """Metrics for each pairing, keyed by pairing id (three queries in all)."""
    by_pairing = {pairing.pk: pairing for pairing in pairings}
    metrics = {pk: PairingMetrics(latest_pulses={}) for pk in by_pairing}
    if not metrics:
        return metrics
    ids = list(metrics)
    held = (
        Conversation.objects.filter(pairing__in=ids, status=ConversationStatus.HELD)
        .values_list("pairing")
        .annotate(n=Count("pk"), last=Max("starts_at"))
        .order_by()
    )
    for pairing_id, count, last in held:
        metrics[pairing_id].conversations = count
        metrics[pairing_id].last_conversation_at = last
    flows = (
        Exchange.objects.filter(
            conversation__pairing__in=ids, conversation__status=ConversationStatus.HELD
        )
        .values_list("conversation__pairing", "learner")
        .annotate(n=Count("pk"), value=Sum("value_rating"))
        .order_by()
    )
    for pairing_id, learner_id, count, value in flows:
        row = metrics[pairing_id]
        row.exchanges += count
        if learner_id == by_pairing[pairing_id].participant_a_id:
            row.value_to_a += value or 0
            row.taught_by_b += count
        else:
            row.value_to_b += value or 0
            row.taught_by_a += count
    _attach_latest_pulses(metrics, ids)
    return metrics


def _attach_latest_pulses(metrics: dict[int, PairingMetrics], ids: list[int]) -> None:
    pulses = (
        Pulse.objects.filter(pairing__in=ids)
        .order_by("pairing", "author", "-submitted_at", "-id")
        .values_list(
            "pairing", "author", "submitted_at", "fit", "trust", "value_given", "value_received"
        )
    )
    for pairing_id, author_id, submitted_at, *ratings in pulses:
        latest = metrics[pairing_id].latest_pulses
        if author_id not in latest:  # rows come newest first for each author
            latest[author_id] = PulseReading(submitted_at, min(ratings))
