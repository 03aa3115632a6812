"""Candidate generation: the top-k eligible partners of every participant.

For a block of rows at a time, two sparse x dense products give the skill fit in both
directions for every pair of the block, and from them a cheap upper bound of each
pair's score. Only the pairs whose bound can still reach a row's top k are scored in
full and checked against the hard rules (vectorised array code), so the top k is exact
while most pairs never get past the bound. The candidate graph is the union of
everyone's top-k (a pair is kept if either side ranks it). Blocking bounds the memory
to one block of pairs at a time. Above EXACT_LIMIT participants, people search within
seeded random groups instead of among everybody, and the graph says so.
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
    fits,
    normalise_fit,
)

DEFAULT_K = 20
BLOCK_BYTES = 2 << 20  # one float32 row block of a dense pair array: about half of L2
MAX_BLOCK_ROWS = 512
FIRST_PASS_FACTOR = 3  # first pass scores about this many times k pairs per row
WIDENING = 8  # rows short of k eligible partners look at this many times more pairs
SAMPLE_COLUMNS = 1024
BOUND_SLACK = 1e-6  # the float32 bound is compared with a little room for rounding
EXACT_LIMIT = 20_000  # participants: up to here the top-k is exact against everyone
GROUP_SIZE = 10_000  # above EXACT_LIMIT, people search for partners within groups this big
GROUPING_SEED = 20_240_601  # fixed: the same input always gives the same groups
# float32 fits carry a relative error of a few 1e-7: below this gap norm, fit * norm
# rounds back to the exact integer numerator (beyond, fits are recomputed exactly).
MAX_RECOVERABLE_NORM = 2**16
DIAGNOSE_PAIRS = 2_000_000  # pairs evaluated at once when explaining who is unmatched
PRICING_PAIRS = 1 << 21  # pairs bounded at once when pricing the left-out pairs


@dataclass
class CandidateGraph:
    """Undirected edges u < v with integer weights (micro-points), sorted by (u, v).

    `exact` says whether every participant's top k was searched among everybody, or
    (above EXACT_LIMIT participants) only within their group.
    """

    n: int
    u: np.ndarray
    v: np.ndarray
    weight: np.ndarray
    exact: bool = True
    groups: list[np.ndarray] | None = None  # the search groups when not exact
    # Per person, the weight of their k-th best eligible partner: a pair left out of the
    # graph weighs at most this for both its people (ties at the cut included). -1 when
    # every eligible partner of the person is in the graph. None when not computed.
    kth: np.ndarray | None = None

    @property
    def edges(self) -> int:
        return len(self.u)

    def with_edges(self, u: np.ndarray, v: np.ndarray, weight: np.ndarray) -> CandidateGraph:
        """The graph with more edges (u < v), still sorted and without duplicates."""
        u, v, weight = _undirected_union([self.u, u], [self.v, v], [self.weight, weight], self.n)
        return CandidateGraph(self.n, u, v, weight, self.exact, self.groups, self.kth)

    def contains(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether each pair (a, b), in either order, is an edge of the graph."""
        keys = self.u * self.n + self.v
        wanted = np.minimum(a, b).astype(np.int64) * self.n + np.maximum(a, b)
        position = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
        return (keys[position] == wanted) if len(keys) else np.zeros(len(a), dtype=bool)


@dataclass
class _SkillArrays:
    """Skill matrices (float32), scaled so that one product gives a fit directly.

    Gaps are sparse (a few per person) and offers denser (an offer also covers its
    cluster), so both products are done as sparse wants x dense offers: single-threaded
    C loops, about as fast as BLAS on an idle machine and much steadier on a busy one.
    """

    offers: np.ndarray  # n x skills, dense: credit-weighted proficiency
    wants: sp.csr_matrix  # n x skills, sparse: priority / the learner's gap norm


@dataclass
class _Columns:
    """The people searched as partners, with their skills laid out for the products."""

    members: np.ndarray  # sorted global indices
    offers_t: np.ndarray  # skills x members, contiguous
    wants: sp.csr_matrix  # members x skills


def generate_candidates(
    profiles: Profiles, k: int | None = DEFAULT_K, exact_limit: int = EXACT_LIMIT
) -> CandidateGraph:
    """Top-k per participant (k=None keeps every eligible pair: the complete graph).

    Up to `exact_limit` participants the top k is exact against everybody. Beyond it the
    cost of looking at all n^2 pairs is too high, so people are split into groups of
    about GROUP_SIZE (see `_groups`) and search for partners within their group only:
    the graph is then labelled approximate (`exact=False`).
    """
    skills = _skill_arrays(profiles)
    groups = _groups(profiles, exact_limit if k is not None else profiles.n)
    kept_u, kept_v, kept_w = [], [], []
    kth = np.full(profiles.n, -1, dtype=np.int64)
    for members in groups:
        columns = _Columns(
            members, np.ascontiguousarray(skills.offers[members].T), skills.wants[members]
        )
        for rows in _row_blocks(members, len(members)):
            a, b, weight, kth[rows] = _block_candidates(profiles, skills, rows, columns, k)
            kept_u.append(np.minimum(a, b))
            kept_v.append(np.maximum(a, b))
            kept_w.append(weight)
    u, v, weight = _undirected_union(kept_u, kept_v, kept_w, profiles.n)
    exact = len(groups) == 1
    return CandidateGraph(profiles.n, u, v, weight, exact, None if exact else groups, kth)


def _skill_arrays(profiles: Profiles) -> _SkillArrays:
    inverse_norm = np.divide(
        1.0, profiles.gap_norm, out=np.zeros(profiles.n), where=profiles.gap_norm > 0
    )
    wants = sp.csr_matrix(profiles.gaps.multiply(inverse_norm[:, None]), dtype=np.float32)
    return _SkillArrays(offers=profiles.offers.toarray().astype(np.float32), wants=wants)


def _groups(profiles: Profiles, exact_limit: int) -> list[np.ndarray]:
    """Everybody as one group, or (above `exact_limit`) seeded random groups of about
    GROUP_SIZE. Random groups keep supply and demand of every skill balanced in each
    group; grouping people by complementary skills instead raised the total score by 5 %
    at n = 100,000 but left 4.7 times more people unmatched (5,725 against 1,212)."""
    n = profiles.n
    if n <= exact_limit:
        return [np.arange(n)]
    order = np.random.default_rng(GROUPING_SEED).permutation(n)
    return [np.sort(part) for part in np.array_split(order, -(-n // GROUP_SIZE))]


def _row_blocks(members: np.ndarray, columns: int):
    rows = max(1, min(MAX_BLOCK_ROWS, BLOCK_BYTES // (4 * max(columns, 1))))
    for start in range(0, len(members), rows):
        yield members[start : start + rows]


def _block_candidates(profiles: Profiles, skills: _SkillArrays, rows, columns: _Columns, k):
    """The top k of each row among `columns` (global indices), exact.

    The products give both fits for every pair (float32), and from them a cheap
    upper bound of each pair's score. Only the pairs that can still reach a row's top k
    are scored in full and checked against the hard rules, from the highest bound down:
    first the pairs above a threshold that about FIRST_PASS_FACTOR * k pairs reach,
    lowering it (WIDENING times more pairs each round) for the rows that do not have k
    eligible partners yet; then, once a row's k-th best score L is known, every pair
    below the last threshold whose bound still reaches L. Pairs left out provably score
    below L.
    """
    # Row teaches column: computed column-major (few gaps per column), then transposed.
    fit_ab = np.ascontiguousarray((columns.wants @ skills.offers[rows].T).T)
    fit_ba = skills.wants[rows] @ columns.offers_t  # column teaches row
    members = columns.members
    bound = _score_upper_bound(profiles.rules, fit_ab, fit_ba)
    _exclude_self(bound, rows, members)
    fits = (fit_ab, fit_ba)
    if k is None:  # every eligible pair
        everyone, low = np.arange(len(rows)), np.full(len(rows), 1e-12, dtype=np.float32)
        local, column, weight = _score_band(profiles, rows, members, bound, everyone, low, fits)
        return rows[local], members[column], weight, np.full(len(rows), -1, dtype=np.int64)
    scored = _Scored()
    pending = np.arange(len(rows))
    wanted = FIRST_PASS_FACTOR * k
    while len(pending):
        threshold = _row_thresholds(bound[pending], wanted)
        if wanted >= len(members):
            threshold[:] = 0  # the last round takes every pair that is left
        threshold = np.maximum(threshold, np.float32(1e-12))
        scored.add(*_score_band(profiles, rows, members, bound, pending, threshold, fits))
        kth = _kth_best(scored, k, len(rows))
        pending = pending[(kth[pending] == 0) & (threshold > np.float32(1e-12))]
        wanted *= WIDENING
    # Pairs not scored yet whose bound still reaches the row's k-th best score.
    floor = np.maximum(kth / SCORE_SCALE - BOUND_SLACK, 1e-12).astype(np.float32)
    everyone = np.arange(len(rows))
    scored.add(*_score_band(profiles, rows, members, bound, everyone, floor, fits))
    top = _top_k_per_row(scored, k, rows, members)
    # A row with fewer than k eligible partners was searched to the end (threshold 0):
    # all of them are in its top k, so nothing of it is left out (-1). Otherwise every
    # pair left out was either scored at most kth or never scored, its bound below kth.
    kth = _kth_best(scored, k, len(rows))  # the final band may have raised it
    cut = np.where(_count_per_row(scored, len(rows)) >= k, kth, -1).astype(np.int64)
    return rows[scored.local[top]], members[scored.column[top]], scored.weight[top], cut


def _score_band(profiles, rows, members, bound, which, low, fits):
    """Scores the pairs of rows `which` whose bound reaches `low`, then sets their bound
    to 0 so that no later round scores them again. Returns (local row, column, weight)
    of the eligible ones."""
    band = bound if len(which) == len(bound) else bound[which]  # all rows: no copy
    local, column = np.nonzero(band >= low[:, None])
    local = which[local]
    bound[local, column] = 0
    keep, weight = _evaluate(
        profiles, rows[local], members[column], fits[0][local, column], fits[1][local, column]
    )
    return local[keep], column[keep], weight


class _Scored:
    """Eligible pairs of a row block scored so far: local row, column position, weight."""

    def __init__(self) -> None:
        self.local = np.zeros(0, dtype=np.int64)
        self.column = np.zeros(0, dtype=np.int64)
        self.weight = np.zeros(0, dtype=np.int64)

    def add(self, local: np.ndarray, column: np.ndarray, weight: np.ndarray) -> None:
        self.local = np.concatenate([self.local, local])
        self.column = np.concatenate([self.column, column])
        self.weight = np.concatenate([self.weight, weight])


def _score_upper_bound(rules, fit_ab: np.ndarray, fit_ba: np.ndarray) -> np.ndarray:
    """An upper bound of every pair's score, in a few in-place float32 passes.

    With T = fit_ab + fit_ba and low = min(fit_ab, fit_ba), the exchange value
    T * (one_way + (1 - one_way) * low / high) is at most one_way * T + 2 (1 - one_way) low
    (because T / high <= 2), and the bonus factor is at most 1 + difference + common;
    the two-way bonus is added wherever both fits are positive.
    """
    weights = rules.weights
    factor = (1 + weights.difference + weights.common_ground) * (1 + 1e-4)
    per_total = weights.one_way * factor
    per_low = 2 * (1 - weights.one_way) * factor
    bound = np.minimum(fit_ab, fit_ba)
    reciprocal = bound > 0 if rules.reciprocity == "required" else None
    if per_total > 0:  # bound = per_total * (T + low * per_low / per_total)
        bound *= np.float32(per_low / per_total)
        bound += fit_ab
        bound += fit_ba
        bound *= np.float32(per_total)
    else:
        bound *= np.float32(per_low)
    if weights.two_way_bonus > 0:  # a pair that teaches both ways may be exactly two-way
        bound += np.float32(weights.two_way_bonus * (1 + 1e-6)) * (np.minimum(fit_ab, fit_ba) > 0)
    if reciprocal is not None:
        bound *= reciprocal  # one-way pairs are not eligible at all: their bound is zero
    return bound


def _exclude_self(bound: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> None:
    """Nobody pairs with themselves (rows and columns are sorted global indices)."""
    position = np.minimum(np.searchsorted(columns, rows), len(columns) - 1)
    own = np.flatnonzero(columns[position] == rows)
    bound[own, position[own]] = 0


def _row_thresholds(bound: np.ndarray, wanted: int) -> np.ndarray:
    """Per row, a value that about `wanted` entries reach, estimated on a column sample."""
    columns = bound.shape[1]
    sample = bound[:, np.linspace(0, columns - 1, min(columns, SAMPLE_COLUMNS)).astype(int)]
    rank = min(sample.shape[1] - 1, max(0, int(np.ceil(wanted * sample.shape[1] / columns))))
    return -np.partition(-sample, rank, axis=1)[:, rank]


def _kth_best(scored: _Scored, k: int, rows: int) -> np.ndarray:
    """Each row's k-th best weight among the scored eligible pairs (0 if fewer than k)."""
    order, rank = _rank_in_rows(scored)
    kth = np.zeros(rows, dtype=np.float64)
    at_k = order[rank == k - 1]
    kth[scored.local[at_k]] = scored.weight[at_k]
    return kth


def _count_per_row(scored: _Scored, rows: int) -> np.ndarray:
    return np.bincount(scored.local, minlength=rows)


def _top_k_per_row(scored: _Scored, k: int, rows: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Indices of the k heaviest pairs of each row; ties broken by `tie_order`."""
    tie = tie_order(rows[scored.local], members[scored.column])
    order, rank = _rank_in_rows(scored, tie)
    return order[rank < k]


TIE_MULTIPLIERS = (0x9E3779B1, 0x85EBCA77)  # odd: each row's tie order is a permutation


def tie_order(person: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """Where `partner` ranks among `person`'s equally scored partners (lower first).

    Breaking ties by index gave everyone the same few partners: with 100 people of equal
    scores, all top-k lists held the same 20 people, and only 40 pairs were possible.
    Here each person sees the partners in the same scrambled cyclic order, but starting
    at a different place, so equal scores spread over everyone. For a fixed person the
    map is a bijection of the partners' indices (odd multiplier modulo a power of two),
    so the order is total and the same input always gives the same graph.
    """
    bits = max(int(partner.max(initial=0)).bit_length(), 1)
    mixed = (
        partner.astype(np.int64) * TIE_MULTIPLIERS[0]
        + person.astype(np.int64) * (TIE_MULTIPLIERS[1])
    )
    return mixed & ((1 << bits) - 1)


def _rank_in_rows(scored: _Scored, tie: np.ndarray | None = None):
    """The pairs ordered by row, heaviest first, then by `tie` (default: the column); and
    each one's rank in its row. One argsort of a packed integer key when it fits in 63
    bits (much faster than a three-key lexsort), else the lexsort."""
    local, weight = scored.local, scored.weight
    tie = scored.column if tie is None else tie
    column_bits = int(max(tie.max(initial=0), scored.column.max(initial=0))).bit_length()
    weight_bits = int(weight.max(initial=0)).bit_length()
    row_bits = int(local.max(initial=0)).bit_length()
    if column_bits + weight_bits + row_bits <= 63:
        lighter = (1 << weight_bits) - 1 - weight  # heaviest first
        key = (local << (weight_bits + column_bits)) | (lighter << column_bits) | tie
        order = np.argsort(key)
    else:
        order = np.lexsort((tie, -weight, local))
    sorted_rows = local[order]
    rank = np.arange(len(order)) - np.searchsorted(sorted_rows, sorted_rows, side="left")
    return order, rank


def _evaluate(profiles: Profiles, a, b, fit_ab, fit_ba):
    """Full score and hard rules for pairs (a, b) with their float32 fits: returns the
    mask of eligible pairs and their weights."""
    if profiles.gap_norm.max(initial=0) <= MAX_RECOVERABLE_NORM:
        fit_ab = _exact_fit(fit_ab, profiles.gap_norm[b])
        fit_ba = _exact_fit(fit_ba, profiles.gap_norm[a])
    else:
        fit_ab, fit_ba = fits(profiles, a, b)
    evaluation = evaluate_pairs(profiles, a, b, fit_ab, fit_ba, score_ineligible=False)
    keep = evaluation.eligible
    return keep, evaluation.weight[keep]


def _exact_fit(approximate: np.ndarray, norm: np.ndarray) -> np.ndarray:
    """The exact fit from its float32 value: fit * norm is an integer numerator (sums of
    offer values times priorities) and the float32 error is far below 0.5 for norms up
    to MAX_RECOVERABLE_NORM, so rounding recovers it exactly."""
    numerators = np.rint(approximate.astype(np.float64) * norm)
    return normalise_fit(numerators, norm)


def price_left_out(
    profiles: Profiles, graph: CandidateGraph, prices: np.ndarray, margin: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every eligible pair outside the graph that the dual prices do not cover: weight w
    with 2 w + margin > prices[a] + prices[b] (see `solver.prices_from_cover`). Returns
    them as edges (u < v, weight); none means the solver's certificate holds for all
    eligible pairs, not just for the candidates.

    A pair left out weighs at most min(kth[a], kth[b]) <= (kth[a] + kth[b]) / 2, so it
    can only be uncovered if surplus[a] + surplus[b] < margin, with surplus = price -
    kth: one of its people has a surplus below margin / 2. Only those people are scored,
    against the people whose surplus still allows it; the others are proven covered
    without scoring a single pair. The scoring itself is the candidate search's: a cheap
    float32 bound first, the exact score and the hard rules for the pairs that pass it.
    """
    empty = np.zeros(0, dtype=np.int64)
    if graph.kth is None or not graph.exact:
        raise ValueError("pricing needs the exact top-k cut of every person")
    kth, prices = graph.kth, np.asarray(prices, dtype=np.int64)
    open_ = kth >= 0  # -1: every eligible partner of the person is in the graph already
    surplus = prices - kth
    rows = np.flatnonzero(open_ & (2 * surplus < margin))
    if len(rows) == 0:
        return empty, empty, empty
    columns = np.flatnonzero(open_ & (surplus < margin - surplus[rows].min()))
    skills = _skill_arrays(profiles)
    found = [(empty, empty, empty)]
    for start in range(0, len(rows), MAX_BLOCK_ROWS):
        block = rows[start : start + MAX_BLOCK_ROWS]
        found.append(_price_block(profiles, skills, graph, prices, margin, block, columns))
    u, v, weight = (np.concatenate(part) for part in zip(*found, strict=True))
    return _undirected_union([u], [v], [weight], graph.n)


def _price_block(profiles, skills: _SkillArrays, graph, prices, margin, rows, columns):
    """The uncovered left-out pairs between `rows` and `columns` (global indices)."""
    kth = graph.kth
    results = []
    chunk = max(1, PRICING_PAIRS // max(len(rows), 1))  # bounds the memory of a chunk
    for start in range(0, len(columns), chunk):
        cols = columns[start : start + chunk]
        fit_ab = np.ascontiguousarray((skills.wants[cols] @ skills.offers[rows].T).T)
        fit_ba = skills.wants[rows] @ np.ascontiguousarray(skills.offers[cols].T)
        bound = _score_upper_bound(profiles.rules, fit_ab, fit_ba)
        _exclude_self(bound, rows, cols)
        # Uncovered needs w > (prices[a] + prices[b] - margin) / 2 and w <= kth of both.
        need = (prices[rows][:, None] + prices[cols][None, :] - margin) / 2
        cap = np.minimum(kth[rows][:, None], kth[cols][None, :])
        possible = (cap > need) & (bound >= need / SCORE_SCALE - BOUND_SLACK)
        local, column = np.nonzero(possible)
        a, b = rows[local], cols[column]
        outside = ~graph.contains(a, b)
        local, column, a, b = local[outside], column[outside], a[outside], b[outside]
        keep, weight = _evaluate(profiles, a, b, fit_ab[local, column], fit_ba[local, column])
        a, b = a[keep], b[keep]
        uncovered = 2 * weight + margin > prices[a] + prices[b]
        a, b, weight = a[uncovered], b[uncovered], weight[uncovered]
        results.append((np.minimum(a, b), np.maximum(a, b), weight))
    return tuple(np.concatenate(part) for part in zip(*results, strict=True))


def diagnose(
    profiles: Profiles, people: np.ndarray, groups: list[np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """For some participants (those left unmatched): how many others they were checked
    against, how many have any skill exchange with them, how many are eligible, and how
    many each rule excluded.

    They are checked against everybody, or with approximate candidates against their own
    group (the people they could have been paired with). A chunk of people at a time:
    the fits come from sparse x dense products, exact in float64 (integer sums), so the
    outcome is the same as scoring each pair on its own.
    """
    people = np.asarray(people, dtype=np.int64)
    names = (*RULE_NAMES, "exchange", "eligible", "others")
    result = {name: np.zeros(len(people), dtype=np.int64) for name in names}
    for members in groups or [np.arange(profiles.n)]:
        positions = np.flatnonzero(np.isin(people, members))
        per_chunk = max(1, DIAGNOSE_PAIRS // max(len(members), 1))
        for start in range(0, len(positions), per_chunk):
            chunk = positions[start : start + per_chunk]
            for name, counts in _diagnose_chunk(profiles, people[chunk], members).items():
                result[name][chunk] = counts
    return result


def _diagnose_chunk(profiles: Profiles, chunk: np.ndarray, members: np.ndarray):
    a = np.repeat(chunk, len(members))
    b = np.tile(members, len(chunk))
    fit_ab, fit_ba = _fits_against(profiles, chunk, members)
    evaluation = evaluate_pairs(profiles, a, b, fit_ab, fit_ba, score_ineligible=False)
    exchange = ((fit_ab > 0) | (fit_ba > 0)) & (a != b)
    counts = {
        "exchange": _count_per_person(exchange, len(chunk)),
        "eligible": _count_per_person(evaluation.eligible, len(chunk)),
        "others": np.full(len(chunk), len(members) - 1, dtype=np.int64),
    }
    for name, mask in evaluation.failures.items():
        counts[name] = _count_per_person(mask & exchange, len(chunk))
    return counts


def _fits_against(profiles: Profiles, chunk: np.ndarray, members: np.ndarray):
    """fit(person -> member) and fit(member -> person), flattened person by person."""
    taught = profiles.gaps[members] @ profiles.offers[chunk].toarray().T  # members x chunk
    teaching = profiles.offers[members] @ profiles.gaps[chunk].toarray().T
    norm = profiles.gap_norm
    fit_ab = normalise_fit(taught.T.ravel(), np.tile(norm[members], len(chunk)))
    fit_ba = normalise_fit(teaching.T.ravel(), np.repeat(norm[chunk], len(members)))
    return fit_ab, fit_ba


def _count_per_person(mask: np.ndarray, people: int) -> np.ndarray:
    return mask.reshape(people, -1).sum(axis=1)


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
