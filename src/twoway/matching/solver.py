"""Exact maximum-weight matching, certified, with capacities.

The road (see docs/matching.md, "Solver"):

1. Capacities become node copies (a person with capacity c is c nodes). A pair of two
   people who both have capacity > 1 goes through a small gadget so that the pair is
   used at most once.
2. The assignment relaxation on the bipartite double cover (every node on both sides,
   each edge in both directions, a zero-weight "stay unmatched" self-edge) is solved
   with scipy's sparse LAPJV. Its value A is twice an upper bound of the matching.
   Its permutation is mostly 2-cycles (pairs); even cycles split into pairs without loss.
3. If the pairs reach A/2 the matching is optimal, and the bound proves it.
4. Otherwise (odd cycles), we recover the LP duals from the permutation with a
   vectorised Bellman-Ford, check them (exact integers), and use reduced costs: any
   better matching uses only edges whose reduced cost is below the gap, and those edges
   fall into small connected components, each solved exactly by a blossom algorithm
   (rustworkx). The result is optimal, and the duals prove it.
5. If the duals cannot be recovered, the whole graph goes to rustworkx (exact) when it
   is small enough; beyond that the answer is reported with its certified gap.

All weights are integers (micro-points), so every comparison above is exact.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import rustworkx as rx
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

EXACT_LIMIT = 20_000  # nodes: up to here an uncertified result falls back to exact blossom
COMPONENT_LIMIT = 4_000  # nodes: beyond EXACT_LIMIT, bigger reduced components stay heuristic
BELLMAN_FORD_ROUNDS = 2_000
FLOAT_EXACT = 2**52  # scipy works in float64: integers below this stay exact


@dataclass
class Solution:
    """Matched edges (indices into the input edge arrays) and the certificate."""

    edges: np.ndarray
    total: int
    upper_bound: float
    optimal: bool
    certificate: str  # "bound" | "lp-duals" | "exact" | "none"
    solver: str


@dataclass
class _Graph:
    """A capacity-1 graph: nodes 0..n-1, undirected edges (u, v, w) with integer w."""

    n: int
    u: np.ndarray
    v: np.ndarray
    w: np.ndarray


def solve(
    n: int,
    u: np.ndarray,
    v: np.ndarray,
    weight: np.ndarray,
    capacity: np.ndarray | None = None,
    *,
    participation: bool = False,
    exact_limit: int = EXACT_LIMIT,
) -> Solution:
    """Maximum-weight b-matching of the graph (each edge used at most once).

    With `participation`, first the most people matched, then the largest weight.
    """
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    weight = np.asarray(weight, dtype=np.int64)
    capacity = np.ones(n, dtype=np.int64) if capacity is None else np.asarray(capacity)
    expanded = _expand(n, u, v, weight, capacity, participation)
    matched, upper2, certificate, solver = _solve_simple(expanded.graph, exact_limit)
    chosen = expanded.decode(matched)
    total = int(weight[chosen].sum())
    # Translate the bound on the expanded objective back to the pair weights.
    offset = expanded.offset + expanded.bonus_half * expanded.people_matched(matched)
    upper_bound = (upper2 / 2 - offset) if upper2 is not None else float("nan")
    optimal = certificate != "none"
    if optimal:
        upper_bound = max(upper_bound, float(total))
    return Solution(chosen, total, upper_bound, optimal, certificate, solver)


# --- capacities -------------------------------------------------------------------------


@dataclass
class _Expanded:
    graph: _Graph
    edge_of: np.ndarray  # expanded edge -> input edge, or -1 for gadget-internal edges
    gadget_of: np.ndarray  # expanded edge -> gadget id (pairs of two multi-capacity people)
    gadget_edge: np.ndarray  # gadget id -> input edge
    gadget_sides: int  # gadget "used" needs both side edges matched
    offset: int  # weight every gadget contributes when its pair is not used
    bonus_half: int  # participation bonus per matched first copy
    first_copy: np.ndarray  # node -> True for the first copy of a person

    def decode(self, matched: np.ndarray) -> np.ndarray:
        direct = self.edge_of[matched]
        direct = direct[direct >= 0]
        gadget = self.gadget_of[matched]
        gadget = gadget[gadget >= 0]
        ids, counts = np.unique(gadget, return_counts=True)
        used = self.gadget_edge[ids[counts == 2]]
        return np.sort(np.concatenate([direct, used]))

    def people_matched(self, matched: np.ndarray) -> int:
        ends = np.concatenate([self.graph.u[matched], self.graph.v[matched]])
        return int(self.first_copy[ends].sum())


def _expand(n, u, v, weight, capacity, participation) -> _Expanded:
    capacity = np.maximum(np.asarray(capacity, dtype=np.int64), 1)
    first = np.concatenate([[0], np.cumsum(capacity)[:-1]]).astype(np.int64)
    total_copies = int(capacity.sum())
    bonus_half = 0
    if participation and len(weight):
        best = np.zeros(n, dtype=np.int64)
        np.maximum.at(best, u, weight)
        np.maximum.at(best, v, weight)
        # Pairing one more person must beat any possible loss of score.
        bonus_half = int((capacity * best).sum()) // 2 + 1
    is_multi = capacity > 1
    gadget_mask = is_multi[u] & is_multi[v]
    eu, ev, ew, edge_of, gadget_of = [], [], [], [], []
    # Pairs where at least one side has capacity 1: connect every copy pair directly.
    direct = np.flatnonzero(~gadget_mask)
    for count_u in np.unique(capacity[u[direct]]):
        for count_v in np.unique(capacity[v[direct]]):
            sel = direct[(capacity[u[direct]] == count_u) & (capacity[v[direct]] == count_v)]
            if len(sel) == 0:
                continue
            for cu in range(int(count_u)):
                for cv in range(int(count_v)):
                    eu.append(first[u[sel]] + cu)
                    ev.append(first[v[sel]] + cv)
                    bonus = bonus_half * ((cu == 0) + (cv == 0))
                    ew.append(weight[sel] + bonus)
                    edge_of.append(sel)
                    gadget_of.append(np.full(len(sel), -1))
    # Pairs of two multi-capacity people: copy_u - g_u - g_v - copy_v. Using the pair
    # means matching both side edges, not using it means matching the middle edge; the
    # weights make "used" worth exactly the pair's weight (plus participation bonuses)
    # more than "unused", and make a half-used gadget never better than "unused" (the
    # `guard` outweighs the participation bonus a half-used gadget would collect).
    gadgets = np.flatnonzero(gadget_mask)
    guard = 2 * bonus_half
    g_u = total_copies + 2 * np.arange(len(gadgets))
    g_v = g_u + 1
    for side_nodes, people in ((g_u, u[gadgets]), (g_v, v[gadgets])):
        for copy in range(int(capacity.max(initial=1))):
            has = capacity[people] > copy
            eu.append(first[people[has]] + copy)
            ev.append(side_nodes[has])
            ew.append(weight[gadgets[has]] + guard + (bonus_half if copy == 0 else 0))
            edge_of.append(np.full(int(has.sum()), -1))
            gadget_of.append(np.arange(len(gadgets))[has])
    eu.append(g_u)
    ev.append(g_v)
    ew.append(weight[gadgets] + 2 * guard)
    edge_of.append(np.full(len(gadgets), -1))
    gadget_of.append(np.full(len(gadgets), -1))
    nodes = total_copies + 2 * len(gadgets)
    first_copy = np.zeros(nodes, dtype=bool)
    first_copy[first] = True
    graph = _Graph(
        nodes,
        np.concatenate(eu).astype(np.int64),
        np.concatenate(ev).astype(np.int64),
        np.concatenate(ew).astype(np.int64),
    )
    return _Expanded(
        graph=graph,
        edge_of=np.concatenate(edge_of).astype(np.int64),
        gadget_of=np.concatenate(gadget_of).astype(np.int64),
        gadget_edge=gadgets,
        gadget_sides=2,
        offset=int((weight[gadgets] + 2 * guard).sum()),
        bonus_half=bonus_half,
        first_copy=first_copy,
    )


# --- the capacity-1 solver --------------------------------------------------------------


def _solve_simple(graph: _Graph, exact_limit: int):
    """Returns (matched edge indices, 2 * upper bound or None, certificate, solver)."""
    if len(graph.w) == 0:
        return np.zeros(0, dtype=np.int64), 0, "bound", "trivial"
    max_w = int(graph.w.max())
    if (max_w + 1) * (graph.n + 1) >= FLOAT_EXACT:
        return _exact_whole(graph), None, "exact", "rustworkx (weights too large for LAPJV)"
    weights = _symmetric(graph, graph.w)
    sigma = _relaxation(graph, weights, max_w + 1)
    doubled = int(np.asarray(weights[np.arange(graph.n), sigma]).ravel().sum())
    matched = _matching_from_permutation(graph, weights, sigma)
    total = int(graph.w[matched].sum())
    if 2 * total == doubled:
        return matched, doubled, "bound", "relaxation"
    repaired = _local_repair(graph, weights, sigma, matched)
    if int(graph.w[repaired].sum()) > total:
        matched, total = repaired, int(graph.w[repaired].sum())
        if 2 * total == doubled:
            return matched, doubled, "bound", "relaxation + local repair"
    duals = _duals(graph, weights, sigma, max_w + 1)
    if duals is not None:
        limit = graph.n if graph.n <= exact_limit else COMPONENT_LIMIT
        improved, complete = _reduced_cost_repair(graph, duals, doubled - 2 * total, limit)
        if int(graph.w[improved].sum()) > total:
            matched = improved
        if complete or graph.n <= exact_limit:
            if not complete:
                return _exact_whole(graph), doubled, "exact", "rustworkx fallback"
            return matched, doubled, "lp-duals", "relaxation + reduced-cost repair"
        return matched, doubled, "none", "relaxation + partial repair"
    if graph.n <= exact_limit:
        return _exact_whole(graph), doubled, "exact", "rustworkx fallback"
    return matched, doubled, "none", "relaxation"


def _symmetric(graph: _Graph, values: np.ndarray) -> sp.csr_matrix:
    rows = np.concatenate([graph.u, graph.v])
    cols = np.concatenate([graph.v, graph.u])
    data = np.concatenate([values, values])
    return sp.csr_matrix((data, (rows, cols)), shape=(graph.n, graph.n), dtype=np.int64)


def _cost_matrix(graph: _Graph, weights: sp.csr_matrix, big: int) -> sp.csr_matrix:
    """Costs big - w (strictly positive) plus the self-edge "stay unmatched" at cost big."""
    costs = weights.copy()
    costs.data = big - costs.data
    costs = (costs + sp.identity(graph.n, dtype=np.int64, format="csr") * big).tocsr()
    costs.sort_indices()
    return costs


def _relaxation(graph: _Graph, weights: sp.csr_matrix, big: int) -> np.ndarray:
    costs = _cost_matrix(graph, weights, big).astype(np.float64)
    rows, cols = min_weight_full_bipartite_matching(costs)
    sigma = np.empty(graph.n, dtype=np.int64)
    sigma[rows] = cols
    return sigma


def _matching_from_permutation(graph: _Graph, weights: sp.csr_matrix, sigma: np.ndarray):
    """Pairs from 2-cycles; longer cycles split into their best alternating pairs."""
    n = graph.n
    nodes = np.arange(n)
    two_cycle = (sigma[sigma] == nodes) & (sigma != nodes)
    pairs = [np.stack([nodes[two_cycle & (nodes < sigma)], sigma[two_cycle & (nodes < sigma)]])]
    on_long_cycle = (sigma != nodes) & ~two_cycle
    seen = np.zeros(n, dtype=bool)
    for start in np.flatnonzero(on_long_cycle):
        if seen[start]:
            continue
        cycle = [int(start)]
        seen[start] = True
        node = int(sigma[start])
        while node != start:
            cycle.append(node)
            seen[node] = True
            node = int(sigma[node])
        pairs.append(_best_alternation(cycle, weights))
    u, v = np.concatenate(pairs, axis=1) if pairs else (np.zeros(0), np.zeros(0))
    return _edge_indices(graph, np.minimum(u, v), np.maximum(u, v))


def _best_alternation(cycle: list[int], weights: sp.csr_matrix) -> np.ndarray:
    """The heaviest set of alternate consecutive pairs along a cycle (one node left out
    when the length is odd)."""
    length = len(cycle)
    best, best_pairs = -1, np.zeros((2, 0), dtype=np.int64)
    for shift in range(length if length % 2 else 2):
        rotated = cycle[shift:] + cycle[:shift]
        a = np.array(rotated[0 : length - 1 : 2])
        b = np.array(rotated[1:length:2])
        a, b = a[: len(b)], b
        value = int(np.asarray(weights[a, b]).sum()) if len(a) else 0
        if value > best:
            best, best_pairs = value, np.stack([a, b])
    return best_pairs


def _edge_indices(graph: _Graph, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Indices of edges (a, b) in the graph (a and b given in either order)."""
    keys = np.minimum(graph.u, graph.v) * graph.n + np.maximum(graph.u, graph.v)
    order = np.argsort(keys, kind="stable")
    wanted = np.minimum(a, b).astype(np.int64) * graph.n + np.maximum(a, b)
    return np.sort(order[np.searchsorted(keys[order], wanted)])


def _local_repair(graph: _Graph, weights: sp.csr_matrix, sigma: np.ndarray, matched):
    """Exact matching on the neighbourhood of the cycles that are not pairs.

    The region is the nodes of longer cycles, their neighbours, and the current partners
    of all of those, so no kept pair crosses its border: outside it the pairs stay, inside
    it a blossom algorithm finds the best matching. A heuristic step (it makes the gap to
    the bound small); the proof comes from the bound or the duals afterwards.
    """
    nodes = np.arange(graph.n)
    two_cycle = (sigma[sigma] == nodes) & (sigma != nodes)
    region = (sigma != nodes) & ~two_cycle
    if not region.any():
        return matched
    adjacency = (weights != 0).astype(np.int8)
    neighbours = np.asarray(adjacency[np.flatnonzero(region)].sum(axis=0)).ravel() > 0
    region |= neighbours
    partner = np.full(graph.n, -1, dtype=np.int64)
    partner[graph.u[matched]] = graph.v[matched]
    partner[graph.v[matched]] = graph.u[matched]
    closure = partner[region & (partner >= 0)]
    region[closure] = True
    inside = np.flatnonzero(region[graph.u] & region[graph.v])
    outside = matched[~region[graph.u[matched]]]
    return np.sort(np.concatenate([outside, _exact_edges(graph, inside)]))


# --- dual certificate and reduced-cost repair ------------------------------------------


def _duals(graph: _Graph, weights: sp.csr_matrix, sigma: np.ndarray, big: int):
    """2 * the fractional vertex cover y proven by the assignment, or None.

    For the min-cost assignment with costs c, potentials u (rows) and v (columns) with
    u_i + v_j <= c_ij and equality on the permutation are shortest-path distances in the
    graph with arcs sigma(i) -> j of length c_ij - c_i,sigma(i). Then Y_i = big - u_i - v_i
    satisfies Y_i + Y_j >= 2 w_ij and Y_i >= 0, with sum(Y) = A. Everything is checked
    with exact integers before it is used.
    """
    costs = _cost_matrix(graph, weights, big)
    rows = np.repeat(np.arange(graph.n), np.diff(costs.indptr))
    cols = costs.indices.astype(np.int64)
    cost = costs.data.astype(np.int64)
    own = np.asarray(costs[np.arange(graph.n), sigma]).ravel().astype(np.int64)
    source = sigma[rows]
    length = cost - own[rows]
    order = np.argsort(cols, kind="stable")
    source, target, length = source[order], cols[order], length[order]
    starts = np.flatnonzero(np.r_[True, target[1:] != target[:-1]])
    if len(starts) != graph.n:
        return None
    potential = np.zeros(graph.n, dtype=np.int64)
    for _ in range(BELLMAN_FORD_ROUNDS):
        relaxed = np.minimum(potential, np.minimum.reduceat(potential[source] + length, starts))
        if np.array_equal(relaxed, potential):
            break
        potential = relaxed
    else:
        return None
    row_potential = own - potential[sigma]
    doubled_cover = big - row_potential - potential
    reduced = doubled_cover[graph.u] + doubled_cover[graph.v] - 2 * graph.w
    doubled = int(np.asarray(weights[np.arange(graph.n), sigma]).ravel().sum())
    if (reduced < 0).any() or (doubled_cover < 0).any() or int(doubled_cover.sum()) != doubled:
        return None
    return reduced


def _reduced_cost_repair(graph: _Graph, reduced: np.ndarray, gap2: int, component_limit: int):
    """Exact matching on the edges that could belong to a better matching.

    A matching M satisfies 2 * (bound - w(M)) = sum of reduced costs of its edges + sum of
    Y over its unmatched nodes (all terms >= 0). So a matching better than the current one
    only uses edges with reduced cost < gap2, and the best matching on that subgraph,
    solved exactly component by component, is the optimum. Returns (matching, complete);
    complete is False when a component was too big to solve exactly.
    """
    keep = np.flatnonzero(reduced < gap2)
    if len(keep) == 0:
        return np.zeros(0, dtype=np.int64), True
    sub = sp.csr_matrix(
        (np.ones(len(keep)), (graph.u[keep], graph.v[keep])), shape=(graph.n, graph.n)
    )
    _, label = connected_components(sub, directed=False)
    edge_label = label[graph.u[keep]]
    order = np.argsort(edge_label, kind="stable")
    keep, edge_label = keep[order], edge_label[order]
    bounds = np.flatnonzero(np.r_[True, edge_label[1:] != edge_label[:-1], True])
    matched, complete = [], True
    for start, stop in itertools.pairwise(bounds):
        edges = keep[start:stop]
        if len(edges) == 1:
            matched.append(edges)
            continue
        nodes = np.unique(np.concatenate([graph.u[edges], graph.v[edges]]))
        if len(nodes) > component_limit:
            complete = False
            continue
        matched.append(_exact_edges(graph, edges))
    result = np.sort(np.concatenate(matched)) if matched else np.zeros(0, dtype=np.int64)
    return result, complete


def _exact_edges(graph: _Graph, edges: np.ndarray) -> np.ndarray:
    """rustworkx's exact blossom on a subset of edges; returns the matched edge indices."""
    nodes, local = np.unique(np.concatenate([graph.u[edges], graph.v[edges]]), return_inverse=True)
    local_u, local_v = local[: len(edges)], local[len(edges) :]
    subgraph = rx.PyGraph()
    subgraph.add_nodes_from(range(len(nodes)))
    subgraph.add_edges_from(
        list(zip(local_u.tolist(), local_v.tolist(), graph.w[edges].tolist(), strict=True))
    )
    pairs = rx.max_weight_matching(subgraph, weight_fn=int)
    if not pairs:
        return np.zeros(0, dtype=np.int64)
    found = np.array(sorted(pairs), dtype=np.int64)
    return _edge_indices(graph, nodes[found[:, 0]], nodes[found[:, 1]])


def _exact_whole(graph: _Graph) -> np.ndarray:
    return _exact_edges(graph, np.arange(len(graph.w)))


# --- baselines (benchmarks and tests) ---------------------------------------------------


def greedy_matching(
    n: int, u: np.ndarray, v: np.ndarray, weight: np.ndarray, capacity: np.ndarray | None = None
) -> np.ndarray:
    """Heaviest edge first while both ends have room: the baseline to beat."""
    room = np.ones(n, dtype=np.int64) if capacity is None else np.array(capacity, dtype=np.int64)
    chosen = []
    for edge in np.lexsort((v, u, -np.asarray(weight))).tolist():
        a, b = int(u[edge]), int(v[edge])
        if room[a] > 0 and room[b] > 0:
            room[a] -= 1
            room[b] -= 1
            chosen.append(edge)
    return np.array(sorted(chosen), dtype=np.int64)
