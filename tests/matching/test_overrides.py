"""What the app needs from the engine beyond `match`: progress, and checking given pairs."""

from __future__ import annotations

import pytest

from tests.matching.conftest import person
from twoway.matching import InputError, MatchInput, Rules, check_pairs, match, suggest


def _people():
    return (
        person("a", offers=[("Python", 5)], gaps=[("Public speaking", 4)], level=2),
        person("b", offers=[("Public speaking", 5)], gaps=[("Python", 4)], level=6),
        person("c", offers=[("Public speaking", 4)], gaps=[("Rust", 3)], level=6),
        person("d", offers=[("Rust", 3)], gaps=[("Python", 2)], level=1, languages=("French",)),
    )


def test_progress_is_told_each_phase_as_it_starts(vocabulary):
    seen = []
    match(MatchInput(participants=_people()), vocabulary=vocabulary, progress=seen.append)
    assert seen == ["score", "candidates", "solve", "explain"]


def test_a_checked_pair_is_scored_and_explained_as_a_run_would(vocabulary):
    match_input = MatchInput(participants=_people())
    chosen = match(match_input, vocabulary=vocabulary).result.pairs[0]

    [check] = check_pairs(match_input, [(chosen.a, chosen.b)], vocabulary=vocabulary)

    assert check.pair == chosen and check.broken == ()


def test_a_checked_pair_names_every_rule_it_breaks(vocabulary):
    rules = Rules(exclude_pairs=(("a", "b"),), min_level_gap=5)
    match_input = MatchInput(participants=_people(), rules=rules)

    earlier, no_language, nothing = check_pairs(
        match_input, [("a", "b"), ("c", "d"), ("b", "c")], vocabulary=vocabulary
    )

    assert earlier.pair is None and set(earlier.broken) == {"exclude_pairs", "level_gap"}
    assert no_language.pair is None and "common_language" in no_language.broken
    assert nothing.pair is None and "no_skill_exchange" in nothing.broken


def test_suggestions_are_each_persons_best_eligible_partners_best_first(vocabulary):
    match_input = MatchInput(participants=_people())

    suggestions = suggest(match_input, per_person=5, vocabulary=vocabulary)

    assert [pair.b for pair in suggestions["b"]] == ["a"]
    assert suggestions["d"] == ()  # shares no language with anyone who could teach them
    best, second = suggestions["a"]
    assert (best.a, best.b, second.b) == ("a", "b", "c") and best.score > second.score
    assert second.a_teaches_b[0].match == "related"  # Python for Rust: the same cluster
    pair = best
    assert pair == check_pairs(match_input, [("a", "b")], vocabulary=vocabulary)[0].pair


def test_with_nobody_left_to_pair_every_mode_proposes_nothing(vocabulary):
    # What a re-run sees when every eligible person is in a locked pair already.
    for mode in ("optimal", "participation", "stable"):
        outcome = match(MatchInput(participants=()), mode=mode, vocabulary=vocabulary)
        assert outcome.result.pairs == () and outcome.result.unmatched == ()


def test_an_unknown_mode_is_refused_by_name():
    with pytest.raises(InputError) as refused:
        match(MatchInput(()), mode="bogus")
    assert refused.value.problems == [
        "mode: must be one of optimal, participation, stable, got 'bogus'"
    ]
