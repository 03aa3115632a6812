"""Two-way first, cross-department preference and network bridging, measured.

    PYTHONPATH=src .venv/bin/python bench/bridging.py [--n 1000 2000] [--seeds 101 202]

On generated organisations (seeds that no test and no tuning used) it reports:

Everyone has capacity 1 here (the generator gives a few people 2), so that the maxima
are plain maximum-cardinality matchings.

- exactly two-way pairs (each partner teaches the other a skill they asked for, by name
  or alias) against the most possible: a maximum-cardinality matching (rustworkx) on
  the graph of every eligible pair that is exactly two-way;
- the share of pairs that cross departments with `cross_department: preferred`;
- with a generated collaboration network (`synthetic.generate_contacts`): the prior
  contact between partners with `bridge_network: preferred`, with `ignore`, and in a
  random maximal matching of the eligible pairs under the same rules.

Each figure is also shown for the scoring before this change (no two-way bonus and
factors of 1, which is the old formula exactly), computed in the same run.
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np
import rustworkx as rx

from twoway.matching import match
from twoway.matching.model import MatchInput, Rules, Weights
from twoway.matching.scoring import build_profiles, evaluate_pairs, exactly_two_way, prior_contact
from twoway.matching.synthetic import generate_contacts, generate_organisation
from twoway.matching.vocabulary import load_default_vocabulary

OLD = Weights(two_way_bonus=0.0, same_department=1.0, prior_contact=0.0)
ROWS_PER_CHUNK = 200


def eligible_pairs(match_input: MatchInput):
    """Every eligible pair (a < b), with its exact two-way flag and prior contact."""
    profiles = build_profiles(match_input, load_default_vocabulary())
    n = profiles.n
    found_a, found_b = [], []
    for start in range(0, n, ROWS_PER_CHUNK):
        rows = np.arange(start, min(n, start + ROWS_PER_CHUNK))
        a = np.repeat(rows, n)
        b = np.tile(np.arange(n), len(rows))
        keep = a < b
        a, b = a[keep], b[keep]
        eligible = evaluate_pairs(profiles, a, b, score_ineligible=False).eligible
        found_a.append(a[eligible])
        found_b.append(b[eligible])
    a, b = np.concatenate(found_a), np.concatenate(found_b)
    return profiles, a, b


def max_cardinality(n: int, a: np.ndarray, b: np.ndarray) -> int:
    graph = rx.PyGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from_no_data(list(zip(a.tolist(), b.tolist(), strict=True)))
    return len(rx.max_weight_matching(graph, max_cardinality=True, weight_fn=lambda _: 1))


def random_maximal(n: int, a: np.ndarray, b: np.ndarray, seed: int):
    """A random maximal matching of the eligible graph (capacity 1)."""
    used = np.zeros(n, dtype=bool)
    chosen = []
    for edge in np.random.default_rng(seed).permutation(len(a)).tolist():
        i, j = int(a[edge]), int(b[edge])
        if not used[i] and not used[j]:
            used[i] = used[j] = True
            chosen.append(edge)
    return a[chosen], b[chosen]


def describe(profiles, a, b) -> dict[str, float]:
    dept = profiles.department
    contact = prior_contact(profiles, a, b)
    return {
        "pairs": len(a),
        "two_way": int(exactly_two_way(profiles, a, b).sum()),
        "cross": float(((dept[a] != dept[b]) & (dept[a] >= 0)).mean()) if len(a) else 0.0,
        "with_contact": float((contact > 0).mean()) if len(a) else 0.0,
        "contact": float(contact.mean()) if len(a) else 0.0,
    }


def engine_pairs(match_input: MatchInput, profiles):
    run = match(match_input)
    a = np.array([profiles.index[p.a] for p in run.result.pairs], dtype=np.int64)
    b = np.array([profiles.index[p.b] for p in run.result.pairs], dtype=np.int64)
    return a, b, run.result.stats


def capacity_one(match_input: MatchInput) -> MatchInput:
    """Everyone at capacity 1, so that the maxima below are plain matchings."""
    people = tuple(dataclasses.replace(p, capacity=1) for p in match_input.participants)
    return dataclasses.replace(match_input, participants=people)


def measure(n: int, seed: int, reciprocity: str, cross_department: str) -> None:
    rules = Rules(reciprocity=reciprocity, cross_department=cross_department)
    base = capacity_one(generate_organisation(n, seed=seed, rules=rules))
    contacts = generate_contacts(base, seed=seed + 1)
    rows = {}
    for label, weights, bridge in (
        ("before", OLD, "ignore"),
        ("new, network ignored", Weights(), "ignore"),
        ("new, network preferred", Weights(), "preferred"),
    ):
        rules = dataclasses.replace(base.rules, weights=weights, bridge_network=bridge)
        match_input = MatchInput(base.participants, rules, contacts)
        profiles, ea, eb = eligible_pairs(match_input)
        started = time.perf_counter()
        a, b, stats = engine_pairs(match_input, profiles)
        seconds = time.perf_counter() - started
        rows[label] = describe(profiles, a, b) | {"seconds": seconds, "optimal": stats.optimal}
    exact = exactly_two_way(profiles, ea, eb)
    most_two_way = max_cardinality(n, ea[exact], eb[exact])
    dept = profiles.department
    cross = (dept[ea] != dept[eb]) & (dept[ea] >= 0)
    most_cross = max_cardinality(n, ea[cross], eb[cross])
    ra, rb = random_maximal(n, ea, eb, seed)
    rows["random maximal matching"] = describe(profiles, ra, rb) | {"seconds": 0.0}
    print(
        f"\nn={n} seed={seed} reciprocity={reciprocity} cross_department={cross_department}: "
        f"eligible pairs {len(ea)}, "
        f"most exactly two-way pairs {most_two_way}, most cross-department pairs {most_cross}"
    )
    print(
        f"{'':26} {'pairs':>6} {'2-way':>6} {'% of max':>8} {'cross %':>8} "
        f"{'w/contact %':>11} {'contact':>8} {'seconds':>8}"
    )
    for label, row in rows.items():
        share = 100 * row["two_way"] / most_two_way if most_two_way else 100.0
        print(
            f"{label:26} {row['pairs']:6d} {row['two_way']:6d} {share:8.1f} "
            f"{100 * row['cross']:8.1f} {100 * row['with_contact']:11.1f} "
            f"{row['contact']:8.4f} {row['seconds']:8.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[101, 202])
    parser.add_argument("--reciprocity", nargs="+", default=["required", "preferred"])
    parser.add_argument("--cross-department", nargs="+", default=["preferred", "ignore"])
    options = parser.parse_args()
    for n in options.n:
        for seed in options.seeds:
            for reciprocity in options.reciprocity:
                for cross_department in options.cross_department:
                    measure(n, seed, reciprocity, cross_department)


if __name__ == "__main__":
    main()
