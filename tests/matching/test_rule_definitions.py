"""The rules are defined once in the engine; the file reader and the CLI follow it."""

import pytest

from twoway.matching.errors import InputError
from twoway.matching.formats import parse_rules
from twoway.matching.model import Rules
from twoway.matching.rules import RULE_SPECS, default_rules_mapping, rules_to_mapping


def test_every_scalar_rule_has_a_definition_with_the_engine_default():
    defined = {spec.name: spec.default for spec in RULE_SPECS}
    assert defined == rules_to_mapping(Rules())
    assert default_rules_mapping() == defined


def test_a_stored_rules_mapping_reads_back_to_the_same_rules():
    rules = Rules(cross_department="required", min_level_gap=2, max_level_gap=5)
    assert parse_rules(rules_to_mapping(rules)) == rules


def test_a_smallest_level_gap_above_the_largest_is_refused_by_name():
    with pytest.raises(InputError) as error:
        parse_rules({"min_level_gap": 4, "max_level_gap": 2})
    assert error.value.problems == [
        "rules: field 'max_level_gap': must be at least min_level_gap (4), got 2"
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"reciprocity": "sometimes"}, "rules: field 'reciprocity': must be one of"),
        ({"min_level_gap": 12}, "rules: field 'min_level_gap': must be an integer from 0 to 9"),
        ({"require_common_language": "yes"}, "rules: field 'require_common_language': must be"),
        ({"min_timezone_overlap_hours": 9}, "rules: field 'min_timezone_overlap_hours'"),
        ({"max_level_gap": None, "bogus": 1}, "rules: field 'bogus': unknown rule"),
    ],
)
def test_each_bad_rule_value_is_named(raw, message):
    with pytest.raises(InputError) as error:
        parse_rules(raw)
    assert error.value.problems[0].startswith(message)
