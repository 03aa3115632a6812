"""Reads of a pair's goals: both partners see both partners' goals and check-ins."""

from __future__ import annotations

from dataclasses import dataclass

from twoway.pairing.selectors import PairSide
from twoway.profiles.models import Gap
from twoway.relationships.models import Goal, GoalCheckIn, GoalStatus

# Open goals first: they are what the pair is working on now.
_STATUS_ORDER = {GoalStatus.OPEN: 0, GoalStatus.ACHIEVED: 1, GoalStatus.DROPPED: 2}


@dataclass(frozen=True)
class GoalView:
    goal: Goal
    check_ins: list[GoalCheckIn]  # oldest first

    @property
    def last_check_in(self) -> GoalCheckIn | None:
        return self.check_ins[-1] if self.check_ins else None

    @property
    def progress(self) -> int:
        """The progress of the latest check-in (an achieved goal is done)."""
        if self.goal.status == GoalStatus.ACHIEVED:
            return 100
        last = self.last_check_in
        return last.progress_percent if last else 0


@dataclass(frozen=True)
class PairGoals:
    mine: list[GoalView]
    partners: list[GoalView]


def goals_of_pairing(side: PairSide) -> PairGoals:
    """Both partners' goals in the pairing, with their check-ins, in two queries."""
    goals = (
        Goal.objects.filter(pairing=side.pairing)
        .select_related("skill")
        .prefetch_related("check_ins")
        .order_by("created_at", "pk")
    )
    views = sorted(
        (GoalView(goal=goal, check_ins=list(goal.check_ins.all())) for goal in goals),
        key=lambda view: _STATUS_ORDER.get(view.goal.status, 3),
    )
    return PairGoals(
        mine=[view for view in views if view.goal.owner_id == side.me.pk],
        partners=[view for view in views if view.goal.owner_id == side.partner.pk],
    )


def gaps_for_goals(side: PairSide) -> list[Gap]:
    """The skills this partner wants to learn in the pairing's program: what a goal works on."""
    return list(Gap.objects.filter(participant=side.me).select_related("skill"))
