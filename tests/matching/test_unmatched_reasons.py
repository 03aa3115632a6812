"""Reasons for the unmatched hold: checked pair by pair against everybody."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from twoway.matching import match
from twoway.matching.model import MatchInput, Rules
from twoway.matching.scoring import evaluate_pairs
from twoway.matching.stable import stable_roommates

from .conftest import person, small_vocabulary
from .test_engine_properties import organisations


def brute_force(run, person: int, degree: np.ndarray, capacity: np.ndarray):
    """Each other person scored on their own: eligible, and eligible with a place left."""
    profiles = run.profiles
    others = np.array([j for j in range(profiles.n) if j != person], dtype=np.int64)
    evaluation = evaluate_pairs(profiles, np.full(len(others), person), others)
    eligible = others[evaluation.eligible]
    return len(eligible), int((degree[eligible] < capacity[eligible]).sum())


@settings(max_examples=60, deadline=None)
@given(organisations(with_capacity=True))
def test_unmatched_reasons_are_true_against_brute_force(case):
    match_input, k = case
    for mode in ("optimal", "stable"):
        run = match(match_input, k=k, mode=mode, vocabulary=small_vocabulary())
        profiles = run.profiles
        a = [profiles.index[p.a] for p in run.result.pairs]
        b = [profiles.index[p.b] for p in run.result.pairs]
        degree = np.bincount(np.array(a + b, dtype=np.int64), minlength=profiles.n)
        capacity = np.ones(profiles.n, dtype=np.int64) if mode == "stable" else profiles.capacity
        blocked = {x for pair in run.result.stats.blocking_pairs for x in pair}
        for item in run.result.unmatched:
            person = profiles.index[item.id]
            eligible, with_room = brute_force(run, person, degree, capacity)
            assert item.eligible_partners == eligible
            if eligible == 0:
                assert item.reason.startswith("no eligible partner")
            elif mode == "stable":
                assert ("would rather be paired" in item.reason) == (item.id in blocked)
            elif with_room:
                assert f"{with_room} of them with a place left" in item.reason
            else:
                assert item.reason.startswith(f"all {eligible} eligible partner(s)")


def test_causes_are_counted_in_order_and_cover_everyone_else(vocabulary):
    people = (
        person("a", offers=[("Python", 4)], gaps=[("Rust", 3)], department="X"),
        person("b", offers=[("Rust", 4)], gaps=[("Python", 3)], department="X"),
        person("c", offers=[("Rust", 4)], gaps=[("Public speaking", 3)], department="Y"),
        person("d", offers=[("Public speaking", 4)], gaps=[("Public speaking", 3)]),
    )
    rules = Rules(cross_department="required", reciprocity="required")
    run = match(MatchInput(people, rules), vocabulary=vocabulary)
    reasons = {item.id: item for item in run.result.unmatched}
    # a: b fails only the department rule; c teaches a one way; d has no exchange with a.
    assert reasons["a"].excluded_by == {
        "cross_department": 1,
        "no_skill_exchange": 1,
        "reciprocity": 1,
    }


def _random_complete(n: int, seed: int) -> list[list[int]]:
    rng = np.random.default_rng(seed)
    return [[int(j) for j in rng.permutation(n) if j != i] for i in range(n)]


def _blocking_by_hand(prefs, partner):
    rank = [{x: r for r, x in enumerate(p)} for p in prefs]

    def prefers(i, j):
        return partner[i] < 0 or rank[i][j] < rank[i][partner[i]]

    return sorted(
        (i, j)
        for i in range(len(prefs))
        for j in prefs[i]
        if i < j and partner[i] != j and prefers(i, j) and prefers(j, i)
    )


def test_without_a_stable_matching_a_small_time_budget_gives_a_matching_and_its_blocking_pairs():
    # Random complete preferences of 80 people; seeds picked where no stable matching exists.
    unsolvable = [
        s for s in range(40) if not stable_roommates(_random_complete(80, s), seconds=0).stable
    ]
    assert unsolvable
    prefs = _random_complete(80, unsolvable[0])
    result = stable_roommates(prefs, seconds=0.01)
    partner = result.partner
    assert not result.stable
    assert all(p == -1 or partner[p] == i for i, p in enumerate(partner))
    assert result.blocking_pairs == _blocking_by_hand(prefs, partner)
    assert result.blocking_pairs  # none would mean a stable matching after all
