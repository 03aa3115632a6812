"""The matching run: profiles, candidates, solver, explanations, with phase timings."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from twoway.matching import explain
from twoway.matching.candidates import (
    DEFAULT_K,
    CandidateGraph,
    generate_candidates,
    price_left_out,
)
from twoway.matching.errors import InputError
from twoway.matching.model import MODE_CHOICES, MatchInput, MatchResult, Pair, Stats, Unmatched
from twoway.matching.scoring import (
    SCORE_SCALE,
    Profiles,
    build_profiles,
    evaluate_pairs,
)
from twoway.matching.solver import EXACT_LIMIT, solve
from twoway.matching.stable import stable_roommates
from twoway.matching.vocabulary import Vocabulary, load_default_vocabulary


@dataclass
class Timer:
    """Seconds per phase, in the order the phases ran."""

    seconds: dict[str, float] = field(default_factory=dict)

    def run(self, phase: str, work: Callable[[], object]):
        started = time.perf_counter()
        result = work()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + time.perf_counter() - started
        return result


@dataclass
class MatchRun:
    """Everything a caller may want after a run (the CLI writes several of these)."""

    result: MatchResult
    profiles: Profiles
    candidates: CandidateGraph


def match(
    match_input: MatchInput,
    *,
    mode: str = "optimal",
    k: int | None = DEFAULT_K,
    seed: int = 0,
    vocabulary: Vocabulary | None = None,
    timer: Timer | None = None,
    exact_limit: int = EXACT_LIMIT,
    progress: Callable[[str], object] | None = None,
) -> MatchRun:
    """Pair the participants. Pure: no files, no Django, the same input gives the same
    output, with one exception: when no stable matching exists, the stable mode's
    search for fewer blocking pairs is seeded by `seed` and stops after a time budget,
    so a slower machine may stop it earlier.

    `progress`, when given, is called with each phase's name ("score", "candidates",
    "solve", "explain") as the phase starts, so a caller can show how far a run is.
    """
    if mode not in MODE_CHOICES:
        raise InputError([f"mode: must be one of {', '.join(MODE_CHOICES)}, got {mode!r}"])
    timer = timer or Timer()
    vocabulary = vocabulary if vocabulary is not None else load_default_vocabulary()

    def phase(name: str, work: Callable[[], object]):
        if progress is not None:
            progress(name)
        return timer.run(name, work)

    profiles = phase("score", lambda: build_profiles(match_input, vocabulary))
    graph = phase("candidates", lambda: generate_candidates(profiles, k))
    if mode == "stable":
        outcome = phase("solve", lambda: _solve_stable(profiles, graph, seed))
    else:
        outcome, graph = phase("solve", lambda: _solve_weighted(profiles, graph, mode, exact_limit))
    result = phase("explain", lambda: _result(profiles, graph, outcome, mode, k))
    stats = dataclasses.replace(result.stats, seconds=dict(timer.seconds))
    result = dataclasses.replace(result, stats=stats)
    return MatchRun(result=result, profiles=profiles, candidates=graph)


@dataclass
class _Outcome:
    a: np.ndarray
    b: np.ndarray
    weight: np.ndarray
    upper_bound: float | None
    optimal: bool
    certificate: str
    solver: str
    stable: bool | None = None
    blocking: tuple[tuple[int, int], ...] = ()
    certified_over: str = "nothing"


PRICING_ROUNDS = 8  # solves with left-out pairs added before giving up the global proof


def _most_pairs_priced_in(n: int) -> int:
    """How many uncovered left-out pairs a round may add before the engine gives up the
    global proof: many of them make the exact repair slow (38,000 at 10,000 people took
    a minute), so the result then stays certified on the candidate pairs only."""
    return max(n, 1000)


ALL_PAIRS = "all eligible pairs"


def _solve_weighted(profiles: Profiles, graph: CandidateGraph, mode: str, exact_limit: int):
    """Solve on the candidates, then price the eligible pairs they left out against the
    solver's dual prices; uncovered ones join the graph and the solve repeats. When none
    is left, the certificate (and the bound) hold for every eligible pair. Returns the
    outcome and the final graph."""

    def solve_graph():
        return solve(
            graph.n,
            graph.u,
            graph.v,
            graph.weight,
            profiles.capacity,
            participation=mode == "participation",
            exact_limit=exact_limit,
        )

    solution, covered = solve_graph(), False
    for _ in range(PRICING_ROUNDS):
        if not graph.exact or graph.kth is None or solution.prices is None:
            break  # nothing to price with: the proof stays on the candidates
        # An optimal solution must stay optimal (margin: its gap to the bound); for any
        # other the bound alone must stay valid (margin 0).
        margin = solution.price_gap if solution.optimal else 0
        left_out = price_left_out(profiles, graph, solution.prices, margin)
        if len(left_out[0]) == 0:
            covered = True
            break
        if len(left_out[0]) > _most_pairs_priced_in(graph.n):
            break
        graph = graph.with_edges(*left_out)
        solution = solve_graph()
    chosen = solution.edges
    outcome = _Outcome(
        a=graph.u[chosen],
        b=graph.v[chosen],
        weight=graph.weight[chosen],
        upper_bound=solution.upper_bound,
        optimal=solution.optimal,
        certificate=solution.certificate,
        solver=solution.solver,
        certified_over=ALL_PAIRS,
    )
    if not covered:
        # What the solver proved holds for the candidate pairs only: no bound and no
        # claim of optimality, since a left-out pair could do better.
        outcome.certified_over = "candidate pairs only" if solution.optimal else "nothing"
        outcome.upper_bound, outcome.optimal, outcome.certificate = None, False, "none"
    return outcome, graph


def _solve_stable(profiles: Profiles, graph: CandidateGraph, seed: int) -> _Outcome:
    """Stated preferences where given (restricted to eligible partners), otherwise the
    candidates ranked by score. Capacity is taken as 1 in this mode."""
    preferences = _preference_lists(profiles, graph)
    outcome = stable_roommates(preferences, seed=seed)
    a = np.array([i for i, j in enumerate(outcome.partner) if i < j], dtype=np.int64)
    b = np.array([outcome.partner[i] for i in a], dtype=np.int64)
    weight = evaluate_pairs(profiles, a, b).weight
    return _Outcome(
        a=a,
        b=b,
        weight=weight,
        upper_bound=None,
        optimal=False,
        certificate="none",
        solver="irving stable roommates",
        stable=outcome.stable,
        blocking=tuple(outcome.blocking_pairs),
    )


def _preference_lists(profiles: Profiles, graph: CandidateGraph) -> list[list[int]]:
    n = profiles.n
    ranked: list[list[int]] = [[] for _ in range(n)]
    ends = np.concatenate([graph.u, graph.v])
    others = np.concatenate([graph.v, graph.u])
    weights = np.concatenate([graph.weight, graph.weight])
    for edge in np.lexsort((others, -weights, ends)).tolist():
        ranked[int(ends[edge])].append(int(others[edge]))
    stated_a, stated_b = [], []
    for i, participant in enumerate(profiles.participants):
        for other in participant.preferences or ():
            stated_a.append(i)
            stated_b.append(profiles.index[other])
    a = np.array(stated_a, dtype=np.int64)
    b = np.array(stated_b, dtype=np.int64)
    allowed = evaluate_pairs(profiles, a, b).eligible if len(a) else np.zeros(0, dtype=bool)
    stated: dict[int, list[int]] = {}
    for i, j, ok in zip(a.tolist(), b.tolist(), allowed.tolist(), strict=True):
        if ok:  # hard rules hold in every mode, whatever someone prefers
            stated.setdefault(i, []).append(j)
    for i, participant in enumerate(profiles.participants):
        if participant.preferences is not None:
            ranked[i] = stated.get(i, [])
    return ranked


def _result(profiles, graph, outcome: _Outcome, mode, k) -> MatchResult:
    pairs = _pairs(profiles, outcome)
    unmatched = _unmatched(profiles, outcome, mode, graph.groups)
    total = int(outcome.weight.sum())
    evaluation = evaluate_pairs(profiles, outcome.a, outcome.b)
    fit_ab, fit_ba = evaluation.fit_ab, evaluation.fit_ba
    department = profiles.department
    cross = (department[outcome.a] != department[outcome.b]) & (department[outcome.a] >= 0)
    upper = outcome.upper_bound
    upper_points = None if upper is None or upper != upper else round(upper / SCORE_SCALE, 6)
    gap = None
    if upper_points is not None and upper_points > 0:
        gap = round(max(0.0, 100 * (upper - total) / upper), 4)
    names = profiles.participants
    stats = Stats(
        participants=profiles.n,
        pairs=len(pairs),
        total_score=round(total / SCORE_SCALE, 6),
        reciprocal_pairs=int(((fit_ab > 0) & (fit_ba > 0)).sum()),
        cross_department_pairs=int(cross.sum()),
        upper_bound=upper_points,
        optimal=outcome.optimal,
        seconds={},  # filled in by `match` once this phase is timed too
        mode=mode,
        k=k or 0,
        candidate_edges=graph.edges,
        gap_percent=gap,
        certificate=outcome.certificate,
        solver=outcome.solver,
        candidates="exact" if graph.exact else "approximate",
        stable=outcome.stable,
        blocking_pairs=tuple((names[i].id, names[j].id) for i, j in outcome.blocking),
        certified_over=outcome.certified_over,
    )
    return MatchResult(pairs=tuple(pairs), unmatched=tuple(unmatched), stats=stats)


def _pairs(profiles: Profiles, outcome: _Outcome) -> list[Pair]:
    order = np.lexsort((outcome.b, outcome.a, -outcome.weight)).tolist()
    pairs = []
    for position in order:
        a, b = int(outcome.a[position]), int(outcome.b[position])
        pairs.append(
            Pair(
                a=profiles.participants[a].id,
                b=profiles.participants[b].id,
                score=int(outcome.weight[position]) / SCORE_SCALE,
                a_teaches_b=explain.teachings(profiles, a, b),
                b_teaches_a=explain.teachings(profiles, b, a),
                bridges=explain.bridges(profiles, a, b),
                common_ground=explain.common_ground(profiles, a, b),
            )
        )
    return pairs


def _unmatched(profiles, outcome: _Outcome, mode: str, groups) -> list[Unmatched]:
    degree = np.bincount(np.concatenate([outcome.a, outcome.b]), minlength=profiles.n)
    capacity = np.ones(profiles.n, dtype=np.int64) if mode == "stable" else profiles.capacity
    people = np.flatnonzero(degree == 0)
    found = explain.diagnose(profiles, people, degree < capacity, groups)
    blocking = np.bincount(np.array(outcome.blocking, dtype=np.int64).ravel(), minlength=profiles.n)
    unmatched = []
    for position, person in enumerate(people.tolist()):
        eligible = int(found.eligible[position])
        excluded = found.excluded[position]
        reason = explain.unmatched_reason(
            eligible,
            excluded,
            int(found.others[position]),
            mode,
            with_room=int(found.eligible_with_room[position]),
            blocking=int(blocking[person]),
        )
        unmatched.append(
            Unmatched(
                id=profiles.participants[person].id,
                reason=reason,
                eligible_partners=eligible,
                excluded_by=excluded,
            )
        )
    return unmatched


@dataclass(frozen=True)
class PairCheck:
    """One named pair, scored and explained as a run would, with the hard rules it breaks.

    `pair` is None when the pair breaks a rule (`broken` names each one, using the
    rule names of `scoring.RULE_NAMES` plus "no_skill_exchange").
    """

    a: str
    b: str
    pair: Pair | None
    broken: tuple[str, ...]


def check_pairs(
    match_input: MatchInput,
    pairs: Sequence[tuple[str, str]],
    *,
    vocabulary: Vocabulary | None = None,
) -> list[PairCheck]:
    """Score and explain the given pairs of participant ids, or say which rules they break.

    For a coordinator's overrides (a locked pair kept, two partners swapped): the same
    scoring, rules and explanations as `match`, for pairs the solver did not choose.
    """
    vocabulary = vocabulary if vocabulary is not None else load_default_vocabulary()
    profiles = build_profiles(match_input, vocabulary)
    a = np.array([profiles.index[x] for x, _ in pairs], dtype=np.int64)
    b = np.array([profiles.index[y] for _, y in pairs], dtype=np.int64)
    evaluation = evaluate_pairs(profiles, a, b)
    checks = []
    for position, (x, y) in enumerate(pairs):
        broken = tuple(rule for rule, mask in evaluation.failures.items() if bool(mask[position]))
        no_exchange = evaluation.fit_ab[position] <= 0 and evaluation.fit_ba[position] <= 0
        if no_exchange:
            broken = (*broken, "no_skill_exchange")
        if broken or not evaluation.eligible[position]:
            checks.append(PairCheck(x, y, None, broken or ("no_skill_exchange",)))
            continue
        i, j = int(a[position]), int(b[position])
        pair = Pair(
            a=x,
            b=y,
            score=int(evaluation.weight[position]) / SCORE_SCALE,
            a_teaches_b=explain.teachings(profiles, i, j),
            b_teaches_a=explain.teachings(profiles, j, i),
            bridges=explain.bridges(profiles, i, j),
            common_ground=explain.common_ground(profiles, i, j),
        )
        checks.append(PairCheck(x, y, pair, ()))
    return checks


def suggest(
    match_input: MatchInput,
    *,
    per_person: int = 5,
    vocabulary: Vocabulary | None = None,
) -> dict[str, tuple[Pair, ...]]:
    """Each participant's best eligible partners, best first, scored and explained.

    For a self-match round: people rank these before the stable mode runs on their
    rankings. Each `Pair` has the participant as `a`. Someone with no eligible partner
    gets an empty tuple.
    """
    vocabulary = vocabulary if vocabulary is not None else load_default_vocabulary()
    profiles = build_profiles(match_input, vocabulary)
    graph = generate_candidates(profiles, per_person)
    ends = np.concatenate([graph.u, graph.v])
    others = np.concatenate([graph.v, graph.u])
    weights = np.concatenate([graph.weight, graph.weight])
    best: list[list[tuple[int, int]]] = [[] for _ in range(profiles.n)]
    for edge in np.lexsort((others, -weights, ends)).tolist():
        mine = best[int(ends[edge])]
        if len(mine) < per_person:
            mine.append((int(others[edge]), int(weights[edge])))
    ids = [participant.id for participant in profiles.participants]
    return {
        ids[i]: tuple(
            Pair(
                a=ids[i],
                b=ids[j],
                score=weight / SCORE_SCALE,
                a_teaches_b=explain.teachings(profiles, i, j),
                b_teaches_a=explain.teachings(profiles, j, i),
                bridges=explain.bridges(profiles, i, j),
                common_ground=explain.common_ground(profiles, i, j),
            )
            for j, weight in partners
        )
        for i, partners in enumerate(best)
    }
