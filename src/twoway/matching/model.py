"""Plain data in and out of the matching engine.

Nothing here knows about files, Django or numpy: the web app can build these objects
from its own models and get the same results as the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CrossDepartment = Literal["required", "preferred", "ignore"]
Reciprocity = Literal["required", "preferred"]
BridgeNetwork = Literal["preferred", "ignore"]
Mode = Literal["optimal", "participation", "stable"]

MODE_CHOICES: tuple[str, ...] = ("optimal", "participation", "stable")


@dataclass(frozen=True)
class Offer:
    """A skill a participant can teach, with proficiency 1..5."""

    skill: str
    proficiency: int


@dataclass(frozen=True)
class Gap:
    """A skill a participant wants to learn, with priority 1..5."""

    skill: str
    priority: int


@dataclass(frozen=True)
class Participant:
    id: str
    department: str = ""
    level: int = 1
    tenure_years: float = 0.0
    birth_year: int | None = None
    location: str = ""
    timezone: str = "UTC"
    languages: tuple[str, ...] = ()
    manager_id: str | None = None
    interests: tuple[str, ...] = ()
    offers: tuple[Offer, ...] = ()
    gaps: tuple[Gap, ...] = ()
    avoid: tuple[str, ...] = ()
    capacity: int = 1
    preferences: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Weights:
    """How much the bounded bonuses add to the exchange value (see docs/matching.md).

    `difference` and `common_ground` multiply the exchange value by at most
    (1 + difference + common_ground). `one_way` is the share of its value that a
    completely one-way pair keeps: it is what makes reciprocity pay.
    """

    difference: float = 0.3
    common_ground: float = 0.1
    one_way: float = 0.25
    related_skill_credit: float = 0.5
    # Points added to a pair in which each teaches the other a skill they asked for by
    # name or alias ("two-way first"): worth more than most whole scores, so the solver
    # first makes as many such pairs as it can.
    two_way_bonus: float = 1.0
    # The factors below only ever scale the rest of a score down.
    # Share of its score a same-department pair keeps when cross_department is preferred.
    same_department: float = 0.5
    # How much of its score the pair with the most prior contact loses when
    # bridge_network is preferred; less contact loses proportionally less.
    prior_contact: float = 0.6


@dataclass(frozen=True)
class Rules:
    cross_department: CrossDepartment = "preferred"
    exclude_reporting_line: int = 2
    min_level_gap: int = 0
    max_level_gap: int | None = None
    require_common_language: bool = True
    min_timezone_overlap_hours: float = 0.0
    reciprocity: Reciprocity = "required"
    exclude_pairs: tuple[tuple[str, str], ...] = ()
    bridge_network: BridgeNetwork = "preferred"
    weights: Weights = field(default_factory=Weights)


@dataclass(frozen=True)
class MatchInput:
    """`contacts` is the optional collaboration network: (id, id, weight) for people who
    already work together (meetings, messages, shared projects; any positive scale).
    Several entries for the same two people add up; ids not in the program are ignored."""

    participants: tuple[Participant, ...]
    rules: Rules = field(default_factory=Rules)
    contacts: tuple[tuple[str, str, float], ...] = ()


@dataclass(frozen=True)
class Teaching:
    """One gap of the learner that the teacher's offers cover."""

    skill: str
    proficiency: int
    priority: int
    offered_skill: str
    match: Literal["exact", "related"]


@dataclass(frozen=True)
class Bridge:
    kind: str
    a: str
    b: str


@dataclass(frozen=True)
class CommonGround:
    kind: str
    value: str


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    score: float
    a_teaches_b: tuple[Teaching, ...] = ()
    b_teaches_a: tuple[Teaching, ...] = ()
    bridges: tuple[Bridge, ...] = ()
    common_ground: tuple[CommonGround, ...] = ()


@dataclass(frozen=True)
class Unmatched:
    id: str
    reason: str
    eligible_partners: int
    excluded_by: dict[str, int]


@dataclass(frozen=True)
class Stats:
    participants: int
    pairs: int
    total_score: float
    reciprocal_pairs: int
    cross_department_pairs: int
    upper_bound: float | None
    optimal: bool
    seconds: dict[str, float]
    mode: str = "optimal"
    k: int = 0
    candidate_edges: int = 0
    gap_percent: float | None = None
    certificate: str = ""
    solver: str = ""
    candidates: str = "exact"  # or "approximate": top k searched within groups (large n)
    stable: bool | None = None
    blocking_pairs: tuple[tuple[str, str], ...] = ()
    # The pairs `optimal` and `upper_bound` speak for: "all eligible pairs" (left-out
    # pairs priced against the duals), "candidate pairs only" (then `optimal` is false
    # and there is no bound), or "nothing".
    certified_over: str = "nothing"


@dataclass(frozen=True)
class MatchResult:
    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    stats: Stats
