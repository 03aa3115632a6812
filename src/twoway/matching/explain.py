"""Explanations: why a pair was proposed, and why someone was left unmatched."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twoway.matching.generations import generation_gap
from twoway.matching.model import Bridge, CommonGround, Teaching
from twoway.matching.scoring import (
    Profiles,
    evaluate_pairs,
    normalise_fit,
    offer_value,
    rarely_worked_together,
)
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
    cohorts = generation_gap(pa.birth_year, pb.birth_year)
    if cohorts:  # named by cohort: birth years are personal data the output leaves out
        found.append(Bridge("generation", *cohorts))
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


DIAGNOSE_PAIRS = 2_000_000  # pairs whose fits are held at once when diagnosing


@dataclass
class Diagnosis:
    """For each person diagnosed: the others they were checked against, their eligible
    partners (and how many of those still have a place), and how many others each cause
    rules out. Causes are counted in order: no skill exchange; then, with reciprocity
    required, a one-way exchange; then each hard rule among the rest (the pairs that
    would otherwise have the exchange the rules ask for). One pair may fail several
    hard rules, so those counts may add up to more."""

    others: np.ndarray
    eligible: np.ndarray
    eligible_with_room: np.ndarray
    excluded: list[dict[str, int]]


def diagnose(
    profiles: Profiles,
    people: np.ndarray,
    has_room: np.ndarray,
    groups: list[np.ndarray] | None = None,
) -> Diagnosis:
    """Exact counts, against everybody (or with approximate candidates, their group).

    Both fits of every pair come from two sparse x dense products, which cost little;
    the hard rules, the expensive part, are evaluated only on the pairs with the skill
    exchange the rules ask for (two-way when reciprocity is required), since no rule
    can matter for the others. That is what keeps explaining cheap when many people are
    unmatched for lack of an exchange.
    """
    people = np.asarray(people, dtype=np.int64)
    others = np.zeros(len(people), dtype=np.int64)
    eligible = np.zeros(len(people), dtype=np.int64)
    with_room = np.zeros(len(people), dtype=np.int64)
    excluded: list[dict[str, int]] = [{} for _ in people]
    for members in groups or [np.arange(profiles.n)]:
        positions = np.flatnonzero(np.isin(people, members))
        per_chunk = max(1, DIAGNOSE_PAIRS // max(len(members), 1))
        for start in range(0, len(positions), per_chunk):
            chunk = positions[start : start + per_chunk]
            counts = _diagnose_chunk(profiles, people[chunk], members, has_room)
            others[chunk] = len(members) - 1
            eligible[chunk] = counts.pop("eligible")
            with_room[chunk] = counts.pop("with_room")
            for name, values in counts.items():
                for position, value in zip(chunk.tolist(), values.tolist(), strict=True):
                    if value > 0:
                        excluded[position][name] = value
    ordered = [dict(sorted(e.items(), key=lambda item: (-item[1], item[0]))) for e in excluded]
    return Diagnosis(others, eligible, with_room, ordered)


def _diagnose_chunk(profiles: Profiles, chunk, members, has_room) -> dict[str, np.ndarray]:
    # Fit numerators, members x chunk: a fit is positive exactly when its numerator is.
    taught, learnt = _fit_numerators(profiles, chunk, members)
    rows = len(chunk)
    exchange = (taught > 0) | (learnt > 0)
    exchange[np.searchsorted(members, chunk), np.arange(rows)] = False  # not oneself
    counts = {"no_skill_exchange": len(members) - 1 - exchange.sum(axis=0)}
    if profiles.rules.reciprocity == "required":
        viable = exchange & (taught > 0) & (learnt > 0)
        counts["reciprocity"] = exchange.sum(axis=0) - viable.sum(axis=0)
    else:
        viable = exchange
    column, row = np.nonzero(viable)
    a, b = chunk[row], members[column]
    norm = profiles.gap_norm
    fit_ab = normalise_fit(taught[column, row], norm[b])
    fit_ba = normalise_fit(learnt[column, row], norm[a])
    evaluation = evaluate_pairs(profiles, a, b, fit_ab, fit_ba, score_ineligible=False)
    for name, mask in evaluation.failures.items():
        if name != "reciprocity":  # counted above, among all the pairs with an exchange
            counts[name] = np.bincount(row[mask], minlength=rows)
    ok = evaluation.eligible
    counts["eligible"] = np.bincount(row[ok], minlength=rows)
    counts["with_room"] = np.bincount(row[ok & has_room[b]], minlength=rows)
    return counts


def _fit_numerators(profiles: Profiles, chunk: np.ndarray, members: np.ndarray):
    """Numerators of fit(person -> member) and fit(member -> person), members x chunk.
    They are sums of small multiples of 0.5, exact in float64: divided by the learner's
    gap norm they give the same fits as scoring each pair on its own."""
    taught = profiles.gaps[members] @ profiles.offers[chunk].toarray().T
    learnt = profiles.offers[members] @ profiles.gaps[chunk].toarray().T
    return np.asarray(taught), np.asarray(learnt)


def unmatched_reason(
    eligible: int,
    excluded: dict[str, int],
    others: int,
    mode: str,
    *,
    with_room: int = 0,
    blocking: int = 0,
) -> str:
    """Why someone has no partner, in words that hold for this run's result.

    `with_room` counts the eligible partners who still have a place (unmatched, or
    below their capacity); `blocking` (stable mode) the blocking pairs they are in.
    """
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
        if blocking:
            return (
                f"{eligible} eligible partner(s); {blocking} of them would rather be paired"
                " with them than keep their partner (no stable matching was found)"
            )
        return (
            f"{eligible} eligible partner(s), but everyone on their list who also listed"
            " them is paired with someone they rank higher"
        )
    if with_room:
        # Pairing them with such a partner would add a pair: the result is not the best
        # over every eligible pair, and the reason says so rather than hide it.
        return (
            f"{eligible} eligible partner(s), {with_room} of them with a place left too;"
            " this run did not pair them (it is not optimal over every eligible pair)"
        )
    return (
        f"all {eligible} eligible partner(s) have their places taken by other pairs;"
        " pairing them would mean breaking up one of those pairs"
    )
