"""Vectorised scoring and hard rules.

`Profiles` turns participants into arrays once; `evaluate_pairs` then scores any batch
of (a, b) pairs and says which hard rules each pair breaks. Candidate generation, the
stable mode and the explanations all go through the same code, so a pair has the same
score wherever it is computed.

Exactness: offers and gaps are stored as small integers, so every skill sum is exact in
float64 and does not depend on summation order. The score of (a, b) is then computed
by a formula that is symmetric in a and b operation by operation, so score(a, b) and
score(b, a) are the same float, bit for bit. Scores are finally quantised to integer
micro-points (`SCORE_SCALE`), which is what the solver optimises and what is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo

import numpy as np
import scipy.sparse as sp

from twoway.matching.model import MatchInput, Participant, Rules
from twoway.matching.vocabulary import Vocabulary, normalise

SCORE_SCALE = 1_000_000  # scores are reported and optimised in units of 1e-6
OFFER_UNIT = 100  # offer entries are proficiency * credit * OFFER_UNIT, rounded
MAX_PROFICIENCY = 5
WORKDAY_HOURS = 8.0  # 09:00-17:00 local
# DST shifts offsets, so the overlap is taken as the worse of a winter and a summer day.
REFERENCE_INSTANTS = (
    datetime(2025, 1, 15, 12, tzinfo=UTC),
    datetime(2025, 7, 15, 12, tzinfo=UTC),
)
LEVEL_GAP_FOR_FULL_BRIDGE = 4
BIRTH_YEARS_FOR_FULL_BRIDGE = 20
SHARED_INTERESTS_FOR_FULL_CREDIT = 3

RULE_NAMES: tuple[str, ...] = (
    "cross_department",
    "reporting_line",
    "level_gap",
    "common_language",
    "timezone_overlap",
    "avoid",
    "exclude_pairs",
    "reciprocity",
)


@cache
def utc_offsets_hours(timezone: str) -> tuple[float, ...]:
    zone = ZoneInfo(timezone)
    return tuple(
        instant.astimezone(zone).utcoffset().total_seconds() / 3600
        for instant in REFERENCE_INSTANTS
    )


def _codes(values: Sequence[str]) -> np.ndarray:
    """Integer codes for normalised strings; the empty string becomes -1 ("unknown")."""
    table: dict[str, int] = {}
    codes = np.full(len(values), -1, dtype=np.int64)
    for position, value in enumerate(values):
        key = normalise(value)
        if key:
            codes[position] = table.setdefault(key, len(table))
    return codes


def _bitsets(groups: Sequence[Sequence[str]]) -> np.ndarray:
    """One row of uint64 words per participant, one bit per distinct normalised value."""
    table: dict[str, int] = {}
    members = [[table.setdefault(normalise(v), len(table)) for v in group] for group in groups]
    words = max(1, -(-len(table) // 64))
    bits = np.zeros((len(groups), words), dtype=np.uint64)
    for row, indices in enumerate(members):
        for index in indices:
            bits[row, index // 64] |= np.uint64(1) << np.uint64(index % 64)
    return bits


def _pair_keys(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    low = np.minimum(a, b).astype(np.int64)
    return low * n + np.maximum(a, b)


@dataclass
class Profiles:
    """Participants as arrays, ready for vectorised scoring."""

    participants: tuple[Participant, ...]
    rules: Rules
    vocabulary: Vocabulary
    index: dict[str, int]
    offers: sp.csr_matrix  # n x skills: credit-weighted proficiency, cluster-expanded
    gaps: sp.csr_matrix  # n x skills: priority
    gap_norm: np.ndarray  # per learner: sum(priority) * 5 * OFFER_UNIT (0 if no gaps)
    own_offers: list[dict[int, int]]  # skill id -> proficiency, as stated
    own_gaps: list[dict[int, int]]  # skill id -> priority, as stated
    cluster_of: np.ndarray  # skill id -> cluster code or -1
    department: np.ndarray
    location: np.ndarray
    level: np.ndarray
    birth_year: np.ndarray  # -1 when unknown
    tz_offsets: np.ndarray  # n x len(REFERENCE_INSTANTS) hours
    languages: np.ndarray  # n x words bitset
    interests: np.ndarray  # n x words bitset
    ancestors: np.ndarray  # n x depth, manager chain, -1 past the root
    blocked_keys: np.ndarray  # sorted pair keys of avoid lists
    excluded_keys: np.ndarray  # sorted pair keys of rules.exclude_pairs
    capacity: np.ndarray
    exact_offers: np.ndarray  # n x words bitset of the skills offered, as stated
    exact_gaps: np.ndarray  # n x words bitset of the skills wanted, as stated
    contact_keys: np.ndarray  # sorted pair keys of the collaboration network
    contact_strength: np.ndarray  # per contact key, in (0, 1): see `_contacts`

    @property
    def n(self) -> int:
        return len(self.participants)


def build_profiles(match_input: MatchInput, vocabulary: Vocabulary) -> Profiles:
    participants = match_input.participants
    rules = match_input.rules
    index = {p.id: i for i, p in enumerate(participants)}
    own_offers, own_gaps = _resolve_skills(participants, vocabulary)
    cluster_of = _cluster_codes(vocabulary)
    offers = _offer_matrix(own_offers, cluster_of, rules.weights.related_skill_credit)
    gaps = _gap_matrix(own_gaps, len(cluster_of))
    gap_norm = np.asarray(gaps.sum(axis=1)).ravel() * MAX_PROFICIENCY * OFFER_UNIT
    return Profiles(
        participants=participants,
        rules=rules,
        vocabulary=vocabulary,
        index=index,
        offers=offers,
        gaps=gaps,
        gap_norm=gap_norm,
        own_offers=own_offers,
        own_gaps=own_gaps,
        cluster_of=cluster_of,
        department=_codes([p.department for p in participants]),
        location=_codes([p.location for p in participants]),
        level=np.array([p.level for p in participants], dtype=np.int64),
        birth_year=np.array(
            [-1 if p.birth_year is None else p.birth_year for p in participants], dtype=np.int64
        ),
        tz_offsets=np.array(
            [utc_offsets_hours(p.timezone) for p in participants], dtype=np.float64
        ).reshape(len(participants), len(REFERENCE_INSTANTS)),
        languages=_bitsets([p.languages for p in participants]),
        interests=_bitsets([p.interests for p in participants]),
        ancestors=_ancestors(participants, index, rules.exclude_reporting_line),
        blocked_keys=_avoid_keys(participants, index),
        excluded_keys=_excluded_keys(rules, index),
        capacity=np.array([p.capacity for p in participants], dtype=np.int64),
        exact_offers=_skill_bitsets(own_offers, len(cluster_of)),
        exact_gaps=_skill_bitsets(own_gaps, len(cluster_of)),
        **_contacts(match_input.contacts, index),
    )


def _resolve_skills(participants: Sequence[Participant], vocabulary: Vocabulary):
    own_offers: list[dict[int, int]] = []
    own_gaps: list[dict[int, int]] = []
    for participant in participants:
        offers: dict[int, int] = {}
        for offer in participant.offers:
            skill_id = vocabulary.resolve(offer.skill)
            offers[skill_id] = max(offers.get(skill_id, 0), offer.proficiency)
        gaps: dict[int, int] = {}
        for gap in participant.gaps:
            skill_id = vocabulary.resolve(gap.skill)
            gaps[skill_id] = max(gaps.get(skill_id, 0), gap.priority)
        own_offers.append(offers)
        own_gaps.append(gaps)
    return own_offers, own_gaps


def _skill_bitsets(skill_maps: Sequence[dict[int, int]], skills: int) -> np.ndarray:
    """One row of uint64 words per participant, one bit per skill id they name."""
    bits = np.zeros((len(skill_maps), max(1, -(-skills // 64))), dtype=np.uint64)
    for row, skill_ids in enumerate(skill_maps):
        for skill_id in skill_ids:
            bits[row, skill_id // 64] |= np.uint64(1) << np.uint64(skill_id % 64)
    return bits


def _contacts(contacts, index: dict[str, int]) -> dict[str, np.ndarray]:
    """The collaboration network as sorted pair keys and a strength in (0, 1) per pair.

    Entries for the same two people add up. The strength is c / (c + m), where m is the
    median total of the pairs that have any contact: scale-free (meetings, messages or
    hours give the same strengths), 0.5 for a typical contact, towards 1 for the heaviest,
    and one outlier pair does not flatten everyone else's as a division by the maximum
    would. Ids not in the program and non-positive weights are ignored.
    """
    known = [
        (index[x], index[y], float(w))
        for x, y, w in contacts
        if x in index and y in index and x != y and float(w) > 0
    ]
    if not known:
        return {"contact_keys": np.zeros(0, dtype=np.int64), "contact_strength": np.zeros(0)}
    a = np.array([item[0] for item in known], dtype=np.int64)
    b = np.array([item[1] for item in known], dtype=np.int64)
    keys, inverse = np.unique(_pair_keys(a, b, len(index)), return_inverse=True)
    totals = np.bincount(inverse, weights=[item[2] for item in known], minlength=len(keys))
    median = float(np.median(totals))
    return {"contact_keys": keys, "contact_strength": totals / (totals + median)}


def _cluster_codes(vocabulary: Vocabulary) -> np.ndarray:
    codes: dict[str, int] = {}
    return np.array(
        [
            codes.setdefault(skill.cluster, len(codes)) if skill.cluster else -1
            for skill in vocabulary.skills
        ],
        dtype=np.int64,
    )


def offer_value(proficiency: int, exact: bool, related_credit: float) -> int:
    """Integer value of an offer towards a gap (exact skill, or related by cluster)."""
    credit = 1.0 if exact else related_credit
    return round(proficiency * credit * OFFER_UNIT)


def _offer_matrix(
    own_offers: Sequence[dict[int, int]], cluster_of: np.ndarray, related_credit: float
) -> sp.csr_matrix:
    """Each offer also covers the other skills of its cluster, at partial credit.

    Taking the maximum per (participant, skill) means a gap is credited once, by the best
    offer that covers it, however many related skills the teacher lists.
    """
    members: dict[int, list[int]] = {}
    for skill_id, cluster in enumerate(cluster_of.tolist()):
        if cluster >= 0:
            members.setdefault(cluster, []).append(skill_id)
    rows, cols, values = [], [], []
    for row, offers in enumerate(own_offers):
        best: dict[int, int] = {}
        for skill_id, proficiency in offers.items():
            cluster = cluster_of[skill_id]
            if related_credit > 0 and cluster >= 0:
                related = offer_value(proficiency, False, related_credit)
                for other in members[cluster]:
                    best[other] = max(best.get(other, 0), related)
            best[skill_id] = max(best.get(skill_id, 0), offer_value(proficiency, True, 1.0))
        for skill_id, value in best.items():
            if value > 0:
                rows.append(row)
                cols.append(skill_id)
                values.append(value)
    shape = (len(own_offers), len(cluster_of))
    matrix = sp.csr_matrix((np.array(values, dtype=np.float64), (rows, cols)), shape=shape)
    matrix.sort_indices()
    return matrix


def _gap_matrix(own_gaps: Sequence[dict[int, int]], skills: int) -> sp.csr_matrix:
    rows = [row for row, gaps in enumerate(own_gaps) for _ in gaps]
    cols = [skill for gaps in own_gaps for skill in gaps]
    values = [priority for gaps in own_gaps for priority in gaps.values()]
    shape = (len(own_gaps), skills)
    matrix = sp.csr_matrix((np.array(values, dtype=np.float64), (rows, cols)), shape=shape)
    matrix.sort_indices()
    return matrix


def _ancestors(
    participants: Sequence[Participant], index: dict[str, int], depth: int
) -> np.ndarray:
    n = len(participants)
    manager = np.array(
        [index[p.manager_id] if p.manager_id else -1 for p in participants], dtype=np.int64
    )
    chain = np.full((n, depth), -1, dtype=np.int64)
    current = np.arange(n)
    for level in range(depth):
        current = np.where(current >= 0, manager[np.maximum(current, 0)], -1)
        chain[:, level] = current
    return chain


def _avoid_keys(participants: Sequence[Participant], index: dict[str, int]) -> np.ndarray:
    a = [i for i, p in enumerate(participants) for _ in p.avoid]
    b = [index[other] for p in participants for other in p.avoid]
    return np.unique(
        _pair_keys(np.array(a, dtype=np.int64), np.array(b, dtype=np.int64), len(participants))
    )


def _excluded_keys(rules: Rules, index: dict[str, int]) -> np.ndarray:
    # Earlier pairings may name people who left the program: those pairs cannot recur.
    known = [(index[a], index[b]) for a, b in rules.exclude_pairs if a in index and b in index]
    a = np.array([pair[0] for pair in known], dtype=np.int64)
    b = np.array([pair[1] for pair in known], dtype=np.int64)
    return np.unique(_pair_keys(a, b, len(index)))


# --- pair evaluation ------------------------------------------------------------------


@dataclass
class PairEvaluation:
    """Scores and rule outcomes for a batch of pairs (a[i], b[i])."""

    fit_ab: np.ndarray
    fit_ba: np.ndarray
    weight: np.ndarray  # int64 micro-points
    eligible: np.ndarray  # passes every hard rule and has some skill exchange
    failures: dict[str, np.ndarray]  # rule name -> mask of pairs that break it


def fits(profiles: Profiles, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """fit(a->b) and fit(b->a) for arbitrary pairs, computed row by row."""
    return _fit(profiles, a, b), _fit(profiles, b, a)


def _fit(profiles: Profiles, teacher: np.ndarray, learner: np.ndarray) -> np.ndarray:
    if len(teacher) == 0:
        return np.zeros(0)
    covered = profiles.offers[teacher].multiply(profiles.gaps[learner])
    numerators = np.asarray(covered.sum(axis=1)).ravel()
    return normalise_fit(numerators, profiles.gap_norm[learner])


def normalise_fit(numerators: np.ndarray, norms: np.ndarray) -> np.ndarray:
    """fit in [0, 1]: the priority-weighted share of the learner's gaps that is covered."""
    return np.divide(numerators, norms, out=np.zeros_like(numerators), where=norms > 0)


def evaluate_pairs(
    profiles: Profiles,
    a: np.ndarray,
    b: np.ndarray,
    fit_ab: np.ndarray | None = None,
    fit_ba: np.ndarray | None = None,
    *,
    score_ineligible: bool = True,
) -> PairEvaluation:
    """Scores and rule outcomes. With `score_ineligible=False` only the pairs that pass
    every rule are scored (the others get weight 0): much less work when most fail."""
    if fit_ab is None or fit_ba is None:
        fit_ab, fit_ba = fits(profiles, a, b)
    failures = rule_failures(profiles, a, b, fit_ab, fit_ba)
    exchange = (fit_ab > 0) | (fit_ba > 0)
    eligible = exchange.copy()
    for mask in failures.values():
        eligible &= ~mask
    scored = slice(None) if score_ineligible else np.flatnonzero(eligible)
    weight = np.zeros(len(a), dtype=np.int64)
    raw = score_values(profiles, a[scored], b[scored], fit_ab[scored], fit_ba[scored])
    weight[scored] = np.rint(raw * SCORE_SCALE)
    eligible &= weight > 0
    return PairEvaluation(fit_ab, fit_ba, weight, eligible, failures)


def rule_failures(
    profiles: Profiles, a: np.ndarray, b: np.ndarray, fit_ab: np.ndarray, fit_ba: np.ndarray
) -> dict[str, np.ndarray]:
    rules = profiles.rules
    none = np.zeros(len(a), dtype=bool)
    failures = dict.fromkeys(RULE_NAMES, none)
    failures["avoid"] = _in_keys(profiles.blocked_keys, a, b, profiles.n) | (a == b)
    failures["exclude_pairs"] = _in_keys(profiles.excluded_keys, a, b, profiles.n)
    if rules.cross_department == "required":
        dept_a, dept_b = profiles.department[a], profiles.department[b]
        failures["cross_department"] = (dept_a == dept_b) & (dept_a >= 0)
    if profiles.ancestors.shape[1]:
        failures["reporting_line"] = (profiles.ancestors[a] == b[:, None]).any(axis=1) | (
            profiles.ancestors[b] == a[:, None]
        ).any(axis=1)
    gap = np.abs(profiles.level[a] - profiles.level[b])
    too_far = gap > rules.max_level_gap if rules.max_level_gap is not None else none
    failures["level_gap"] = (gap < rules.min_level_gap) | too_far
    if rules.require_common_language:
        failures["common_language"] = ~_share_bit(profiles.languages, a, b)
    if rules.min_timezone_overlap_hours > 0:
        failures["timezone_overlap"] = (
            timezone_overlap_hours(profiles, a, b) < rules.min_timezone_overlap_hours
        )
    if rules.reciprocity == "required":
        failures["reciprocity"] = ((fit_ab > 0) | (fit_ba > 0)) & ((fit_ab <= 0) | (fit_ba <= 0))
    return failures


def _in_keys(keys: np.ndarray, a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    if len(keys) == 0:
        return np.zeros(len(a), dtype=bool)
    pair = _pair_keys(a, b, n)
    position = np.minimum(np.searchsorted(keys, pair), len(keys) - 1)
    return keys[position] == pair


def exactly_two_way(profiles: Profiles, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each teaches the other at least one skill the other asked for, by its name or an
    alias (a skill of the same cluster does not count here)."""
    a_teaches = (profiles.exact_offers[a] & profiles.exact_gaps[b]).any(axis=1)
    b_teaches = (profiles.exact_offers[b] & profiles.exact_gaps[a]).any(axis=1)
    return a_teaches & b_teaches


RARELY_WORKED_TOGETHER = 0.2  # strength below this: no contact, or under a quarter of typical


def rarely_worked_together(profiles: Profiles, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """True where a collaboration network was given, the rule asks to bridge it, and the
    two have no recorded contact or much less than a typical pair (strength below 0.2
    means under a quarter of the median contact)."""
    if profiles.rules.bridge_network != "preferred" or len(profiles.contact_keys) == 0:
        return np.zeros(len(a), dtype=bool)
    return prior_contact(profiles, a, b) < RARELY_WORKED_TOGETHER


def prior_contact(profiles: Profiles, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Strength in [0, 1) of how much the two already work together (0: no contact)."""
    keys = profiles.contact_keys
    strength = np.zeros(len(a))
    if len(keys) == 0:
        return strength
    pair = _pair_keys(a, b, profiles.n)
    position = np.minimum(np.searchsorted(keys, pair), len(keys) - 1)
    found = keys[position] == pair
    strength[found] = profiles.contact_strength[position[found]]
    return strength


def _share_bit(bits: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (bits[a] & bits[b]).any(axis=1)


def _shared_count(bits: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.bitwise_count(bits[a] & bits[b]).sum(axis=1, dtype=np.int64)


def timezone_overlap_hours(profiles: Profiles, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Hours the two 09:00-17:00 local workdays overlap, on the worse reference day."""
    difference = np.abs(profiles.tz_offsets[a] - profiles.tz_offsets[b]) % 24
    difference = np.minimum(difference, 24 - difference)
    return np.clip(WORKDAY_HOURS - difference, 0, None).min(axis=1)


def difference_terms(profiles: Profiles, a: np.ndarray, b: np.ndarray) -> dict[str, np.ndarray]:
    """Each bridged difference in [0, 1]; see docs/matching.md."""
    dept_a, dept_b = profiles.department[a], profiles.department[b]
    department = ((dept_a != dept_b) & (dept_a >= 0) & (dept_b >= 0)).astype(np.float64)
    if profiles.rules.cross_department == "ignore":
        department[:] = 0.0
    level_gap = np.abs(profiles.level[a] - profiles.level[b])
    level = np.minimum(level_gap, LEVEL_GAP_FOR_FULL_BRIDGE) / LEVEL_GAP_FOR_FULL_BRIDGE
    born_a, born_b = profiles.birth_year[a], profiles.birth_year[b]
    known = (born_a > 0) & (born_b > 0)
    years = np.where(known, np.abs(born_a - born_b), 0)
    generation = np.minimum(years, BIRTH_YEARS_FOR_FULL_BRIDGE) / BIRTH_YEARS_FOR_FULL_BRIDGE
    loc_a, loc_b = profiles.location[a], profiles.location[b]
    location = ((loc_a != loc_b) & (loc_a >= 0) & (loc_b >= 0)).astype(np.float64)
    return {
        "department": department,
        "level": level,
        "generation": generation,
        "location": location,
    }


def score_values(
    profiles: Profiles, a: np.ndarray, b: np.ndarray, fit_ab: np.ndarray, fit_ba: np.ndarray
) -> np.ndarray:
    """The reciprocal score (a float per pair); docs/matching.md has the formula."""
    weights = profiles.rules.weights
    total = fit_ab + fit_ba
    high = np.maximum(fit_ab, fit_ba)
    balance = np.divide(np.minimum(fit_ab, fit_ba), high, out=np.zeros_like(high), where=high > 0)
    exchange = total * (weights.one_way + (1 - weights.one_way) * balance)
    terms = difference_terms(profiles, a, b)
    # Summed in a fixed order so the result is the same for (a, b) and (b, a).
    difference = (
        terms["department"] + terms["level"] + terms["generation"] + terms["location"]
    ) / 4
    shared = np.minimum(_shared_count(profiles.interests, a, b), SHARED_INTERESTS_FOR_FULL_CREDIT)
    common = 0.5 * _share_bit(profiles.languages, a, b) + 0.5 * (
        shared / SHARED_INTERESTS_FOR_FULL_CREDIT
    )
    bonus = exchange * (1 + weights.difference * difference + weights.common_ground * common)
    two_way = weights.two_way_bonus * exactly_two_way(profiles, a, b)
    return two_way + bonus * preference_factor(profiles, a, b)


def preference_factor(profiles: Profiles, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The strong preferences, as factors in (0, 1] that only ever lower a score.

    With cross_department preferred, a same-department pair keeps `same_department`
    (half) of its score; with bridge_network preferred, prior contact costs up to
    `prior_contact` of it. Being factors, they never make a pair eligible on their own,
    and they leave the two-way bonus whole, so that two-way pairs still come first.
    """
    rules, weights = profiles.rules, profiles.rules.weights
    factor = np.ones(len(a))
    if rules.cross_department == "preferred":
        dept_a, dept_b = profiles.department[a], profiles.department[b]
        factor *= np.where((dept_a == dept_b) & (dept_a >= 0), weights.same_department, 1.0)
    if rules.bridge_network == "preferred" and len(profiles.contact_keys):
        factor *= 1.0 - weights.prior_contact * prior_contact(profiles, a, b)
    return factor
