"""Property tests on random instances: valid, rule-abiding, optimal matchings."""

import networkx as nx
import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from twoway.matching import match
from twoway.matching.model import MatchInput, Rules
from twoway.matching.scoring import evaluate_pairs

from .conftest import SMALL_SKILLS, person, small_vocabulary

SKILLS = [skill.name for skill in SMALL_SKILLS] + ["Knitting", "Sailing"]
TIMEZONES = ["Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC"]


@st.composite
def organisations(draw, with_capacity=False):
    n = draw(st.integers(2, 60))
    people = []
    for i in range(n):
        skill_values = st.tuples(st.sampled_from(SKILLS), st.integers(1, 5))
        people.append(
            person(
                f"p{i}",
                offers=draw(st.lists(skill_values, max_size=3)),
                gaps=draw(st.lists(skill_values, max_size=3)),
                department=draw(st.sampled_from(["A", "B", "C"])),
                level=draw(st.integers(1, 10)),
                birth_year=draw(st.none() | st.integers(1960, 2002)),
                timezone=draw(st.sampled_from(TIMEZONES)),
                languages=tuple(draw(st.lists(st.sampled_from(["en", "fr", "de"]), max_size=2))),
                manager_id=f"p{draw(st.integers(0, i - 1))}" if i and draw(st.booleans()) else None,
                avoid=(f"p{draw(st.integers(0, n - 1))}",) if draw(st.booleans()) else (),
                capacity=draw(st.integers(1, 3)) if with_capacity else 1,
            )
        )
    people = [p if p.id not in p.avoid else person_without_avoid(p) for p in people]
    rules = Rules(
        cross_department=draw(st.sampled_from(["required", "preferred", "ignore"])),
        exclude_reporting_line=draw(st.integers(0, 3)),
        min_level_gap=draw(st.integers(0, 2)),
        max_level_gap=draw(st.none() | st.integers(3, 9)),
        require_common_language=draw(st.booleans()),
        min_timezone_overlap_hours=draw(st.sampled_from([0, 2, 6])),
        reciprocity=draw(st.sampled_from(["required", "preferred"])),
        exclude_pairs=(("p0", "p1"),),
    )
    return MatchInput(tuple(people), rules), draw(st.integers(1, 6))


def person_without_avoid(p):
    from dataclasses import replace

    return replace(p, avoid=())


def check_valid(run, capacity_of):
    profiles = run.profiles
    index = profiles.index
    a = np.array([index[pair.a] for pair in run.result.pairs], dtype=np.int64)
    b = np.array([index[pair.b] for pair in run.result.pairs], dtype=np.int64)
    # No pair twice, capacities respected.
    keys = {frozenset((x, y)) for x, y in zip(a.tolist(), b.tolist(), strict=True)}
    assert len(keys) == len(a)
    degree = np.bincount(np.concatenate([a, b]), minlength=profiles.n)
    assert (degree <= capacity_of).all()
    # Every pair passes every hard rule, with the score it reports.
    evaluation = evaluate_pairs(profiles, a, b)
    assert evaluation.eligible.all()
    reported = np.array([round(pair.score * 1_000_000) for pair in run.result.pairs])
    assert (reported == evaluation.weight).all()
    # Everybody without a pair is listed as unmatched, with a reason.
    unmatched = {item.id for item in run.result.unmatched}
    assert unmatched == {p.id for i, p in enumerate(profiles.participants) if degree[i] == 0}
    assert all(item.reason for item in run.result.unmatched)
    return degree


@settings(max_examples=80, deadline=None)
@given(organisations())
def test_matching_is_valid_rule_abiding_and_optimal_on_the_candidate_graph(case):
    match_input, k = case
    run = match(match_input, k=k, vocabulary=small_vocabulary())
    check_valid(run, 1)
    graph = nx.Graph()
    for u, v, w in zip(run.candidates.u, run.candidates.v, run.candidates.weight, strict=True):
        graph.add_edge(int(u), int(v), weight=int(w))
    reference = nx.max_weight_matching(graph)
    expected = sum(graph[u][v]["weight"] for u, v in reference)
    total = sum(round(pair.score * 1_000_000) for pair in run.result.pairs)
    assert total == expected
    assert run.result.stats.optimal
    assert run.result.stats.upper_bound >= run.result.stats.total_score - 1e-9


@settings(max_examples=50, deadline=None)
@given(organisations(with_capacity=True))
def test_capacities_are_respected_and_the_b_matching_is_optimal(case):
    match_input, k = case
    run = match(match_input, k=k, vocabulary=small_vocabulary())
    capacity = np.array([p.capacity for p in match_input.participants])
    check_valid(run, capacity)
    graph = run.candidates
    if graph.edges == 0:
        return
    m = graph.edges
    incidence = sp.csr_matrix(
        (np.ones(2 * m), (np.concatenate([graph.u, graph.v]), np.r_[np.arange(m), np.arange(m)])),
        shape=(graph.n, m),
    )
    reference = milp(
        -graph.weight.astype(float),
        constraints=[LinearConstraint(incidence, 0, capacity)],
        integrality=np.ones(m),
        bounds=Bounds(0, 1),
    )
    total = sum(round(pair.score * 1_000_000) for pair in run.result.pairs)
    assert total == round(-reference.fun)


@settings(max_examples=50, deadline=None)
@given(organisations())
def test_participation_mode_pairs_the_most_people(case):
    match_input, k = case
    run = match(match_input, k=k, mode="participation", vocabulary=small_vocabulary())
    check_valid(run, 1)
    graph = nx.Graph()
    graph.add_edges_from(zip(run.candidates.u.tolist(), run.candidates.v.tolist(), strict=True))
    assert len(run.result.pairs) == len(nx.max_weight_matching(graph, maxcardinality=True))


@settings(max_examples=50, deadline=None)
@given(organisations())
def test_stable_mode_respects_the_rules_and_reports_blocking_pairs(case):
    match_input, k = case
    run = match(match_input, k=k, mode="stable", vocabulary=small_vocabulary())
    check_valid(run, 1)
    stats = run.result.stats
    assert stats.stable is not None
    assert stats.stable == (len(stats.blocking_pairs) == 0)
