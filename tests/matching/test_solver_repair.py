"""The reduced-cost repair (odd cycles of the relaxation) against networkx's blossom."""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from twoway.matching.solver import solve


def _networkx_best(n: int, edges: list[tuple[int, int, int]]) -> int:
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(edges)
    return sum(graph[a][b]["weight"] for a, b in nx.max_weight_matching(graph))


@st.composite
def tied_graphs(draw):
    """Small graphs whose weights tie a lot (a bonus-like step plus a few small values),
    the kind that leaves odd cycles in the assignment relaxation."""
    n = draw(st.integers(3, 14))
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=3 * n, unique=True))
    weights = draw(
        st.lists(
            st.sampled_from([1_000, 1_001, 2_000_000, 2_000_001, 2_000_500]),
            min_size=len(chosen),
            max_size=len(chosen),
        )
    )
    return n, [(a, b, w) for (a, b), w in zip(chosen, weights, strict=True)]


@settings(max_examples=300, deadline=None)
@given(tied_graphs())
# Found by this test: a repair where no walk step exists at all once crashed.
@example(
    (
        5,
        [
            (0, 2, 1000),
            (0, 3, 1000),
            (2, 3, 1000),
            (0, 1, 2000000),
            (2, 4, 1000),
            (3, 4, 1001),
            (0, 4, 2000500),
        ],
    )
)
def test_the_solver_is_optimal_and_honest_on_tied_graphs(case):
    n, edges = case
    u, v, w = (np.array(column, dtype=np.int64) for column in zip(*edges, strict=True))
    solution = solve(n, u, v, w)
    best = _networkx_best(n, edges)
    assert solution.optimal
    assert solution.total == best
    assert solution.upper_bound >= best
    ends = np.concatenate([u[solution.edges], v[solution.edges]])
    assert len(np.unique(ends)) == len(ends)  # a matching


def test_a_chain_of_triangles_goes_through_the_repair_and_stays_optimal():
    """Triangles of equal two-way-like pairs joined by weaker edges: the relaxation
    takes each triangle as a half-integral odd cycle, the repair must fix them."""
    edges = []
    for t in range(12):
        a, b, c = 3 * t, 3 * t + 1, 3 * t + 2
        edges += [(a, b, 2_000_000), (b, c, 2_000_000), (a, c, 2_000_000)]
        if t:
            edges.append((3 * t - 1, a, 1_000 + t))
    n = 36
    u, v, w = (np.array(column, dtype=np.int64) for column in zip(*edges, strict=True))
    solution = solve(n, u, v, w)
    assert "repair" in solution.solver or solution.certificate == "exact"
    assert solution.optimal
    assert solution.total == _networkx_best(n, edges)
