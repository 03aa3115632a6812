"""The matching rules, defined once: names, plain-language help, ranges and defaults.

The CLI's flags, the rules file reader and the web app's program form are all built
from `RULE_SPECS`, and every default is read from the `Rules` dataclass, so a rule
cannot mean one thing on the command line and another in a program.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal

from twoway.matching.model import Rules

RuleKind = Literal["choice", "integer", "number", "boolean"]


@dataclass(frozen=True)
class RuleSpec:
    name: str
    label: str
    help: str
    kind: RuleKind
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[tuple[str, str], ...] = ()
    # True when "no limit" (None) is a valid value, as for the largest level gap.
    optional: bool = False

    @property
    def default(self) -> Any:
        return _DEFAULTS[self.name]

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)


_DEFAULTS = {field.name: field.default for field in fields(Rules) if field.name != "weights"}

RULE_SPECS: tuple[RuleSpec, ...] = (
    RuleSpec(
        "reciprocity",
        "Two-way learning",
        "Whether each partner must be able to teach the other something they asked for.",
        "choice",
        choices=(
            ("required", "Required: each partner can teach the other something they want"),
            ("preferred", "Preferred: one-way pairs are allowed but score far lower"),
        ),
    ),
    RuleSpec(
        "cross_department",
        "Across departments",
        "Pairing people from different departments bridges silos.",
        "choice",
        choices=(
            ("required", "Required: partners always come from different departments"),
            ("preferred", "Preferred: same-department pairs only when nothing else works well"),
            ("ignore", "Ignore departments"),
        ),
    ),
    RuleSpec(
        "bridge_network",
        "Bridge the collaboration network",
        "When a list of who already works together is given, favour partners who rarely "
        "work together. Without such a list this rule changes nothing.",
        "choice",
        choices=(
            ("preferred", "Preferred: favour partners who rarely work together"),
            ("ignore", "Ignore who already works together"),
        ),
    ),
    RuleSpec(
        "exclude_reporting_line",
        "Keep reporting lines apart",
        "How many levels up and down someone's manager chain they may not be paired with. "
        "0 allows a person to be paired with their own manager.",
        "integer",
        minimum=0,
        maximum=50,
    ),
    RuleSpec(
        "min_level_gap",
        "Smallest level gap",
        "Partners must be at least this many grades apart (0 allows peers).",
        "integer",
        minimum=0,
        maximum=9,
    ),
    RuleSpec(
        "max_level_gap",
        "Largest level gap",
        "Partners may be at most this many grades apart. Leave empty for no limit.",
        "integer",
        minimum=0,
        maximum=9,
        optional=True,
    ),
    RuleSpec(
        "require_common_language",
        "Common language",
        "Partners must share at least one language.",
        "boolean",
    ),
    RuleSpec(
        "min_timezone_overlap_hours",
        "Working hours in common",
        "The least overlap of the two partners' working days (09:00-17:00 local), in hours.",
        "number",
        minimum=0,
        maximum=8,
    ),
)

SCALAR_RULES: tuple[str, ...] = tuple(spec.name for spec in RULE_SPECS)
RULES_BY_NAME: dict[str, RuleSpec] = {spec.name: spec for spec in RULE_SPECS}


def rules_to_mapping(rules: Rules) -> dict[str, Any]:
    """The scalar rules as plain JSON values (what a program stores and a run records)."""
    return {name: getattr(rules, name) for name in SCALAR_RULES}


def default_rules_mapping() -> dict[str, Any]:
    return rules_to_mapping(Rules())
