"""A program's report for its coordinators and sponsors: aggregates only.

The privacy rule of every report lives here, once: a figure that describes fewer than
MIN_GROUP people is withheld (shown as "fewer than 5 people", never as a number), and a chart
whose whole population is under MIN_GROUP says there are too few people to report. No
names and no free text (notes, comments, reasons) ever reach a report; the pairing list
for coordinators (`pairing_list_rows`) carries names but no private content either.

The whole report costs a fixed number of queries, whatever the size of the program:
the grouping happens in the database, and what Python sums is at most one row per
person (or pairing) and month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Lower, TruncMonth
from django.utils import timezone

from twoway.accounts.models import Invitation, InvitationRole
from twoway.core.charts import Bar, BarChart, LineChart, MonthSeries, bar_chart, month_line_chart
from twoway.insights.selectors.metrics import PairingMetrics, pairing_metrics
from twoway.pairing.models import Pairing, PairingStatus
from twoway.programs.models import Participant, Program
from twoway.relationships.models import Conversation, ConversationStatus, Exchange, Pulse

# --- The privacy rule -----------------------------------------------------------------

MIN_GROUP = 5
# What a withheld figure reads as. It names people because the figure itself may be a
# sum or a mean: "fewer than 5" alone would read as a value under 5.
FEWER_THAN = f"fewer than {MIN_GROUP} people"


@dataclass(frozen=True)
class Figure:
    """A reported number, or None when it is withheld to protect a small group."""

    value: float | None

    @property
    def withheld(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.value is None:
            return FEWER_THAN
        if float(self.value).is_integer():
            return str(int(self.value))
        return f"{self.value:.1f}"


def suppress(value: float, *, people: int) -> Figure:
    """`value`, unless it describes 1 to MIN_GROUP - 1 people.

    An empty group (0 people) describes nobody, so its figure (0, or nothing) is shown.
    """
    return Figure(None if 0 < people < MIN_GROUP else value)


def too_few(people: int) -> bool:
    """Whether a whole chart's population is too small to report at all."""
    return people < MIN_GROUP


def _bar(label: str, figure: Figure, unit: str = "") -> Bar:
    text = FEWER_THAN if figure.withheld else f"{figure}{unit}"
    return Bar(label=label, value=figure.value, text=text)


# --- 1. The participation funnel ------------------------------------------------------


@dataclass(frozen=True)
class FunnelStep:
    label: str
    explanation: str
    people: Figure


@dataclass(frozen=True)
class Funnel:
    too_few: bool
    steps: list[FunnelStep]
    chart: BarChart


def _pairings_of_participant():
    return Pairing.objects.filter(Q(participant_a=OuterRef("pk")) | Q(participant_b=OuterRef("pk")))


def report_funnel(program: Program) -> Funnel:
    """How far people got: invited → profile done → ever paired → first conversation → active."""
    invitations = Invitation.objects.filter(program=program, role=InvitationRole.PARTICIPANT)
    invited = invitations.aggregate(n=Count(Lower("email"), distinct=True))["n"]
    held = Conversation.objects.filter(status=ConversationStatus.HELD)
    counts = Participant.objects.filter(program=program).aggregate(
        # People who joined by import or application without an invitation still
        # entered the funnel: they are counted at its top too.
        uninvited=Count(
            "pk", filter=~Q(Exists(invitations.filter(email__iexact=OuterRef("user__email"))))
        ),
        profile_done=Count("pk", filter=Q(profile_completed_at__isnull=False)),
        paired=Count("pk", filter=Q(Exists(_pairings_of_participant().exclude(accepted_at=None)))),
        conversed=Count(
            "pk",
            filter=Q(
                Exists(
                    held.filter(
                        Q(pairing__participant_a=OuterRef("pk"))
                        | Q(pairing__participant_b=OuterRef("pk"))
                    )
                )
            ),
        ),
        active=Count(
            "pk",
            filter=Q(
                Exists(
                    _pairings_of_participant().filter(
                        status=PairingStatus.ACTIVE, paused_at__isnull=True
                    )
                )
            ),
        ),
    )
    entered = invited + counts["uninvited"]
    reached = (
        ("Invited", "invited to take part, or enrolled by import or application", entered),
        ("Profile done", "completed their profile", counts["profile_done"]),
        (
            "Ever paired",
            "had a pairing accepted by both partners, now or earlier",
            counts["paired"],
        ),
        ("First conversation", "held at least one conversation", counts["conversed"]),
        ("Active now", "in an active pairing that is not paused", counts["active"]),
    )
    steps = [
        FunnelStep(label, explanation, suppress(people, people=people))
        for label, explanation, people in reached
    ]
    chart = bar_chart(
        [_bar(step.label, step.people) for step in steps],
        title="Participation funnel",
        description="People at each step, from invitation to an active pairing. "
        f"Steps with fewer than {MIN_GROUP} people are not counted.",
        css_class="bar-funnel",
    )
    return Funnel(too_few=too_few(entered), steps=steps, chart=chart)


# --- 2. The distribution of balance ---------------------------------------------------

# Balance is the smaller direction's value over the larger's (metrics.PairingMetrics).
BALANCE_BUCKETS = (
    "under 20%",
    "20% to under 40%",
    "40% to under 60%",
    "60% to under 80%",
    "80% or more",
)


@dataclass(frozen=True)
class BalanceBucket:
    label: str
    pairings: Figure


@dataclass(frozen=True)
class BalanceDistribution:
    too_few: bool
    buckets: list[BalanceBucket]
    chart: BarChart


def balance_bucket(balance: float) -> int:
    """The bucket index of a balance between 0 and 1: 1 (perfectly even) goes in the last."""
    return min(int(round(balance * 100, 6) // 20), len(BALANCE_BUCKETS) - 1)


def report_balance(
    pairings: list[Pairing], metrics: dict[int, PairingMetrics]
) -> BalanceDistribution:
    """Pairings with at least one rated exchange, by how even their value flows."""
    counts = [0] * len(BALANCE_BUCKETS)
    people: list[set[int]] = [set() for _ in BALANCE_BUCKETS]
    for pairing in pairings:
        balance = metrics[pairing.pk].balance
        if balance is None:  # nothing rated yet: no balance to speak of
            continue
        index = balance_bucket(balance)
        counts[index] += 1
        people[index].update((pairing.participant_a_id, pairing.participant_b_id))
    buckets = [
        BalanceBucket(label, suppress(count, people=len(group)))
        for label, count, group in zip(BALANCE_BUCKETS, counts, people, strict=True)
    ]
    chart = bar_chart(
        [_bar(bucket.label, bucket.pairings) for bucket in buckets],
        title="Distribution of balance",
        description="Number of pairings by balance: the value the less-served partner "
        "rated as a share of the value the other rated. 100% means as much each way.",
        css_class="bar-balance",
    )
    return BalanceDistribution(
        too_few=too_few(len(set().union(*people))), buckets=buckets, chart=chart
    )


# --- 3. Value flowing senior → junior and junior → senior ---------------------------

SENIOR_TO_JUNIOR, JUNIOR_TO_SENIOR, BETWEEN_EQUALS = "down", "up", "equal"
DIRECTION_LABELS = {
    SENIOR_TO_JUNIOR: "Senior → junior",
    JUNIOR_TO_SENIOR: "Junior → senior",
    BETWEEN_EQUALS: "Between equals",
}


def _exchange_direction() -> Case:
    """Who taught whom, by level: the partner with the higher level is the senior."""
    teacher, learner = "teacher__user__profile__level", "learner__user__profile__level"
    return Case(
        When(Q(**{f"{teacher}__gt": F(learner)}), then=Value(SENIOR_TO_JUNIOR)),
        When(Q(**{f"{teacher}__lt": F(learner)}), then=Value(JUNIOR_TO_SENIOR)),
        When(Q(**{teacher: F(learner)}), then=Value(BETWEEN_EQUALS)),
        default=Value(""),  # a level missing: in no direction
        output_field=CharField(),
    )


def _held_exchanges(program: Program):
    return Exchange.objects.filter(
        conversation__pairing__program=program, conversation__status=ConversationStatus.HELD
    )


@dataclass
class _Tally:
    value: int = 0
    exchanges: int = 0
    people: set[int] = field(default_factory=set)

    def add(self, value: int | None, exchanges: int, *people: int) -> None:
        self.value += value or 0
        self.exchanges += exchanges
        self.people.update(people)


@dataclass(frozen=True)
class FlowTotal:
    direction: str
    label: str
    value: Figure
    exchanges: Figure


@dataclass(frozen=True)
class FlowMonth:
    month: date
    senior_to_junior: Figure
    junior_to_senior: Figure


@dataclass(frozen=True)
class ValueFlows:
    too_few: bool
    totals: list[FlowTotal]
    months: list[FlowMonth]
    totals_chart: BarChart
    monthly_chart: LineChart


def _months_between(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _month(moment) -> date:
    """The first day of a TruncMonth result (a datetime in the active timezone)."""
    return (timezone.localtime(moment) if timezone.is_aware(moment) else moment).date()


def report_value_flows(program: Program) -> ValueFlows:
    """Learner-rated value by direction of seniority, in total and month by month."""
    rows = (
        _held_exchanges(program)
        .annotate(direction=_exchange_direction(), month=TruncMonth("conversation__starts_at"))
        .values_list("month", "direction", "teacher", "learner")
        .annotate(value=Sum("value_rating"), exchanges=Count("pk"))
        .order_by()
    )
    totals: dict[str, _Tally] = defaultdict(_Tally)
    monthly: dict[tuple[date, str], _Tally] = defaultdict(_Tally)
    for moment, direction, teacher, learner, value, exchanges in rows:
        if not direction:
            continue
        totals[direction].add(value, exchanges, teacher, learner)
        monthly[(_month(moment), direction)].add(value, exchanges, teacher, learner)
    flow_totals = [
        FlowTotal(
            direction,
            DIRECTION_LABELS[direction],
            suppress(totals[direction].value, people=len(totals[direction].people)),
            suppress(totals[direction].exchanges, people=len(totals[direction].people)),
        )
        for direction in DIRECTION_LABELS
    ]
    months = sorted({month for month, _ in monthly})
    flow_months = []
    for month in _months_between(months[0], months[-1]) if months else []:
        down, up = monthly[(month, SENIOR_TO_JUNIOR)], monthly[(month, JUNIOR_TO_SENIOR)]
        flow_months.append(
            FlowMonth(
                month,
                suppress(down.value, people=len(down.people)),
                suppress(up.value, people=len(up.people)),
            )
        )
    everyone = set().union(*(tally.people for tally in totals.values()))
    return ValueFlows(
        too_few=too_few(len(everyone)),
        totals=flow_totals,
        months=flow_months,
        totals_chart=bar_chart(
            [_bar(total.label, total.value) for total in flow_totals],
            title="Value by direction",
            description="The sum of learners' value ratings (1 to 5 per thing learned) "
            "for what seniors taught juniors, what juniors taught seniors, and what "
            "partners of the same level taught each other.",
            css_class="bar-flow",
        ),
        monthly_chart=month_line_chart(
            [
                MonthSeries(
                    DIRECTION_LABELS[SENIOR_TO_JUNIOR],
                    "senior",
                    [(row.month, row.senior_to_junior.value) for row in flow_months],
                ),
                MonthSeries(
                    DIRECTION_LABELS[JUNIOR_TO_SENIOR],
                    "junior",
                    [(row.month, row.junior_to_senior.value) for row in flow_months],
                ),
            ],
            title="Value by direction, month by month",
            description="The monthly sum of learners' value ratings, senior to junior and "
            f"junior to senior. Months where a direction involved fewer than {MIN_GROUP} people "
            "leave a gap.",
        ),
    )


# --- 4. The silos bridged: department × department -------------------------------


@dataclass(frozen=True)
class MatrixCell:
    pairings: Figure
    heat: int  # 0 (none) to 4 (the most), for the cell's shade; -1 when withheld


@dataclass(frozen=True)
class MatrixRow:
    department: str
    cells: list[MatrixCell]


@dataclass(frozen=True)
class DepartmentMatrix:
    too_few: bool
    departments: list[str]
    rows: list[MatrixRow]
    pairings: Figure
    cross_department_percent: Figure


def _heat(count: int, largest: int) -> int:
    return 0 if count == 0 else max(1, round(4 * count / largest))


def report_departments(pairings: list[Pairing]) -> DepartmentMatrix:
    """Pairings that went ahead, by the partners' departments (either order)."""
    went_ahead = [pairing for pairing in pairings if pairing.accepted_at is not None]
    counts: dict[frozenset[str], int] = defaultdict(int)
    people: dict[frozenset[str], set[int]] = defaultdict(set)
    for pairing in went_ahead:
        key = frozenset((pairing.department_a, pairing.department_b))
        counts[key] += 1
        people[key].update((pairing.participant_a_id, pairing.participant_b_id))
    everyone = set().union(*people.values())
    across = sum(pairing.department_a != pairing.department_b for pairing in went_ahead)
    departments = sorted({name for key in counts for name in key}, key=str.casefold)
    shown = {key: suppress(count, people=len(people[key])) for key, count in counts.items()}
    largest = max((int(f.value) for f in shown.values() if not f.withheld), default=1)
    rows = []
    for row in departments:
        row_cells = []
        for column in departments:
            figure = shown.get(frozenset((row, column)), Figure(0))
            heat = -1 if figure.withheld else _heat(int(figure.value), largest)
            row_cells.append(MatrixCell(figure, heat))
        rows.append(MatrixRow(row, row_cells))
    population = len(everyone)
    share = round(100 * across / len(went_ahead)) if went_ahead else 0
    return DepartmentMatrix(
        too_few=too_few(population),
        departments=departments,
        rows=rows,
        pairings=suppress(len(went_ahead), people=population),
        cross_department_percent=suppress(share, people=population),
    )


# --- 5. The skills most taught in each direction -----------------------------------

TOP_SKILLS = 10


@dataclass(frozen=True)
class TaughtSkill:
    name: str
    exchanges: int
    teachers: int


@dataclass(frozen=True)
class SkillsTaught:
    direction: str
    label: str
    skills: list[TaughtSkill]
    chart: BarChart


def report_skills(program: Program) -> list[SkillsTaught]:
    """The top skills senior → junior and junior → senior, each taught by 5+ people.

    A skill taught by fewer people is left out: the list would otherwise tell who
    taught a rare skill.
    """
    rows = (
        _held_exchanges(program)
        .annotate(direction=_exchange_direction())
        .filter(direction__in=(SENIOR_TO_JUNIOR, JUNIOR_TO_SENIOR))
        .values_list("direction", "skill__name")
        .annotate(exchanges=Count("pk"), teachers=Count("teacher", distinct=True))
        .order_by()
    )
    by_direction: dict[str, list[TaughtSkill]] = defaultdict(list)
    for direction, name, exchanges, teachers in rows:
        if suppress(teachers, people=teachers).withheld:
            continue
        by_direction[direction].append(TaughtSkill(name, exchanges, teachers))
    lists = []
    for direction in (SENIOR_TO_JUNIOR, JUNIOR_TO_SENIOR):
        top = sorted(by_direction[direction], key=lambda s: (-s.exchanges, -s.teachers, s.name))
        top = top[:TOP_SKILLS]
        label = DIRECTION_LABELS[direction]
        chart = bar_chart(
            [Bar(s.name, s.exchanges, f"{s.exchanges} × by {s.teachers}") for s in top],
            title=f"Skills most taught, {label.lower()}",
            description=f"How many times each skill was taught ({label.lower()}), and by "
            "how many people.",
            css_class=f"bar-{'senior' if direction == SENIOR_TO_JUNIOR else 'junior'}",
        )
        lists.append(SkillsTaught(direction, label, top, chart))
    return lists


# --- 6. Pulse trends ---------------------------------------------------------------

PULSE_RATINGS = (
    ("fit", "Fit"),
    ("trust", "Trust"),
    ("value_given", "Value given"),
    ("value_received", "Value received"),
)


@dataclass(frozen=True)
class PulseMonth:
    month: date
    respondents: Figure
    means: list[Figure]  # in the order of PULSE_RATINGS; empty in a month without pulses


@dataclass(frozen=True)
class PulseTrends:
    too_few: bool
    months: list[PulseMonth]
    chart: LineChart


def report_pulses(program: Program) -> PulseTrends:
    """The monthly mean of each pulse rating, for months with 5+ respondents."""
    names = [name for name, _ in PULSE_RATINGS]
    rows = (
        Pulse.objects.filter(pairing__program=program)
        .annotate(month=TruncMonth("submitted_at"))
        .values_list("month", "author")
        .annotate(pulses=Count("pk"), **{name: Sum(name) for name in names})
        .order_by()
    )
    sums: dict[date, list[int]] = defaultdict(lambda: [0] * len(names))
    pulses: dict[date, int] = defaultdict(int)
    authors: dict[date, set[int]] = defaultdict(set)
    for moment, author, count, *totals in rows:
        month = _month(moment)
        pulses[month] += count
        authors[month].add(author)
        sums[month] = [a + b for a, b in zip(sums[month], totals, strict=True)]
    months = []
    for month in _months_between(min(pulses), max(pulses)) if pulses else []:
        respondents = len(authors.get(month, ()))
        count = pulses.get(month, 0)
        means = (
            [suppress(total / count, people=respondents) for total in sums[month]] if count else []
        )
        months.append(PulseMonth(month, suppress(respondents, people=respondents), means))
    series = [
        MonthSeries(
            label,
            name.replace("_", "-"),
            [(m.month, m.means[i].value if m.means else None) for m in months],
        )
        for i, (name, label) in enumerate(PULSE_RATINGS)
    ]
    return PulseTrends(
        too_few=too_few(len(set().union(*authors.values()))),
        months=months,
        chart=month_line_chart(
            series,
            title="Pulse trends",
            description="The monthly mean of each pulse rating, from 1 (low) to 5 (high). "
            f"Months with fewer than {MIN_GROUP} respondents leave a gap.",
            top=5,
            intervals=5,
        ),
    )


# --- The whole report ----------------------------------------------------------------


@dataclass(frozen=True)
class ProgramReport:
    has_pairings: bool
    funnel: Funnel
    balance: BalanceDistribution
    flows: ValueFlows
    departments: DepartmentMatrix
    skills: list[SkillsTaught]
    pulses: PulseTrends


def _pairings_with_departments(program: Program) -> list[Pairing]:
    return list(
        Pairing.objects.filter(program=program)
        .annotate(
            department_a=F("participant_a__user__profile__department"),
            department_b=F("participant_b__user__profile__department"),
        )
        .only("pk", "participant_a", "participant_b", "status", "accepted_at")
        .order_by("pk")
    )


def program_report(program: Program) -> ProgramReport:
    """Every chart of the report, in a fixed number of queries."""
    pairings = _pairings_with_departments(program)
    for pairing in pairings:
        pairing.department_a = pairing.department_a or "Department not given"
        pairing.department_b = pairing.department_b or "Department not given"
    metrics = pairing_metrics(pairings)
    return ProgramReport(
        has_pairings=bool(pairings),
        funnel=report_funnel(program),
        balance=report_balance(pairings, metrics),
        flows=report_value_flows(program),
        departments=report_departments(pairings),
        skills=report_skills(program),
        pulses=report_pulses(program),
    )


def report_figures(report: ProgramReport) -> Iterable[tuple[str, str, str]]:
    """The report as (section, figure, value) rows for the CSV export, withheld as on the page."""
    yield ("Section", "Figure", "Value")
    for step in report.funnel.steps:
        yield ("Participation funnel", f"{step.label}: {step.explanation}", str(step.people))
    for bucket in report.balance.buckets:
        yield ("Balance (pairings)", bucket.label, str(bucket.pairings))
    for total in report.flows.totals:
        yield ("Value by direction", f"{total.label}: value rated", str(total.value))
        yield ("Value by direction", f"{total.label}: exchanges", str(total.exchanges))
    for row in report.flows.months:
        month = f"{row.month:%Y-%m}"
        for label, figure in (
            (DIRECTION_LABELS[SENIOR_TO_JUNIOR], row.senior_to_junior),
            (DIRECTION_LABELS[JUNIOR_TO_SENIOR], row.junior_to_senior),
        ):
            yield ("Value by month", f"{month} {label}", str(figure))
    matrix = report.departments
    yield ("Departments", "Pairings that went ahead", str(matrix.pairings))
    yield ("Departments", "Across departments (%)", str(matrix.cross_department_percent))
    for index, row in enumerate(matrix.rows):
        # The matrix is symmetric: each pair of departments once.
        for column, cell in zip(matrix.departments[: index + 1], row.cells, strict=False):
            yield ("Departments", f"{row.department} × {column}", str(cell.pairings))
    for taught in report.skills:
        for skill in taught.skills:
            yield (f"Skills taught {taught.label.lower()}", skill.name, str(skill.exchanges))
    for month in report.pulses.months:
        label = f"{month.month:%Y-%m}"
        yield ("Pulse", f"{label} respondents", str(month.respondents))
        for (_, name), figure in zip(PULSE_RATINGS, month.means, strict=False):
            yield ("Pulse", f"{label} mean {name.lower()}", str(figure))


# --- The pairing list (coordinators only) ----------------------------------------

PAIRING_LIST_HEADER = (
    "Partner A",
    "Department A",
    "Partner B",
    "Department B",
    "Status",
    "Proposed on",
    "Accepted on",
    "Started on",
    "Ended on",
    "Conversations held",
    "Exchanges",
    "Balance (%)",
)


def _day(moment) -> str:
    return timezone.localdate(moment).isoformat() if moment else ""


def _department(participant: Participant) -> str:
    profile = getattr(participant.user, "profile", None)
    return profile.department if profile else ""


def pairing_list_rows(program: Program) -> Iterable[tuple]:
    """Every pairing with its partners, status, dates and activity: metadata, no content.

    For coordinators only. Journals, pulses, exit and decline reasons and notes are
    never read here.
    """
    pairings = list(
        Pairing.objects.filter(program=program)
        .select_related("participant_a__user__profile", "participant_b__user__profile")
        .order_by("proposed_at", "pk")
    )
    metrics = pairing_metrics(pairings)
    yield PAIRING_LIST_HEADER
    for pairing in pairings:
        row = metrics[pairing.pk]
        balance = row.balance
        yield (
            pairing.participant_a.user.full_name,
            _department(pairing.participant_a),
            pairing.participant_b.user.full_name,
            _department(pairing.participant_b),
            pairing.get_status_display(),
            _day(pairing.proposed_at),
            _day(pairing.accepted_at),
            _day(pairing.started_at),
            _day(pairing.ended_at),
            row.conversations,
            row.exchanges,
            "" if balance is None else round(100 * balance),
        )
