import numpy as np
import pytest

from twoway.matching.model import MatchInput, Rules, Weights
from twoway.matching.scoring import SCORE_SCALE, build_profiles, evaluate_pairs

from .conftest import person, small_vocabulary


def evaluate(a, b, rules=None):
    profiles = build_profiles(MatchInput((a, b), rules or Rules()), small_vocabulary())
    return evaluate_pairs(profiles, np.array([0]), np.array([1]))


def score(a, b, rules=None) -> float:
    return int(evaluate(a, b, rules).weight[0]) / SCORE_SCALE


def test_fit_is_the_priority_weighted_share_of_gaps_covered():
    a = person("a", offers=[("Python", 5)], gaps=[("Rust", 5)])
    b = person("b", offers=[("Rust", 5)], gaps=[("Python", 4), ("Public speaking", 1)])
    result = evaluate(a, b)
    assert result.fit_ab[0] == pytest.approx(4 / 5)  # covers priority 4 of 5 at full level
    assert result.fit_ba[0] == pytest.approx(1.0)


def test_aliases_and_spacing_count_as_exact_matches():
    a = person("a", offers=[("py", 5)], gaps=[("genai", 5)])
    b = person("b", offers=[("Generative-AI tools", 5)], gaps=[("PYTHON", 5)])
    result = evaluate(a, b)
    assert result.fit_ab[0] == pytest.approx(1.0)
    assert result.fit_ba[0] == pytest.approx(1.0)


def test_related_skills_in_the_same_cluster_earn_partial_credit():
    a = person("a", offers=[("Rust", 4)], gaps=[("Prompt engineering", 5)])
    b = person("b", offers=[("Generative AI tools", 4)], gaps=[("Python", 5)])
    result = evaluate(a, b)
    assert result.fit_ab[0] == pytest.approx(0.5 * 4 / 5)
    assert result.fit_ba[0] == pytest.approx(0.5 * 4 / 5)


def test_a_gap_is_credited_once_by_the_best_offer():
    a = person("a", offers=[("Python", 2), ("Rust", 5)], gaps=[("Public speaking", 5)])
    b = person("b", offers=[("Public speaking", 5)], gaps=[("Python", 5)])
    # Python exact at 2 (0.4) loses to Rust related at 5 (0.5); the two are not added.
    assert evaluate(a, b).fit_ab[0] == pytest.approx(0.5)


def test_one_way_pair_scores_far_below_a_balanced_pair_of_the_same_total():
    rules = Rules(reciprocity="preferred")
    one_way_a = person("a", offers=[("Python", 5), ("Rust", 5)])
    one_way_b = person("b", gaps=[("Python", 5), ("Rust", 5)])
    balanced_a = person("a", offers=[("Python", 5)], gaps=[("Rust", 5)])
    balanced_b = person("b", offers=[("Rust", 5)], gaps=[("Python", 5)])
    # Same departments, levels, ... so only the direction of the exchange differs.
    one_way = score(one_way_a, one_way_b, rules)
    balanced = score(balanced_a, balanced_b, rules)
    assert evaluate(one_way_a, one_way_b, rules).fit_ab[0] == 1.0
    assert one_way <= 0.5 * balanced / 2 + 1e-9  # total 1 one way vs 2 balanced; x0.25 penalty


def test_score_is_symmetric_bit_for_bit():
    a = person(
        "a",
        offers=[("Python", 3), ("Public speaking", 2)],
        gaps=[("Rust", 4)],
        level=2,
        birth_year=1999,
        location="Paris",
        interests=("chess", "jazz"),
    )
    b = person(
        "b",
        offers=[("Rust", 4)],
        gaps=[("Python", 2), ("Public speaking", 5)],
        level=8,
        birth_year=1970,
        location="Lyon",
        interests=("Jazz",),
    )
    forward = evaluate(a, b).weight[0]
    backward = evaluate(b, a).weight[0]
    assert forward == backward


def test_worked_example_from_the_docs():
    """docs/matching.md walks through this pair; keep the two in step."""
    ana = person(
        "ana",
        department="Engineering",
        level=2,
        birth_year=1998,
        location="Lisbon",
        languages=("English", "Portuguese"),
        interests=("climbing", "jazz"),
        offers=[("Generative AI tools", 5)],
        gaps=[("How things really get done", 4), ("Public speaking", 2)],
    )
    ben = person(
        "ben",
        department="Finance",
        level=7,
        birth_year=1971,
        location="London",
        languages=("English",),
        interests=("jazz",),
        offers=[("Stakeholder management", 4), ("Public speaking", 3)],
        gaps=[("Prompt engineering", 3)],
    )
    result = evaluate(ana, ben)
    assert result.fit_ab[0] == pytest.approx(0.5)  # related 5 * 0.5 / 5 on ben's only gap
    assert result.fit_ba[0] == pytest.approx((4 * 0.5 * 4 / 5 + 2 * 3 / 5) / 6)  # 0.4667
    # exchange 0.9667 * (0.25 + 0.75 * 0.9333) = 0.9183; bonus 1 + 0.3 * 1 + 0.1 * 0.6667
    # Ana teaches Ben only a related skill: no two-way bonus.
    assert score(ana, ben) == pytest.approx(1.255056, abs=1e-6)


def test_difference_and_common_ground_raise_the_score_but_stay_bounded():
    skills = {"offers": [("Python", 5)], "gaps": [("Rust", 5)]}
    other = {"offers": [("Rust", 5)], "gaps": [("Python", 5)]}
    same = score(
        person("a", department="X", level=3, **skills),
        person("b", department="X", level=3, **other),
    )
    different = score(
        person(
            "a",
            department="X",
            level=1,
            birth_year=2000,
            location="Paris",
            interests=("chess",),
            **skills,
        ),
        person(
            "b",
            department="Y",
            level=9,
            birth_year=1960,
            location="Tokyo",
            interests=("chess",),
            **other,
        ),
    )
    # The bonuses and the two-way bonus (each teaches exactly what the other asked for).
    assert same < different <= Weights().two_way_bonus + 2 * (1 + 0.3 + 0.1) + 1e-9
