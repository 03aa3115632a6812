"""Two-way first, the strong cross-department preference and network bridging."""

from __future__ import annotations

import dataclasses

import networkx as nx
import numpy as np
import pytest

from twoway.matching import match
from twoway.matching.contacts import parse_contacts_csv, parse_contacts_json, read_contacts
from twoway.matching.errors import InputError
from twoway.matching.model import MatchInput, Rules, Weights
from twoway.matching.rules import RULES_BY_NAME
from twoway.matching.scoring import (
    SCORE_SCALE,
    build_profiles,
    evaluate_pairs,
    exactly_two_way,
    prior_contact,
)
from twoway.matching.synthetic import generate_contacts, generate_organisation
from twoway.matching.vocabulary import load_default_vocabulary

from .conftest import person, small_vocabulary


def _profiles(people, rules=None, contacts=()):
    return build_profiles(MatchInput(tuple(people), rules or Rules(), contacts), small_vocabulary())


def _score(people, rules=None, contacts=()) -> float:
    profiles = _profiles(people, rules, contacts)
    return int(evaluate_pairs(profiles, np.array([0]), np.array([1])).weight[0]) / SCORE_SCALE


def _pairs(run) -> set[frozenset[str]]:
    return {frozenset((pair.a, pair.b)) for pair in run.result.pairs}


# --- two-way first --------------------------------------------------------------------


def test_an_alias_teaches_exactly_and_a_related_skill_does_not():
    a = person("a", offers=[("py", 3)], gaps=[("GenAI", 2)])
    exact = person("b", offers=[("Generative AI tools", 2)], gaps=[("Python", 4)])
    related = person("c", offers=[("Prompt engineering", 5)], gaps=[("Python", 4)])
    profiles = _profiles([a, exact, related])
    assert exactly_two_way(profiles, np.array([0, 0]), np.array([1, 2])).tolist() == [True, False]


def test_two_way_pairs_win_over_related_pairs_that_score_more():
    """A-C and B-D teach only related skills and would score more (1.2 against 0.96
    before this rule); A-B and C-D teach exactly what was asked, both ways."""
    people = [
        person("A", offers=[("Python", 5)], gaps=[("Generative AI tools", 5)]),
        person("B", offers=[("Generative AI tools", 1)], gaps=[("Python", 5)]),
        person("C", offers=[("Prompt engineering", 5)], gaps=[("Rust", 5)]),
        person("D", offers=[("Rust", 1)], gaps=[("Prompt engineering", 5)]),
    ]
    exact = {frozenset("AB"), frozenset("CD")}
    old = Rules(weights=Weights(two_way_bonus=0.0))
    assert _pairs(match(MatchInput(tuple(people), old), vocabulary=small_vocabulary())) != exact
    run = match(MatchInput(tuple(people)), vocabulary=small_vocabulary())
    assert _pairs(run) == exact
    related = [t for pair in run.result.pairs for t in pair.a_teaches_b + pair.b_teaches_a]
    assert {t.match for t in related} == {"exact"}


def _capacity_one(match_input: MatchInput) -> MatchInput:
    """Everyone at capacity 1, so that the maxima compared with are plain matchings."""
    people = tuple(dataclasses.replace(p, capacity=1) for p in match_input.participants)
    return dataclasses.replace(match_input, participants=people)


def _max_two_way(match_input: MatchInput) -> int:
    """The most exactly two-way pairs any matching of eligible pairs has (networkx)."""
    profiles = build_profiles(match_input, load_default_vocabulary())
    a, b = np.triu_indices(profiles.n, k=1)
    keep = evaluate_pairs(profiles, a, b).eligible & exactly_two_way(profiles, a, b)
    graph = nx.Graph(list(zip(a[keep].tolist(), b[keep].tolist(), strict=True)))
    return len(nx.max_weight_matching(graph, maxcardinality=True))


@pytest.mark.parametrize("reciprocity", ["required", "preferred"])
def test_exactly_two_way_pairs_reach_97_percent_of_the_most_possible(reciprocity):
    """On organisations generated with seeds no tuning used, summed over instances."""
    found = most = 0
    for seed in range(301, 309):
        rules = Rules(reciprocity=reciprocity)
        match_input = _capacity_one(generate_organisation(120, seed=seed, rules=rules))
        run = match(match_input)
        profiles = run.profiles
        a = np.array([profiles.index[p.a] for p in run.result.pairs], dtype=np.int64)
        b = np.array([profiles.index[p.b] for p in run.result.pairs], dtype=np.int64)
        found += int(exactly_two_way(profiles, a, b).sum())
        most += _max_two_way(match_input)
    assert most > 0
    assert found >= 0.97 * most


# --- cross-department -----------------------------------------------------------------


def test_a_same_department_pair_keeps_half_its_score_when_departments_are_preferred():
    skills = {"offers": [("Python", 5)], "gaps": [("Rust", 5)]}
    other = {"offers": [("Rust", 5)], "gaps": [("Python", 5)]}
    cross = [person("a", department="X", **skills), person("b", department="Y", **other)]
    same = [person("a", department="X", **skills), person("b", department="X", **other)]
    bonus = Weights().two_way_bonus  # each teaches the other what they asked for
    # Bonus factors: 1 + 0.3 * 1/4 (department bridged) + 0.1 * 1/2 (shared language)
    # for the cross pair, 1 + 0.1 * 1/2 for the same-department pair.
    expected = bonus + 0.5 * (_score(cross) - bonus) * 1.05 / 1.125
    assert _score(same) == pytest.approx(expected, abs=1e-6)
    ignore = Rules(cross_department="ignore")
    assert _score(same, ignore) == _score(cross, ignore)


def test_nine_in_ten_pairs_cross_departments_when_preferred():
    for seed in (311, 312):
        run = match(generate_organisation(400, seed=seed))
        stats = run.result.stats
        assert stats.cross_department_pairs >= 0.9 * stats.pairs


# --- the collaboration network --------------------------------------------------------


def _partners(**fields):
    return [
        person("a", offers=[("Python", 5)], gaps=[("Rust", 5)], **fields),
        person("b", offers=[("Rust", 5)], gaps=[("Python", 5)], **fields),
        person("c", offers=[("Rust", 5)], gaps=[("Python", 5)], **fields),
    ]


def test_prior_contact_lowers_the_score_symmetrically():
    people = _partners()
    contacts = (("a", "b", 3.0), ("b", "a", 1.0), ("a", "c", 1.0), ("x", "a", 9.0))
    profiles = _profiles(people, contacts=contacts)
    a, b = np.array([0, 1, 0, 2]), np.array([1, 0, 2, 0])
    strength = prior_contact(profiles, a, b)
    assert strength[0] == strength[1] > strength[2] == strength[3] > 0  # 4 hours vs 1
    weight = evaluate_pairs(profiles, a, b).weight
    assert weight[0] == weight[1] < weight[2] == weight[3]
    ignored = _profiles(people, Rules(bridge_network="ignore"), contacts)
    assert len(set(evaluate_pairs(ignored, a, b).weight.tolist())) == 1


def test_the_engine_pairs_those_who_rarely_work_together_and_says_so():
    contacts = (("a", "b", 5.0), ("b", "c", 0.1), ("a", "x", 5.0))
    run = match(MatchInput(tuple(_partners()), Rules(), contacts), vocabulary=small_vocabulary())
    assert _pairs(run) == {frozenset("ac")}
    assert ("network", "you have rarely worked together") in {
        (bridge.kind, bridge.a) for bridge in run.result.pairs[0].bridges
    }
    close = (("a", "b", 5.0), ("a", "c", 5.0))
    run = match(MatchInput(tuple(_partners()), Rules(), close), vocabulary=small_vocabulary())
    assert "network" not in {bridge.kind for bridge in run.result.pairs[0].bridges}


def test_without_contacts_the_network_rule_changes_nothing():
    people = _partners()
    assert _score(people) == _score(people, Rules(bridge_network="ignore"))
    run = match(MatchInput(tuple(people)), vocabulary=small_vocabulary())
    assert "network" not in {bridge.kind for bridge in run.result.pairs[0].bridges}


def _random_maximal_contact(profiles, seed: int) -> float:
    a, b = np.triu_indices(profiles.n, k=1)
    eligible = evaluate_pairs(profiles, a, b, score_ineligible=False).eligible
    a, b = a[eligible], b[eligible]
    used = np.zeros(profiles.n, dtype=bool)
    chosen = []
    for edge in np.random.default_rng(seed).permutation(len(a)).tolist():
        if not used[a[edge]] and not used[b[edge]]:
            used[a[edge]] = used[b[edge]] = True
            chosen.append(edge)
    return float(prior_contact(profiles, a[chosen], b[chosen]).mean())


@pytest.mark.parametrize("cross_department", ["preferred", "ignore"])
def test_partners_have_far_less_prior_contact_than_in_a_random_matching(cross_department):
    rules = Rules(cross_department=cross_department)
    base = _capacity_one(generate_organisation(400, seed=321, rules=rules))
    match_input = dataclasses.replace(base, contacts=generate_contacts(base, seed=322))
    run = match(match_input)
    profiles = run.profiles
    a = np.array([profiles.index[p.a] for p in run.result.pairs], dtype=np.int64)
    b = np.array([profiles.index[p.b] for p in run.result.pairs], dtype=np.int64)
    engine = float(prior_contact(profiles, a, b).mean())
    random = np.mean([_random_maximal_contact(profiles, seed) for seed in range(3)])
    # Where someone's only two-way partners are colleagues, two-way comes first.
    assert engine <= random / 2


def test_the_bridge_network_rule_is_defined_once_with_its_default():
    spec = RULES_BY_NAME["bridge_network"]
    assert spec.default == "preferred" and spec.choice_values == ("preferred", "ignore")


# --- reading contacts -----------------------------------------------------------------


def test_contacts_are_read_from_csv_and_json(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("a,b,weight\np1,p2,3\np2,p3,\n\n", encoding="utf-8")
    assert read_contacts(str(path)) == (("p1", "p2", 3.0), ("p2", "p3", 1.0))
    document = '{"contacts": [["p1", "p2", 2.5], {"a": "p3", "b": "p1"}]}'
    assert parse_contacts_json(document) == (("p1", "p2", 2.5), ("p3", "p1", 1.0))


def test_every_bad_contact_row_is_named_at_once():
    text = "a,b,weight\np1,p1,2\n,p2,1\np1,p2,-3\np1,p2\np1,p3,nan\n"
    with pytest.raises(InputError) as caught:
        parse_contacts_csv(text, "team.csv")
    problems = caught.value.problems
    assert problems == [
        "team.csv: row 2: field 'b': names the same person as 'a'",
        "team.csv: row 3: field 'a': must be a participant id",
        "team.csv: row 4: field 'weight': must be a positive number up to 1e+12",
        "team.csv: row 5: expected the fields a, b and optionally weight",
        "team.csv: row 6: field 'weight': must be a positive number up to 1e+12",
    ]
    for bad in ("[", "{}", "[[1, 2]]", '[{"a": "x", "b": "y", "weight": true}]'):
        with pytest.raises(InputError, match="contacts"):
            parse_contacts_json(bad)


@pytest.mark.parametrize("reciprocity", ["required", "preferred"])
def test_the_top_k_stays_exact_with_the_two_way_bonus_and_a_network(monkeypatch, reciprocity):
    """The candidate search prunes with an upper bound of the score: the bonus and the
    factors must keep it valid."""
    from twoway.matching import candidates

    from .test_candidates import as_triples, brute_force_top_k

    base = generate_organisation(250, seed=331, rules=Rules(reciprocity=reciprocity))
    match_input = dataclasses.replace(base, contacts=generate_contacts(base, seed=332))
    profiles = build_profiles(match_input, load_default_vocabulary())
    monkeypatch.setattr(candidates, "FIRST_PASS_FACTOR", 1)
    graph = candidates.generate_candidates(profiles, 5)
    assert as_triples(graph) == brute_force_top_k(profiles, 5, [np.arange(profiles.n)])
