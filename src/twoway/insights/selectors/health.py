"""The health dashboard: every pairing of a program, its figures, and its flags.

A flag is computed from the pairing as it is now (never stored as the truth):
FlagRecord rows only remember when each was first seen, for the weekly digest.
The thresholds are the program's own settings. A whole program costs a constant
number of queries; sorting, filtering and paging happen on the computed rows,
because "flags first" can only be known once the flags are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from twoway.insights.models import ActionKind, CoordinatorAction, ExitReview, FlagKind
from twoway.insights.selectors.metrics import (
    ONE_WAY_AFTER_EXCHANGES,
    PairingMetrics,
    pairing_metrics,
)
from twoway.insights.selectors.rematch import rematch_run_for, rematch_runs_by_person
from twoway.pairing.models import (
    ENDED_STATUSES,
    LIVE_STATUSES,
    OPEN_STATUSES,
    Exit,
    Pairing,
    PairingStatus,
)
from twoway.programs.models import Participant, Program

# Ended pairings stay on the dashboard this long, so a coordinator sees how they ended.
RECENTLY_ENDED = timedelta(days=30)
# An exit with "I would like a new partner" also sets the person's rematch request,
# a moment later in the same transaction: a request that close to such an exit is
# that exit's, and is not listed (or flagged) a second time.
REQUEST_FROM_EXIT_WITHIN = timedelta(minutes=1)
PER_PAGE = 25


@dataclass(frozen=True)
class Flag:
    kind: str  # a FlagKind value
    explanation: str

    @property
    def label(self) -> str:
        return FlagKind(self.kind).label


@dataclass(frozen=True)
class ExitRequest:
    """Someone left a pairing, or asked for a new partner, and no coordinator has dealt with it."""

    name: str
    at: datetime
    wants_new_partner: bool
    is_exit: bool


@dataclass
class OpenRequests:
    """A program's exits and requests for a new partner that are not dealt with yet."""

    exits: dict[int, ExitRequest] = field(default_factory=dict)  # by pairing id
    rematch: dict[int, datetime] = field(default_factory=dict)  # participant id -> asked at


@dataclass
class HealthRow:
    pairing: Pairing
    metrics: PairingMetrics
    flags: list[Flag]
    now: datetime
    viewer_is_partner: bool = False  # then the partner's pulse is not shown
    nudged_today: bool = False
    rematch_run: object | None = None  # set by health_page: a rematch of the partners

    @property
    def may_rematch(self) -> bool:
        """Ended, or someone asked to leave it or for a new partner: new partners may help."""
        return self.has_ended or FlagKind.EXIT_REQUESTED in self.flag_kinds

    @property
    def is_paused(self) -> bool:
        return self.pairing.status in LIVE_STATUSES and self.pairing.paused_at is not None

    @property
    def is_live(self) -> bool:
        return self.pairing.status in LIVE_STATUSES

    @property
    def has_ended(self) -> bool:
        return self.pairing.status in ENDED_STATUSES

    @property
    def flag_kinds(self) -> set[str]:
        return {flag.kind for flag in self.flags}

    @property
    def names(self) -> str:
        a, b = self.pairing.participant_a.user, self.pairing.participant_b.user
        return f"{a.full_name} ↔ {b.full_name}"

    @property
    def days_since_conversation(self) -> int | None:
        last = self.metrics.last_conversation_at
        return None if last is None else max((self.now - last).days, 0)

    @property
    def balance_percent(self) -> int | None:
        balance = self.metrics.balance
        return None if balance is None else round(balance * 100)

    @property
    def balance_step(self) -> int:
        """The balance rounded to a step of 10, for the bar's CSS width class."""
        percent = self.balance_percent or 0
        return min(100, round(percent / 10) * 10)

    @property
    def pulse(self):
        return None if self.viewer_is_partner else self.metrics.latest_pulse


# --- The flags ---------------------------------------------------------------------


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j M Y")


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _stalled(pairing: Pairing, metrics: PairingMetrics, now, resumed_at) -> Flag | None:
    if pairing.status != PairingStatus.ACTIVE:
        return None
    limit = pairing.program.stalled_after_days
    started = pairing.started_at or pairing.accepted_at or pairing.proposed_at
    since = [
        (metrics.last_conversation_at, "since their last conversation"),
        (started, "since the pairing started, with no conversation yet"),
        (resumed_at, "since a coordinator resumed it"),
    ]
    reference, words = max(
        ((moment, words) for moment, words in since if moment), key=lambda pair: pair[0]
    )
    if now - reference <= timedelta(days=limit):
        return None
    return Flag(
        FlagKind.STALLED,
        f"{_days((now - reference).days)} {words}; the program flags a pair after "
        f"{_days(limit)} without one.",
    )


def _one_way(pairing: Pairing, metrics: PairingMetrics) -> Flag | None:
    threshold = pairing.program.one_way_below_balance
    balance = metrics.balance
    if metrics.exchanges < ONE_WAY_AFTER_EXCHANGES or balance is None or balance >= threshold:
        return None
    a, b = pairing.participant_a.user.display_name, pairing.participant_b.user.display_name
    if metrics.value_to_b >= metrics.value_to_a:  # B learned more: A is the one teaching
        teacher, learner, taught, back = a, b, metrics.taught_by_a, metrics.taught_by_b
    else:
        teacher, learner, taught, back = b, a, metrics.taught_by_b, metrics.taught_by_a
    under = f"a balance of {round(balance * 100)}%, under the program's {round(threshold * 100)}%"
    if back == 0:
        words = f"Only {teacher} has taught: {taught} exchanges, 0 back ({under})."
    else:
        words = (
            f"Most of the value flows from {teacher} to {learner}: {teacher} taught in "
            f"{taught} exchanges, {learner} in {back} ({under})."
        )
    return Flag(FlagKind.ONE_WAY, words)


def _at_risk(pairing: Pairing, metrics: PairingMetrics) -> Flag | None:
    at_most = pairing.program.at_risk_rating_at_most
    names = {
        pairing.participant_a_id: pairing.participant_a.user.display_name,
        pairing.participant_b_id: pairing.participant_b.user.display_name,
    }
    low = [
        f"{names.get(author, 'A partner')}'s latest pulse ({_day(reading.submitted_at)}) rates "
        f"something {reading.lowest_rating} out of 5"
        for author, reading in sorted((metrics.latest_pulses or {}).items())
        if reading.lowest_rating <= at_most
    ]
    if not low:
        return None
    return Flag(
        FlagKind.AT_RISK,
        "; ".join(low) + f". The program flags a pulse that rates anything {at_most} or lower.",
    )


def _exit_requested(pairing: Pairing, requests: OpenRequests) -> Flag | None:
    said = []
    left = requests.exits.get(pairing.pk)
    if left:
        wish = " and would like a new partner" if left.wants_new_partner else ""
        said.append(f"{left.name} left this pairing on {_day(left.at)}{wish}")
    for participant in (pairing.participant_a, pairing.participant_b):
        asked_at = requests.rematch.get(participant.pk)
        # A pairing proposed after the request is the answer to it, not its subject.
        if asked_at and pairing.proposed_at <= asked_at:
            said.append(
                f"{participant.user.display_name} asked for a new partner on {_day(asked_at)}"
            )
    if not said:
        return None
    return Flag(
        FlagKind.EXIT_REQUESTED, "; ".join(said) + ". Not yet dealt with in the exits queue."
    )


def pairing_flags(
    pairing: Pairing,
    metrics: PairingMetrics,
    *,
    now: datetime,
    requests: OpenRequests,
    resumed_at: datetime | None = None,
) -> list[Flag]:
    """The flags a pairing raises now, each with its explanation in words.

    A paused pairing raises no health flag (stalled, one-way, at risk): its
    coordinator already knows. An exit or a request for a new partner is
    someone asking for something, so it is flagged whatever the status.
    """
    flags = []
    if pairing.status in LIVE_STATUSES and pairing.paused_at is None:
        flags += [
            _stalled(pairing, metrics, now, resumed_at),
            _one_way(pairing, metrics),
            _at_risk(pairing, metrics),
        ]
    flags.append(_exit_requested(pairing, requests))
    return [flag for flag in flags if flag is not None]


# --- Reading a program -------------------------------------------------------------


def rematch_requests_open(program: Program) -> QuerySet[Participant]:
    """People of the program who asked for a new partner, not dealt with, not part of an exit."""
    reviewed = ExitReview.objects.filter(
        participant=OuterRef("pk"), rematch_requested_at=OuterRef("rematch_requested_at")
    )
    from_exit = Exit.objects.filter(
        requested_by=OuterRef("pk"),
        wants_rematch=True,
        created_at__lte=OuterRef("rematch_requested_at"),
        created_at__gte=OuterRef("rematch_requested_at") - REQUEST_FROM_EXIT_WITHIN,
    )
    return (
        Participant.objects.filter(program=program, rematch_requested_at__isnull=False)
        .exclude(Exists(reviewed))
        .exclude(Exists(from_exit))
        .select_related("user")
    )


def _dashboard_pairings(program: Program, now: datetime) -> list[Pairing]:
    """Open pairings, recently ended ones, and older ones with an exit not yet dealt with."""
    pairings = (
        Pairing.objects.filter(program=program)
        .filter(
            Q(status__in=OPEN_STATUSES)
            | Q(ended_at__gte=now - RECENTLY_ENDED)
            | Q(exit__isnull=False, exit__review__isnull=True)
        )
        .select_related("participant_a__user", "participant_b__user", "exit__review")
        .order_by("pk")
    )
    rows = list(pairings)
    for pairing in rows:
        pairing.program = program  # the thresholds, without a query per row
    return rows


def _open_requests(program: Program, pairings: list[Pairing]) -> OpenRequests:
    requests = OpenRequests()
    for pairing in pairings:
        exit = getattr(pairing, "exit", None)
        if exit is not None and getattr(exit, "review", None) is None:
            leaver = (
                pairing.participant_a
                if exit.requested_by_id == pairing.participant_a_id
                else pairing.participant_b
            )
            requests.exits[pairing.pk] = ExitRequest(
                leaver.user.display_name, exit.created_at, exit.wants_rematch, is_exit=True
            )
    for participant in rematch_requests_open(program):
        requests.rematch[participant.pk] = participant.rematch_requested_at
    return requests


def _latest_actions(program: Program) -> dict[tuple[int, str], datetime]:
    """The latest nudge and resume of each pairing of the program (one query)."""
    rows = (
        CoordinatorAction.objects.filter(
            pairing__program=program, kind__in=[ActionKind.NUDGE, ActionKind.RESUME]
        )
        .values_list("pairing", "kind")
        .annotate(last=Max("created_at"))
        .order_by()
    )
    return {(pairing_id, kind): last for pairing_id, kind, last in rows}


def health_rows(program: Program, *, viewer=None, now: datetime | None = None) -> list[HealthRow]:
    """Every pairing on the program's dashboard with its figures and flags (six queries)."""
    now = now or timezone.now()
    pairings = _dashboard_pairings(program, now)
    metrics = pairing_metrics(pairings)
    requests = _open_requests(program, pairings)
    actions = _latest_actions(program)
    today = now.date()
    rows = []
    for pairing in pairings:
        partners = {pairing.participant_a.user_id, pairing.participant_b.user_id}
        viewer_is_partner = viewer is not None and viewer.pk in partners
        flags = pairing_flags(
            pairing,
            metrics[pairing.pk],
            now=now,
            requests=requests,
            resumed_at=actions.get((pairing.pk, ActionKind.RESUME)),
        )
        if viewer_is_partner:
            # A coordinator who is a partner here must not learn their partner's pulse.
            flags = [flag for flag in flags if flag.kind != FlagKind.AT_RISK]
        nudged = actions.get((pairing.pk, ActionKind.NUDGE))
        rows.append(
            HealthRow(
                pairing=pairing,
                metrics=metrics[pairing.pk],
                flags=flags,
                now=now,
                viewer_is_partner=viewer_is_partner,
                nudged_today=nudged is not None and nudged.date() == today,
            )
        )
    return rows


def pairing_flags_now(pairing: Pairing, *, now: datetime | None = None) -> list[Flag]:
    """The flags of one pairing, as the dashboard would show them."""
    now = now or timezone.now()
    program = pairing.program
    requests = _open_requests(program, [pairing])
    resumed = (
        CoordinatorAction.objects.filter(pairing=pairing, kind=ActionKind.RESUME)
        .aggregate(last=Max("created_at"))
        .get("last")
    )
    metrics = pairing_metrics([pairing])[pairing.pk]
    return pairing_flags(pairing, metrics, now=now, requests=requests, resumed_at=resumed)


# --- The page: sort, filter, page --------------------------------------------------

SORTS = {
    "flags": "Flags first",
    "last_conversation": "Longest without a conversation",
    "balance": "Lowest balance first",
    "name": "Name",
}
STATUS_FILTERS = {
    "": "Every status",
    "proposed": "Proposed",
    "accepted": "Accepted",
    "active": "Active",
    "paused": "Paused",
    "ended": "Ended",
}
FLAG_FILTERS = {
    "": "Flagged or not",
    "any": "Any flag",
    **dict(FlagKind.choices),
    "none": "No flag",
}

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _name_key(row: HealthRow) -> str:
    return row.names.casefold()


def _last_conversation_key(row: HealthRow):
    # Never met sorts first: it has gone longest without a conversation.
    return (row.metrics.last_conversation_at or _EPOCH, _name_key(row))


def _sort_key(sort: str):
    if sort == "name":
        return _name_key
    if sort == "last_conversation":
        return _last_conversation_key
    if sort == "balance":
        # Pairs with nothing rated yet have no balance: they go last.
        return lambda row: (row.metrics.balance is None, row.metrics.balance or 0, _name_key(row))
    return lambda row: (-len(row.flags), *_last_conversation_key(row))


def _matches_status(row: HealthRow, status: str) -> bool:
    if not status:
        return True
    if status == "paused":
        return row.is_paused
    if status == "ended":
        return row.has_ended
    return row.pairing.status == status and not row.is_paused


def _matches_flag(row: HealthRow, flag: str) -> bool:
    if not flag:
        return True
    if flag == "any":
        return bool(row.flags)
    if flag == "none":
        return not row.flags
    return flag in row.flag_kinds


@dataclass
class HealthPage:
    total: int  # pairings on the dashboard, before filtering
    flagged: int
    counts: list[tuple[str, str, int]]  # (flag kind, label, pairings with it)
    matching: int  # pairings that pass the filters
    page: Page


def health_page(
    program: Program,
    *,
    viewer=None,
    sort: str = "flags",
    status: str = "",
    flag: str = "",
    page_number=1,
    now: datetime | None = None,
) -> HealthPage:
    """One page of the dashboard, sorted and filtered; counts are over every pairing."""
    rows = health_rows(program, viewer=viewer, now=now)
    counts = [
        (kind, label, sum(1 for row in rows if kind in row.flag_kinds))
        for kind, label in FlagKind.choices
    ]
    chosen = [row for row in rows if _matches_status(row, status) and _matches_flag(row, flag)]
    chosen.sort(key=_sort_key(sort if sort in SORTS else "flags"))
    rematches = rematch_runs_by_person(program)
    for row in chosen:
        # Only where a rematch is the answer: with a capacity above 1, partners of a
        # pairing under way may be in someone else's rematch, as people with a place left.
        if row.may_rematch:
            partners = (row.pairing.participant_a_id, row.pairing.participant_b_id)
            row.rematch_run = rematch_run_for(rematches, partners)
    return HealthPage(
        total=len(rows),
        flagged=sum(1 for row in rows if row.flags),
        counts=counts,
        matching=len(chosen),
        page=Paginator(chosen, PER_PAGE).get_page(page_number),
    )
