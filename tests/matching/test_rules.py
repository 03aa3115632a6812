import numpy as np

from twoway.matching.model import MatchInput, Rules
from twoway.matching.scoring import build_profiles, evaluate_pairs

from .conftest import person, small_vocabulary

TEACH = {"offers": [("Python", 4)], "gaps": [("Rust", 4)]}
LEARN = {"offers": [("Rust", 4)], "gaps": [("Python", 4)]}


def pair_outcome(participants, rules=None, a=0, b=1):
    rules = rules or Rules()
    profiles = build_profiles(MatchInput(tuple(participants), rules), small_vocabulary())
    result = evaluate_pairs(profiles, np.array([a]), np.array([b]))
    broken = {name for name, mask in result.failures.items() if mask[0]}
    return bool(result.eligible[0]), broken


def test_a_plain_reciprocal_pair_is_eligible():
    assert pair_outcome([person("a", **TEACH), person("b", **LEARN)]) == (True, set())


def test_cross_department_required_excludes_same_department():
    people = [person("a", department="Sales", **TEACH), person("b", department="sales", **LEARN)]
    assert pair_outcome(people, Rules(cross_department="required")) == (
        False,
        {"cross_department"},
    )
    assert pair_outcome(people, Rules(cross_department="preferred"))[0]


def test_reporting_line_is_excluded_up_to_the_given_depth():
    people = [
        person("boss", **TEACH),
        person("mid", manager_id="boss", **LEARN),
        person("junior", manager_id="mid", **LEARN),
    ]
    assert pair_outcome(people, Rules(exclude_reporting_line=2), 0, 2)[1] == {"reporting_line"}
    assert pair_outcome(people, Rules(exclude_reporting_line=2), 2, 0)[1] == {"reporting_line"}
    assert pair_outcome(people, Rules(exclude_reporting_line=1), 0, 2)[0]
    assert pair_outcome(people, Rules(exclude_reporting_line=0), 0, 1)[0]


def test_level_gap_limits():
    people = [person("a", level=2, **TEACH), person("b", level=5, **LEARN)]
    assert pair_outcome(people, Rules(min_level_gap=4))[1] == {"level_gap"}
    assert pair_outcome(people, Rules(max_level_gap=2))[1] == {"level_gap"}
    assert pair_outcome(people, Rules(min_level_gap=3, max_level_gap=3))[0]


def test_common_language_is_required_by_default():
    people = [
        person("a", languages=("French",), **TEACH),
        person("b", languages=("german",), **LEARN),
    ]
    assert pair_outcome(people)[1] == {"common_language"}
    assert pair_outcome(people, Rules(require_common_language=False))[0]
    people[1] = person("b", languages=("German", "FRENCH"), **LEARN)
    assert pair_outcome(people)[0]


def test_timezone_overlap_of_working_hours():
    london = person("a", timezone="Europe/London", **TEACH)
    tokyo = person("b", timezone="Asia/Tokyo", **LEARN)  # 8-9 hours ahead: no overlap
    paris = person("b", timezone="Europe/Paris", **LEARN)  # 1 hour: 7 hours overlap
    rules = Rules(min_timezone_overlap_hours=4)
    assert pair_outcome([london, tokyo], rules)[1] == {"timezone_overlap"}
    assert pair_outcome([london, paris], rules)[0]
    assert pair_outcome([london, paris], Rules(min_timezone_overlap_hours=7.5))[1] == {
        "timezone_overlap"
    }


def test_avoid_lists_work_in_both_directions():
    people = [person("a", avoid=("b",), **TEACH), person("b", **LEARN)]
    assert pair_outcome(people)[1] == {"avoid"}
    assert pair_outcome(people, a=1, b=0)[1] == {"avoid"}


def test_excluded_pairs_are_never_repeated():
    people = [person("a", **TEACH), person("b", **LEARN)]
    rules = Rules(exclude_pairs=(("b", "a"), ("a", "gone")))
    assert pair_outcome(people, rules)[1] == {"exclude_pairs"}


def test_reciprocity_required_excludes_one_way_pairs():
    people = [person("a", offers=[("Python", 4)]), person("b", gaps=[("Python", 4)])]
    assert pair_outcome(people)[1] == {"reciprocity"}
    assert pair_outcome(people, Rules(reciprocity="preferred")) == (True, set())


def test_pairs_without_any_skill_exchange_are_not_eligible():
    people = [person("a", offers=[("Python", 4)]), person("b", offers=[("Rust", 4)])]
    assert pair_outcome(people, Rules(reciprocity="preferred"))[0] is False
