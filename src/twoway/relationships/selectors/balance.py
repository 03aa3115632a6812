"""The two-way ledger summed up: how much value flowed each way, and how evenly.

Value is what the learner rated each exchange, 1 to 5; an exchange left
unrated counts towards the number of exchanges but adds no value. The balance
is the smaller direction's total over the larger one's: 1 is perfectly even,
0 means everything flowed one way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from twoway.core.charts import LineChart, Series, line_chart
from twoway.pairing.selectors import PairSide
from twoway.profiles.models import Gap
from twoway.relationships.models import ConversationStatus, Exchange

# A pair is flagged as one-way once it has this many exchanges and a balance
# under the threshold. (Coordinators will tune both per program.)
ONE_WAY_AFTER_EXCHANGES = 3
ONE_WAY_BELOW_BALANCE = 0.5


@dataclass
class Flow:
    """Everything that flowed one way: from a teacher to a learner."""

    value: int = 0
    exchanges: int = 0
    skills: list[str] = field(default_factory=list)  # most valued first


@dataclass(frozen=True)
class Nudge:
    """A gentle, specific suggestion for the partner who has received more."""

    taught_you: list[str]
    wanted_to_learn: list[str]


@dataclass(frozen=True)
class Balance:
    received_by_me: Flow
    received_by_partner: Flow
    ratio: float | None  # None until value has flowed at all
    chart: LineChart | None
    nudge: Nudge | None
    lopsided: bool
    i_received_more: bool
    # For the partner who has given more: what they came to learn and have not yet.
    ask_for: list[str] = field(default_factory=list)

    @property
    def exchanges(self) -> int:
        return self.received_by_me.exchanges + self.received_by_partner.exchanges

    @property
    def percent(self) -> int | None:
        return None if self.ratio is None else round(self.ratio * 100)


def _ledger(side: PairSide) -> list[Exchange]:
    return list(
        Exchange.objects.filter(
            conversation__pairing=side.pairing,
            conversation__status=ConversationStatus.HELD,
        )
        .select_related("skill", "conversation")
        .order_by("conversation__starts_at", "id")
    )


def _flows(side: PairSide, ledger: list[Exchange]) -> tuple[Flow, Flow]:
    to_me, to_partner = Flow(), Flow()
    valued: dict[int, dict[str, int]] = {side.me.pk: {}, side.partner.pk: {}}
    for row in ledger:
        flow = to_me if row.learner_id == side.me.pk else to_partner
        flow.exchanges += 1
        flow.value += row.value_rating or 0
        by_skill = valued[row.learner_id]
        by_skill[row.skill.name] = by_skill.get(row.skill.name, 0) + (row.value_rating or 0)
    for flow, learner in ((to_me, side.me.pk), (to_partner, side.partner.pk)):
        flow.skills = sorted(valued[learner], key=lambda name: (-valued[learner][name], name))
    return to_me, to_partner


def _ratio(a: int, b: int) -> float | None:
    if max(a, b) == 0:
        return None
    return min(a, b) / max(a, b)


def _running_totals(side: PairSide, ledger: list[Exchange]) -> list[tuple[date, int, int]]:
    """(day, value I had received so far, value my partner had), one row per meeting day.

    Both lines start from zero on the day the pairing began (or the first meeting,
    if that was earlier), so the chart shows them growing from the start.
    """
    days: dict[date, tuple[int, int]] = {}
    total_me = total_partner = 0
    for row in ledger:
        day = timezone.localdate(row.conversation.starts_at)
        if row.learner_id == side.me.pk:
            total_me += row.value_rating or 0
        else:
            total_partner += row.value_rating or 0
        days[day] = (total_me, total_partner)
    rows = [(day, me, partner) for day, (me, partner) in days.items()]
    if not rows:
        return []
    began = side.pairing.accepted_at or side.pairing.started_at
    origin = min(timezone.localdate(began), rows[0][0]) if began else rows[0][0]
    return [(origin, 0, 0), *rows]


def _chart(side: PairSide, ledger: list[Exchange]) -> LineChart | None:
    if not ledger:
        return None
    totals = _running_totals(side, ledger)
    mine = [(day, me) for day, me, _ in totals]
    theirs = [(day, partner) for day, _, partner in totals]
    total_me, total_partner = totals[-1][1], totals[-1][2]
    name = side.partner.user.display_name
    return line_chart(
        [
            Series(f"What you learned from {name}", "partner", mine),
            Series(f"What {name} learned from you", "me", theirs),
        ],
        title="Value that flowed each way over time",
        description=(
            f"Cumulative value rated by the learner. You received {total_me}; "
            f"{name} received {total_partner}."
        ),
    )


def _gaps_not_yet_learned(learner, learned: set[str], limit: int = 2) -> list[str]:
    """The learner's gaps, highest priority first, that nobody has taught them here yet."""
    gaps = Gap.objects.filter(participant=learner).select_related("skill")
    names = [gap.skill.name for gap in gaps.order_by("-priority", "skill__name")]
    return [name for name in names if name not in learned][:limit]


def balance_of(side: PairSide) -> Balance:
    """The ledger of a pairing from one partner's side, with its chart and any nudge."""
    ledger = _ledger(side)
    to_me, to_partner = _flows(side, ledger)
    ratio = _ratio(to_me.value, to_partner.value)
    exchanges = to_me.exchanges + to_partner.exchanges
    lopsided = (
        exchanges >= ONE_WAY_AFTER_EXCHANGES and ratio is not None and ratio < ONE_WAY_BELOW_BALANCE
    )
    i_received_more = to_me.value > to_partner.value
    nudge, ask_for = None, []
    if lopsided and i_received_more:
        wanted = _gaps_not_yet_learned(side.partner, set(to_partner.skills))
        nudge = Nudge(taught_you=to_me.skills[:3], wanted_to_learn=wanted)
    elif lopsided:
        ask_for = _gaps_not_yet_learned(side.me, set(to_me.skills))
    return Balance(
        received_by_me=to_me,
        received_by_partner=to_partner,
        ratio=ratio,
        chart=_chart(side, ledger),
        nudge=nudge,
        lopsided=lopsided,
        i_received_more=i_received_more,
        ask_for=ask_for,
    )
