"""The words of an unmatched person's reason, as coordinators read them."""

from __future__ import annotations

from twoway.matching.explain import unmatched_reason


def test_an_unmatched_reason_names_the_main_cause_even_when_it_is_no_skill_exchange():
    reason = unmatched_reason(0, {"no_skill_exchange": 22, "exclude_pairs": 1}, 23, "optimal")

    assert reason == (
        "no eligible partner among 23 others; how many each cause rules out: no skill "
        "exchange (neither offers what the other wants to learn) (22), earlier pairing or "
        "exit (1)"
    )


def test_rule_names_are_in_plain_words_without_field_names():
    reason = unmatched_reason(0, {"cross_department": 2, "reciprocity": 3}, 5, "optimal")

    assert "one-way only (the rules ask for learning both ways) (3)" in reason
    assert "same department (the rules ask for different departments) (2)" in reason
    assert "cross_department" not in reason and "reciprocity" not in reason
