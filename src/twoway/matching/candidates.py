"""Candidate generation: the top-k eligible partners of every participant.

For a block of rows at a time, two sparse products give the skill fit in both
directions for every pair that has any skill exchange at all; pairs without one can
never score above zero, so they are never materialised. The hard rules are applied to
those pairs with vectorised array code, then the best k per row are kept. The candidate
graph is the union of everyone's top-k (a pair is kept if either side ranks it).
Blocking bounds the memory to one block of pairs at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from twoway.matching.scoring import (
    RULE_NAMES,
    SCORE_SCALE,
    Profiles,
    evaluate_pairs,
    normalise_fit,
)

DEFAULT_K = 20
PAIRS_PER_BLOCK = 4_000_000  # pairs held in dense arrays per block: bounds the memory
FIRST_PASS_FACTOR = 3  # first pass scores about this many times k pairs per row
SAMPLE_COLUMNS = 1024
BOUND_SLACK = 1e-6  # the float32 bound is compared with a little room for rounding


@dataclass
class CandidateGraph:
    """Undirected edges u < v with integer weights (micro-points), sorted by (u, v)."""

    n: int
    u: np.ndarray
    v: np.ndarray
    weight: np.ndarray

    @property
    def edges(self) -> int:
        return len(self.u)


def generate_candidates(profiles: Profiles, k: int | None = DEFAULT_K) -> CandidateGraph:
    """Top-k per participant (k=None keeps every eligible pair: the complete graph).

    Per block of rows, dense products (BLAS, float32: the integer sums are exact) give
    the skill fit both ways for every pair, and from it a cheap upper bound of each
    pair's score (the exchange value times the largest possible bonus factor). Only the
    pairs that can still reach a row's top k are scored in full and checked against the
    hard rules: first the pairs with the highest bound, which sets the row's k-th best
    score L, then any other pair whose bound reaches L. Pairs left out provably score
    below L, so the top k are exact.
    """
    n = profiles.n
    teach_t = profiles.offers.T.toarray().astype(np.float32)
    learn_t = profiles.gaps.T.toarray().astype(np.float32)
    rows_per_block = max(1, min(n, PAIRS_PER_BLOCK // max(n, 1)))
    kept_u, kept_v, kept_w = [], [], []
    for start in range(0, n, rows_per_block):
        stop = min(n, start + rows_per_block)
        a, b, weight = _block_candidates(profiles, teach_t, learn_t, start, stop, k)
        kept_u.append(np.minimum(a, b))
        kept_v.append(np.maximum(a, b))
        kept_w.append(weight)
    u, v, weight = _undirected_union(kept_u, kept_v, kept_w, n)
    return CandidateGraph(n, u, v, weight)


def _block_candidates(profiles: Profiles, teach_t, learn_t, start: int, stop: int, k):
    offers = profiles.offers[start:stop].toarray().astype(np.float32)
    gaps = profiles.gaps[start:stop].toarray().astype(np.float32)
    numer_ab = offers @ learn_t  # a's offers x b's gaps (exact integers)
    numer_ba = gaps @ teach_t  # a's gaps x b's offers
    bound = _score_upper_bound(profiles, numer_ab, numer_ba, start, stop)
    rows = np.arange(stop - start)
    bound[rows, rows + start] = 0  # nobody pairs with themselves
    if k is None:
        return _evaluate(profiles, start, np.nonzero(bound > 0), numer_ab, numer_ba)
    threshold = _row_thresholds(bound, FIRST_PASS_FACTOR * k)
    first = np.nonzero(bound >= np.maximum(threshold, np.float32(1e-12))[:, None])
    a, b, weight = _evaluate(profiles, start, first, numer_ab, numer_ba)
    kth = _kth_best(a - start, weight, k, stop - start) / SCORE_SCALE
    # Pairs not scored yet whose bound still reaches their row's k-th best score.
    bound[first] = 0
    floor = np.maximum(kth - BOUND_SLACK, 1e-12).astype(np.float32)
    second = np.nonzero(bound >= floor[:, None])
    a2, b2, weight2 = _evaluate(profiles, start, second, numer_ab, numer_ba)
    a = np.concatenate([a, a2])
    b = np.concatenate([b, b2])
    weight = np.concatenate([weight, weight2])
    top = _top_k_per_row(a, b, weight, k)
    return a[top], b[top], weight[top]


def _score_upper_bound(profiles: Profiles, numer_ab, numer_ba, start: int, stop: int):
    """An upper bound of every pair's score, cheap to compute on dense blocks (float32).

    With T = fit_ab + fit_ba and low = min(fit_ab, fit_ba), the exchange value
    T * (one_way + (1 - one_way) * low / high) is at most one_way * T + 2 (1 - one_way) low
    (because T / high <= 2), and the bonus factor is at most 1 + difference + common.
    """
    weights = profiles.rules.weights
    inverse = np.divide(
        1.0, profiles.gap_norm, out=np.zeros(profiles.n), where=profiles.gap_norm > 0
    ).astype(np.float32)
    fit_ab = numer_ab * inverse[None, :]
    fit_ba = numer_ba * inverse[start:stop, None]
    low = np.minimum(fit_ab, fit_ba)
    total = np.add(fit_ab, fit_ba, out=fit_ab)
    del fit_ba
    factor = (1 + weights.difference + weights.common_ground) * (1 + 1e-4)
    bound = np.multiply(total, np.float32(weights.one_way * factor), out=total)
    if profiles.rules.reciprocity == "required":
        # One-way pairs are not eligible at all: their bound is zero.
        bound *= low > 0
    low *= np.float32(2 * (1 - weights.one_way) * factor)
    bound += low
    return bound


def _row_thresholds(bound: np.ndarray, wanted: int) -> np.ndarray:
    """Per row, a value that about `wanted` entries reach, estimated on a column sample."""
    columns = bound.shape[1]
    sample = bound[:, np.linspace(0, columns - 1, min(columns, SAMPLE_COLUMNS)).astype(int)]
    rank = min(sample.shape[1] - 1, max(0, int(np.ceil(wanted * sample.shape[1] / columns))))
    return -np.partition(-sample, rank, axis=1)[:, rank]


def _kth_best(local_rows: np.ndarray, weight: np.ndarray, k: int, rows: int) -> np.ndarray:
    """Each row's k-th best weight among the scored eligible pairs (0 if fewer than k)."""
    order = np.lexsort((-weight, local_rows))
    sorted_rows = local_rows[order]
    first = np.searchsorted(sorted_rows, sorted_rows, side="left")
    rank = np.arange(len(order)) - first
    kth = np.zeros(rows, dtype=np.float64)
    at_k = rank == k - 1
    kth[sorted_rows[at_k]] = weight[order][at_k]
    return kth


def _evaluate(profiles: Profiles, start: int, where, numer_ab, numer_ba):
    """Full score and hard rules for the pairs at `where` (rows local to the block)."""
    local, b = where
    a = local.astype(np.int64) + start
    b = b.astype(np.int64)
    fit_ab = normalise_fit(numer_ab[where].astype(np.float64), profiles.gap_norm[b])
    fit_ba = normalise_fit(numer_ba[where].astype(np.float64), profiles.gap_norm[a])
    evaluation = evaluate_pairs(profiles, a, b, fit_ab, fit_ba)
    keep = evaluation.eligible
    return a[keep], b[keep], evaluation.weight[keep]


def diagnose(profiles: Profiles, people: np.ndarray) -> dict[str, np.ndarray]:
    """For some participants (those left unmatched): how many others have any skill
    exchange with them, how many are eligible, and how many each rule excluded."""
    result = {name: np.zeros(len(people), dtype=np.int64) for name in RULE_NAMES}
    result["exchange"] = np.zeros(len(people), dtype=np.int64)
    result["eligible"] = np.zeros(len(people), dtype=np.int64)
    others = np.arange(profiles.n)
    for position, person in enumerate(np.asarray(people).tolist()):
        a = np.full(profiles.n, person, dtype=np.int64)
        evaluation = evaluate_pairs(profiles, a, others)
        exchange = ((evaluation.fit_ab > 0) | (evaluation.fit_ba > 0)) & (others != person)
        result["exchange"][position] = int(exchange.sum())
        result["eligible"][position] = int(evaluation.eligible.sum())
        for name, mask in evaluation.failures.items():
            result[name][position] = int((mask & exchange).sum())
    return result


def _top_k_per_row(a: np.ndarray, b: np.ndarray, weight: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k heaviest pairs of each row; ties go to the lower partner index."""
    order = np.lexsort((b, -weight, a))
    sorted_rows = a[order]
    first = np.searchsorted(sorted_rows, sorted_rows, side="left")
    rank = np.arange(len(order)) - first
    return order[rank < k]


def _undirected_union(us, vs, ws, n: int):
    u = np.concatenate(us) if us else np.zeros(0, dtype=np.int64)
    v = np.concatenate(vs) if vs else np.zeros(0, dtype=np.int64)
    w = np.concatenate(ws) if ws else np.zeros(0, dtype=np.int64)
    keys, first = np.unique(u.astype(np.int64) * n + v, return_index=True)
    return (keys // n).astype(np.int64), (keys % n).astype(np.int64), w[first]


def candidate_matrix(graph: CandidateGraph) -> sp.csr_matrix:
    """Symmetric sparse weight matrix of the candidate graph."""
    rows = np.concatenate([graph.u, graph.v])
    cols = np.concatenate([graph.v, graph.u])
    data = np.concatenate([graph.weight, graph.weight])
    return sp.csr_matrix((data, (rows, cols)), shape=(graph.n, graph.n))
