"""Candidate generation against brute force, exact and grouped; the diagnosis counts."""

import numpy as np
import pytest

from twoway.matching import candidates
from twoway.matching.scoring import build_profiles, evaluate_pairs
from twoway.matching.solver import solve
from twoway.matching.synthetic import generate_organisation
from twoway.matching.vocabulary import load_default_vocabulary


@pytest.fixture(scope="module")
def profiles():
    return build_profiles(generate_organisation(300, seed=3), load_default_vocabulary())


def brute_force_top_k(profiles, k, groups):
    """Every pair scored; each person's k best eligible partners within their group
    (ties in `tie_order`); the union as sorted (u, v, weight) triples."""
    edges = set()
    for members in groups:
        a = np.repeat(members, len(members))
        b = np.tile(members, len(members))
        evaluation = evaluate_pairs(profiles, a, b)
        for person in members.tolist():
            mine = (a == person) & evaluation.eligible
            tie = candidates.tie_order(a[mine], b[mine])
            order = np.lexsort((tie, -evaluation.weight[mine]))[:k]
            for other, weight in zip(b[mine][order], evaluation.weight[mine][order], strict=True):
                edges.add((min(person, int(other)), max(person, int(other)), int(weight)))
    return sorted(edges)


def as_triples(graph):
    return list(zip(graph.u.tolist(), graph.v.tolist(), graph.weight.tolist(), strict=True))


@pytest.mark.parametrize("k", [1, 5, 20])
def test_top_k_is_exact_with_small_blocks_and_many_widening_rounds(profiles, monkeypatch, k):
    monkeypatch.setattr(candidates, "BLOCK_BYTES", 40 * 4 * 300)  # 40 rows per block
    monkeypatch.setattr(candidates, "FIRST_PASS_FACTOR", 1)
    graph = candidates.generate_candidates(profiles, k)
    assert graph.exact and graph.groups is None
    assert as_triples(graph) == brute_force_top_k(profiles, k, [np.arange(profiles.n)])
    assert (graph.kth == brute_force_kth(profiles, k)).all()


def brute_force_kth(profiles, k):
    """Each person's k-th best eligible weight, or -1 with fewer than k eligible partners."""
    everyone = np.arange(profiles.n)
    kth = np.full(profiles.n, -1)
    for person in everyone.tolist():
        evaluation = evaluate_pairs(profiles, np.full(profiles.n, person), everyone)
        weights = np.sort(evaluation.weight[evaluation.eligible])[::-1]
        if len(weights) >= k:
            kth[person] = weights[k - 1]
    return kth


def test_above_the_exact_limit_the_top_k_is_exact_within_each_group(profiles, monkeypatch):
    monkeypatch.setattr(candidates, "GROUP_SIZE", 100)
    graph = candidates.generate_candidates(profiles, 5, exact_limit=200)
    assert not graph.exact
    assert len(graph.groups) == 3
    assert sorted(np.concatenate(graph.groups).tolist()) == list(range(profiles.n))
    assert as_triples(graph) == brute_force_top_k(profiles, 5, graph.groups)
    again = candidates.generate_candidates(profiles, 5, exact_limit=200)
    assert as_triples(again) == as_triples(graph)  # the grouping is deterministic


def test_diagnosis_counts_match_pair_by_pair_evaluation(profiles):
    people = np.array([0, 17, 299])
    counts = candidates.diagnose(profiles, people)
    for position, person in enumerate(people.tolist()):
        others = np.arange(profiles.n)
        evaluation = evaluate_pairs(profiles, np.full(profiles.n, person), others)
        exchange = ((evaluation.fit_ab > 0) | (evaluation.fit_ba > 0)) & (others != person)
        assert counts["exchange"][position] == exchange.sum()
        assert counts["eligible"][position] == evaluation.eligible.sum()
        assert counts["others"][position] == profiles.n - 1
        for name, mask in evaluation.failures.items():
            assert counts[name][position] == (mask & exchange).sum()


def test_beyond_the_exact_limit_the_solver_reports_a_valid_bound(profiles):
    graph = candidates.generate_candidates(profiles, 10)
    exact = solve(graph.n, graph.u, graph.v, graph.weight, profiles.capacity)
    bounded = solve(graph.n, graph.u, graph.v, graph.weight, profiles.capacity, exact_limit=10)
    assert exact.optimal
    assert bounded.total <= exact.total <= bounded.upper_bound
    assert bounded.optimal == (bounded.certificate != "none")
