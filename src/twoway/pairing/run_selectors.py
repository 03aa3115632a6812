"""Reads about matching runs: the history, and a run's preview for its coordinators.

Every read here takes a fixed number of queries, whatever the number of pairs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Count, Q

from twoway.core.errors import NotFound
from twoway.pairing.models import MatchingRun, PairRule, ProposedPair
from twoway.pairing.selectors import Lesson, _lessons
from twoway.programs.models import Participant, Program

PAIRS_PER_PAGE = 25
UNMATCHED_SHOWN = 100


def matching_runs_of(program: Program) -> list[MatchingRun]:
    """The program's runs, newest first, with how many pairs each proposes (one query).

    The order is explicit: Django leaves the model's default ordering out of a query
    that groups rows for an aggregate.
    """
    return list(
        MatchingRun.objects.filter(program=program)
        .select_related("started_by", "published_by")
        .annotate(pair_count=Count("pairs"))
        .defer("stats", "unmatched", "rules")
        .order_by("-created_at", "-id")
    )


def pair_rules_of(program: Program) -> list[PairRule]:
    """The locked and forbidden pairs of a program, with both people's names (one query)."""
    return list(
        PairRule.objects.filter(program=program).select_related(
            "participant_a__user", "participant_b__user", "created_by"
        )
    )


def matching_run_of(program: Program, run_id: int) -> MatchingRun:
    run = MatchingRun.objects.filter(program=program, pk=run_id).select_related(
        "started_by", "published_by"
    )
    found = run.first()
    if found is None:
        raise NotFound("No such matching run.")
    return found


@dataclass(frozen=True)
class RunSummary:
    pairs: int
    two_way: int
    cross_department: int
    locked: int
    level_gaps: list[tuple[int, int, int]]  # (gap, pairs, bar width in percent)

    @property
    def two_way_percent(self) -> int:
        return _percent(self.two_way, self.pairs)

    @property
    def cross_department_percent(self) -> int:
        return _percent(self.cross_department, self.pairs)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def run_summary(run: MatchingRun) -> RunSummary:
    """Shares of two-way and cross-department pairs, and the level gaps (two queries)."""
    totals = ProposedPair.objects.filter(run=run).aggregate(
        pairs=Count("id"),
        two_way=Count("id", filter=Q(two_way=True)),
        cross_department=Count("id", filter=Q(cross_department=True)),
        locked=Count("id", filter=Q(locked=True)),
    )
    gaps = (
        ProposedPair.objects.filter(run=run)
        .values_list("level_gap")
        .annotate(n=Count("id"))
        .order_by("level_gap")
    )
    gaps = list(gaps)
    most = max((n for _, n in gaps), default=0)
    return RunSummary(
        **totals,
        level_gaps=[(gap, n, max(1, round(100 * n / most))) for gap, n in gaps],
    )


@dataclass(frozen=True)
class PairWords:
    """A proposed pair as a coordinator reads it: who teaches whom, and what is bridged."""

    a_teaches_b: list[Lesson]
    b_teaches_a: list[Lesson]
    bridges: list[str]
    common_ground: list[str]


_BRIDGE_NAMES = {"department": "Departments", "level": "Levels", "location": "Places"}


def pair_words(explanation: dict) -> PairWords:
    """The engine's explanation in words for the program's coordinators.

    Partners see the same explanation through `selectors.explanation_in_words`,
    limited to what the other shares; coordinators see the profile facts anyway.
    Birth years ("generation") are never shown to anyone.
    """
    bridges = [
        f"{_BRIDGE_NAMES[item['kind']]}: {item['a']} and {item['b']}"
        for item in explanation.get("bridges", [])
        if item.get("kind") in _BRIDGE_NAMES
    ]
    common = [
        f"Both {'speak' if item['kind'] == 'language' else 'enjoy'} {item['value']}"
        for item in explanation.get("common_ground", [])
        if item.get("kind") in ("language", "interest")
    ]
    return PairWords(
        a_teaches_b=_lessons(explanation.get("a_teaches_b", [])),
        b_teaches_a=_lessons(explanation.get("b_teaches_a", [])),
        bridges=bridges,
        common_ground=common,
    )


@dataclass(frozen=True)
class PairsPage:
    pairs: list[ProposedPair]
    number: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_position(self) -> int:
        return (self.number - 1) * PAIRS_PER_PAGE + 1


def run_pairs_page(run: MatchingRun, *, page: int, total: int) -> PairsPage:
    """One page of the run's pairs, best first, people and profiles loaded (one query).

    `total` comes from `run_summary`, so the page costs no extra count.
    """
    pages = max(1, math.ceil(total / PAIRS_PER_PAGE))
    number = min(max(1, page), pages)
    start = (number - 1) * PAIRS_PER_PAGE
    pairs = list(
        ProposedPair.objects.filter(run=run)
        .select_related("participant_a__user__profile", "participant_b__user__profile")
        .order_by("-locked", "-score", "id")[start : start + PAIRS_PER_PAGE]
    )
    for pair in pairs:
        pair.words = pair_words(pair.explanation)
    return PairsPage(pairs=pairs, number=number, pages=pages, total=total)


@dataclass(frozen=True)
class UnmatchedPerson:
    name: str
    department: str
    reason: str


@dataclass(frozen=True)
class Unmatched:
    """The people a run leaves without a partner, and apart from them the people it did
    not consider because open pairings already take all their places (the first
    `UNMATCHED_SHOWN` of each, with the totals)."""

    without_partner: list[UnmatchedPerson]
    without_partner_total: int
    no_place: list[UnmatchedPerson]
    no_place_total: int


def unmatched_people(run: MatchingRun, *, limit: int = UNMATCHED_SHOWN) -> Unmatched:
    """Who the run leaves without a partner and who it could not consider (one query)."""
    without = [item for item in run.unmatched if not item.get("no_place")]
    no_place = [item for item in run.unmatched if item.get("no_place")]
    shown = without[:limit] + no_place[:limit]
    people = Participant.objects.filter(pk__in=[item["participant"] for item in shown])
    found = {
        pk: (name, department or "")
        for pk, name, department in people.values_list(
            "pk", "user__full_name", "user__profile__department"
        )
    }

    def named(items: list[dict]) -> list[UnmatchedPerson]:
        return [
            UnmatchedPerson(*found[item["participant"]], reason=item["reason"])
            for item in items
            if item["participant"] in found
        ]

    return Unmatched(
        without_partner=named(without[:limit]),
        without_partner_total=len(without),
        no_place=named(no_place[:limit]),
        no_place_total=len(no_place),
    )


def certificate_in_words(stats: dict) -> list[str]:
    """What the engine proved about the run, in plain sentences."""
    if not stats:
        return []
    searched = _candidate_graph_words(stats)
    if stats.get("mode") == "stable":
        blocking = len(stats.get("blocking_pairs") or [])
        if stats.get("stable"):
            return [
                searched,
                "Stable: no two people would both rather be with each other than with "
                "the partners they got.",
            ]
        return [
            searched,
            f"No fully stable matching exists for these people; {blocking} pair(s) would "
            "both rather be together. The engine found the matching with the fewest.",
        ]
    total, bound = _points(stats.get("total_score")), _points(stats.get("upper_bound"))
    proof = {
        "exact": "solved exactly by a maximum-weight matching algorithm",
        "lp-duals": "proven by dual prices that no better set of pairs exists",
        "bound": "its total equals an upper bound that no choice of these candidates can exceed",
    }
    certified_over = stats.get("certified_over")
    if stats.get("optimal") and certified_over == "all eligible pairs":
        words = [
            searched,
            f"Optimal over every eligible pair, not only those candidates: "
            f"{proof.get(stats.get('certificate'), 'certified')}. No other choice of pairs "
            f"has a higher total score than {total}.",
        ]
    elif stats.get("optimal"):
        words = [
            searched,
            f"Optimal within that search: {proof.get(stats.get('certificate'), 'certified')}. "
            f"No other choice of pairs among these candidates has a higher total "
            f"score than {total}.",
        ]
    elif certified_over == "candidate pairs only":
        words = [
            searched,
            f"Not proven optimal over every eligible pair: no better choice exists among the "
            f"candidates searched (total score {total}), but pairs outside that shortlist "
            "could raise it.",
        ]
    else:
        gap = stats.get("gap_percent")
        words = [
            searched,
            "Not proven optimal: the total score "
            f"{total} is within {gap}% of the best any matching could reach ({bound})."
            if gap is not None
            else f"Not proven optimal: the total score is {total}.",
        ]
    return words


def _points(value) -> str:
    return "unknown" if value is None else f"{value:,.2f}"


def _candidate_graph_words(stats: dict) -> str:
    k, edges = stats.get("k"), stats.get("candidate_edges")
    if stats.get("candidates") == "approximate":
        return (
            f"The engine searched {edges:,} candidate pairs: for each person, about their "
            f"{k} best eligible partners, looked for within groups of similar people "
            "(the program is too large to compare everyone with everyone)."
        )
    return (
        f"The engine searched {edges:,} candidate pairs: for each person, their {k} best "
        "eligible partners among everyone in the run. Pairs outside those candidates "
        "were not considered."
    )


def proposed_pair_of(run: MatchingRun, pair_id: int) -> ProposedPair:
    pair = (
        ProposedPair.objects.filter(run=run, pk=pair_id)
        .select_related("participant_a__user__profile", "participant_b__user__profile")
        .first()
    )
    if pair is None:
        raise NotFound("That pair is not in this run.")
    pair.words = pair_words(pair.explanation)
    return pair


@dataclass(frozen=True)
class SwapCandidate:
    """Someone in another pair of the run, who could trade places."""

    pair_id: int
    participant_id: int
    name: str
    department: str
    partner_name: str


def swap_candidates(
    run: MatchingRun, pair: ProposedPair, *, query: str, limit: int
) -> list[SwapCandidate]:
    """People of the run's other unlocked pairs whose name contains `query` (one query).

    Pairs with either person of `pair` in them are left out (with a capacity above 1
    someone has several pairs): a swap with them would pair someone with themselves.
    """
    people = (pair.participant_a_id, pair.participant_b_id)
    pairs = (
        ProposedPair.objects.filter(run=run, locked=False)
        .exclude(Q(participant_a_id__in=people) | Q(participant_b_id__in=people))
        .select_related("participant_a__user__profile", "participant_b__user__profile")
        .order_by("-score", "id")
    )
    if query:
        pairs = pairs.filter(
            Q(participant_a__user__full_name__icontains=query)
            | Q(participant_b__user__full_name__icontains=query)
        )
    found = []
    for other in pairs[:limit]:
        ends = (
            (other.participant_a, other.participant_b),
            (other.participant_b, other.participant_a),
        )
        for person, partner in ends:
            if query and query.casefold() not in person.user.full_name.casefold():
                continue
            found.append(
                SwapCandidate(
                    pair_id=other.pk,
                    participant_id=person.pk,
                    name=person.user.full_name,
                    department=person.user.profile.department,
                    partner_name=partner.user.full_name,
                )
            )
    return found[:limit]


ENGINE_PHASES = (("score", "Scoring"), ("candidates", "Candidates"), ("solve", "Solving"))
ENGINE_PHASES += (("explain", "Explaining"),)


def phase_seconds(stats: dict) -> list[tuple[str, float]]:
    """The engine's seconds per phase, in the order the phases run (PostgreSQL's jsonb
    does not keep the order of keys)."""
    seconds = stats.get("seconds") or {}
    return [(label, round(seconds[phase], 2)) for phase, label in ENGINE_PHASES if phase in seconds]
