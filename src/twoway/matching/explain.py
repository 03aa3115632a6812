"""Explanations: why a pair was proposed, and why someone was left unmatched."""

from __future__ import annotations

import numpy as np

from twoway.matching.model import Bridge, CommonGround, Teaching
from twoway.matching.scoring import Profiles, offer_value, rarely_worked_together
from twoway.matching.vocabulary import normalise

RULE_LABELS = {
    "cross_department": "same department (the rules ask for different departments)",
    "reporting_line": "reporting line",
    "level_gap": "level gap",
    "common_language": "no common language",
    "timezone_overlap": "too little working-hours overlap",
    "avoid": "avoid list",
    "exclude_pairs": "earlier pairing or exit",
    "reciprocity": "one-way only (the rules ask for learning both ways)",
    "no_skill_exchange": "no skill exchange (neither offers what the other wants to learn)",
}


RARELY_WORDS = "you have rarely worked together"


def teachings(profiles: Profiles, teacher: int, learner: int) -> tuple[Teaching, ...]:
    """Each of the learner's gaps that the teacher covers, best offer first."""
    offers = profiles.own_offers[teacher]
    credit = profiles.rules.weights.related_skill_credit
    cluster_of = profiles.cluster_of
    found = []
    for gap_skill, priority in profiles.own_gaps[learner].items():
        best = None
        for offer_skill, proficiency in offers.items():
            exact = offer_skill == gap_skill
            related = (
                cluster_of[gap_skill] >= 0 and cluster_of[offer_skill] == cluster_of[gap_skill]
            )
            if not (exact or related):
                continue
            value = offer_value(proficiency, exact, credit)
            key = (value, exact, -offer_skill)
            if value > 0 and (best is None or key > best[0]):
                best = (key, offer_skill, proficiency, exact)
        if best is not None:
            (value, _, _), offer_skill, proficiency, exact = best
            found.append((value * priority, gap_skill, priority, offer_skill, proficiency, exact))
    found.sort(key=lambda item: (-item[0], item[1]))
    name = profiles.vocabulary.name
    return tuple(
        Teaching(
            skill=name(gap_skill),
            proficiency=proficiency,
            priority=priority,
            offered_skill=name(offer_skill),
            match="exact" if exact else "related",
        )
        for _, gap_skill, priority, offer_skill, proficiency, exact in found
    )


def bridges(profiles: Profiles, a: int, b: int) -> tuple[Bridge, ...]:
    pa, pb = profiles.participants[a], profiles.participants[b]
    found = []
    department_counts = profiles.rules.cross_department != "ignore"
    if department_counts and _differ(pa.department, pb.department):
        found.append(Bridge("department", pa.department, pb.department))
    if pa.level != pb.level:
        found.append(Bridge("level", str(pa.level), str(pb.level)))
    if pa.birth_year and pb.birth_year and pa.birth_year != pb.birth_year:
        found.append(Bridge("generation", str(pa.birth_year), str(pb.birth_year)))
    if _differ(pa.location, pb.location):
        found.append(Bridge("location", pa.location, pb.location))
    if rarely_worked_together(profiles, np.array([a]), np.array([b]))[0]:
        found.append(Bridge("network", RARELY_WORDS, RARELY_WORDS))
    return tuple(found)


def common_ground(profiles: Profiles, a: int, b: int) -> tuple[CommonGround, ...]:
    pa, pb = profiles.participants[a], profiles.participants[b]
    found = [CommonGround("language", value) for value in _shared(pa.languages, pb.languages)]
    interests = _shared(pa.interests, pb.interests)
    found += [CommonGround("interest", value) for value in interests]
    return tuple(found)


def _differ(x: str, y: str) -> bool:
    return bool(normalise(x)) and bool(normalise(y)) and normalise(x) != normalise(y)


def _shared(xs: tuple[str, ...], ys: tuple[str, ...]) -> list[str]:
    theirs = {normalise(y) for y in ys}
    seen, shared = set(), []
    for x in xs:
        key = normalise(x)
        if key in theirs and key not in seen:
            seen.add(key)
            shared.append(x)
    return shared


def excluded_by(
    counts: dict[str, np.ndarray], exchange_count: np.ndarray, n: int, person: int
) -> dict[str, int]:
    """`person` indexes the count arrays."""
    """How many potential partners each rule excluded for one person, largest first."""
    result = {
        rule: int(values[person]) for rule, values in counts.items() if int(values[person]) > 0
    }
    no_exchange = n - 1 - int(exchange_count[person])
    if no_exchange > 0:
        result["no_skill_exchange"] = no_exchange
    return dict(sorted(result.items(), key=lambda item: (-item[1], item[0])))


def unmatched_reason(eligible: int, excluded: dict[str, int], others: int, mode: str) -> str:
    if eligible == 0:
        if not excluded or set(excluded) == {"no_skill_exchange"}:
            return (
                "no eligible partner: nobody else offers a skill they want to learn"
                " or wants a skill they offer"
            )
        # Every cause is named, the lack of a skill exchange too: it is often the main one.
        # A person may be excluded by several causes, so the counts may add up to more.
        named = ", ".join(
            f"{RULE_LABELS.get(rule, rule)} ({count})" for rule, count in list(excluded.items())[:3]
        )
        return f"no eligible partner among {others} others; how many each cause rules out: {named}"
    if mode == "stable":
        return (
            f"{eligible} eligible partner(s), but none of them was matched with them in the"
            " stable matching (each preferred the partner they got)"
        )
    return (
        f"every eligible partner ({eligible}) was better used elsewhere: pairing them would"
        " lower the total"
        + (" score" if mode == "optimal" else " number of people paired or the score")
    )
