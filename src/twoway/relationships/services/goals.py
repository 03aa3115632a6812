"""Writes of goals: each partner sets goals on their own gaps and checks in on them.

Both partners read both partners' goals; only the owner changes theirs.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from twoway.core.errors import ActionError, NotFound
from twoway.core.models import made_just_now
from twoway.pairing.models import LIVE_STATUSES
from twoway.pairing.selectors import PairSide
from twoway.pairing.services import pairing_status_locked
from twoway.profiles.models import Gap
from twoway.relationships.models import Goal, GoalCheckIn, GoalStatus
from twoway.relationships.selectors.clock import today_for

TITLE_MAX = 140
TEXT_MAX = 2000


def _check_live(side: PairSide) -> None:
    # Under the pairing's row lock, which also puts a double submit in line.
    if pairing_status_locked(side) not in LIVE_STATUSES:
        raise ActionError("This pairing is not under way, so its goals cannot change.")


def _clean_text(value: str, *, field: str, limit: int, required_message: str = "") -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise ActionError(required_message, field=field)
    if len(value) > limit:
        raise ActionError(f"Keep it under {limit} characters.", field=field)
    return value


@transaction.atomic
def goal_create(
    *,
    side: PairSide,
    skill_id: int,
    title: str,
    description: str = "",
    target_date: date | None = None,
) -> Goal:
    """A goal of this partner, working on one of their gaps in the program."""
    _check_live(side)
    gap = Gap.objects.filter(participant=side.me, skill_id=skill_id).select_related("skill").first()
    if gap is None:
        raise ActionError(
            "Choose one of the skills you want to learn in this program.", field="skill"
        )
    title = _clean_text(
        title, field="title", limit=TITLE_MAX, required_message="Give the goal a title."
    )
    description = _clean_text(description, field="description", limit=TEXT_MAX)
    if target_date is not None and target_date < today_for(side.me.user):
        raise ActionError("The target date has already passed.", field="target_date")
    program_end = side.pairing.program.ends_on
    if target_date is not None and program_end and target_date > program_end:
        raise ActionError(
            f"The program ends on {program_end:%-d %B %Y}; choose that day or earlier.",
            field="target_date",
        )
    just_made = made_just_now(
        Goal.objects.filter(pairing=side.pairing, owner=side.me, skill=gap.skill, title=title)
    )
    if just_made is not None:
        return just_made
    return Goal.objects.create(
        pairing=side.pairing,
        owner=side.me,
        skill=gap.skill,
        title=title,
        description=description,
        target_date=target_date,
    )


def _own_goal(side: PairSide, goal_id: int) -> Goal:
    """The goal, locked, when it is this partner's; the partner's goals are read-only."""
    goal = Goal.objects.select_for_update().filter(pk=goal_id, pairing=side.pairing).first()
    if goal is None:
        raise NotFound("No such goal")
    if goal.owner_id != side.me.pk:
        name = side.partner.user.display_name
        raise ActionError(f"Only {name} can change {name}'s goals.")
    return goal


@transaction.atomic
def goal_check_in(
    *, side: PairSide, goal_id: int, progress_percent: int, note: str = ""
) -> GoalCheckIn:
    """Record progress on one of this partner's open goals."""
    _check_live(side)
    goal = _own_goal(side, goal_id)
    if goal.status != GoalStatus.OPEN:
        raise ActionError("Reopen the goal to check in on it.")
    if (
        isinstance(progress_percent, bool)
        or not isinstance(progress_percent, int)
        or not 0 <= progress_percent <= 100
    ):
        raise ActionError("Give your progress as a number from 0 to 100.", field="progress_percent")
    note = _clean_text(note, field="note", limit=TEXT_MAX)
    just_made = made_just_now(
        GoalCheckIn.objects.filter(goal=goal, progress_percent=progress_percent, note=note)
    )
    return just_made or GoalCheckIn.objects.create(
        goal=goal, progress_percent=progress_percent, note=note
    )


def _set_status(side: PairSide, goal_id: int, status: str, *, allowed_from: tuple) -> Goal:
    _check_live(side)
    goal = _own_goal(side, goal_id)
    if goal.status not in allowed_from:
        raise ActionError(f"This goal is already {goal.get_status_display().lower()}.")
    goal.status = status
    goal.save(update_fields=["status"])
    return goal


@transaction.atomic
def goal_achieve(*, side: PairSide, goal_id: int) -> Goal:
    return _set_status(side, goal_id, GoalStatus.ACHIEVED, allowed_from=(GoalStatus.OPEN,))


@transaction.atomic
def goal_drop(*, side: PairSide, goal_id: int) -> Goal:
    return _set_status(side, goal_id, GoalStatus.DROPPED, allowed_from=(GoalStatus.OPEN,))


@transaction.atomic
def goal_reopen(*, side: PairSide, goal_id: int) -> Goal:
    return _set_status(
        side, goal_id, GoalStatus.OPEN, allowed_from=(GoalStatus.ACHIEVED, GoalStatus.DROPPED)
    )
