"""Stable roommates (Irving, 1985), with incomplete preference lists.

`stable_roommates` returns a stable matching when one exists. When none exists it
says so, and returns the matching with the fewest blocking pairs that it found, with
those pairs listed: every matching is tried for small instances; otherwise Irving's
algorithm runs on, leaving out whoever it finds without a partner, and a seeded local
search then satisfies blocking pairs one at a time, keeping only the moves that do not
add blocking pairs, for at most `seconds`.

The work is linear in the total length of the lists (pointers that only move one way,
and each entry is deleted once); the local search updates the blocking pairs of the few
people a move touches instead of recounting them all.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

EXHAUSTIVE_LIMIT = 10  # people with a non-empty list: up to here, search every matching
LOCAL_SEARCH_ROUNDS = 5_000  # moves tried at most: the same seed gives the same result
SEARCH_SECONDS = 2.0  # the local search stops after this long, whatever the rounds left
MAX_RESTARTS = 1_000  # Irving re-runs after leaving someone out, at most


@dataclass
class StableResult:
    partner: list[int]  # -1 when unmatched
    stable: bool
    blocking_pairs: list[tuple[int, int]]


class _Table:
    """Preference lists with symmetric deletion, as in Irving's paper.

    Entry r of person i's list is alive while neither side has deleted it. `low` and
    `high` point at i's first and last alive entries and only move inwards, so finding
    either costs, over the whole run, no more than the length of the list.
    """

    def __init__(self, lists: Sequence[Sequence[int]]) -> None:
        self.lists = [list(p) for p in lists]
        self.rank = [{x: r for r, x in enumerate(p)} for p in self.lists]
        self.alive = [[True] * len(p) for p in self.lists]
        self.count = [len(p) for p in self.lists]
        self.low = [0] * len(self.lists)
        self.high = [len(p) - 1 for p in self.lists]
        self.next_low = [1] * len(self.lists)  # where the search for a second choice starts
        self.emptied: list[int] = []  # people whose list ran out since the last check

    def remove(self, i: int, j: int) -> None:
        r = self.rank[i][j]
        if not self.alive[i][r]:
            return
        self.alive[i][r] = False
        self.alive[j][self.rank[j][i]] = False
        for person in (i, j):
            self.count[person] -= 1
            if self.count[person] == 0:
                self.emptied.append(person)

    def first(self, i: int) -> int:
        alive, r = self.alive[i], self.low[i]
        while not alive[r]:
            r += 1
        self.low[i] = r
        return self.lists[i][r]

    def second(self, i: int) -> int:
        self.first(i)
        alive, r = self.alive[i], max(self.next_low[i], self.low[i] + 1)
        while not alive[r]:
            r += 1
        self.next_low[i] = r
        return self.lists[i][r]

    def last(self, i: int) -> int:
        alive, r = self.alive[i], self.high[i]
        while not alive[r]:
            r -= 1
        self.high[i] = r
        return self.lists[i][r]

    def reject_after(self, i: int, keep: int) -> None:
        """i drops everyone it likes less than `keep`."""
        cutoff = self.rank[i][keep]
        for r in range(self.high[i], cutoff, -1):
            if self.alive[i][r]:
                self.remove(i, self.lists[i][r])
        self.high[i] = min(self.high[i], cutoff)


def mutual_lists(prefs: Sequence[Sequence[int]]) -> list[list[int]]:
    """Keep j on i's list only if i is on j's list (and drop self and repeats)."""
    n = len(prefs)
    lengths = np.array([len(p) for p in prefs], dtype=np.int64)
    owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
    other = np.fromiter(itertools.chain.from_iterable(prefs), np.int64, int(lengths.sum()))
    keys = owner * n + other
    _, first = np.unique(keys, return_index=True)  # the first mention of each pair
    kept = np.zeros(len(keys), dtype=bool)
    kept[first] = True
    kept &= (owner != other) & np.isin(other * n + owner, keys)
    if n == 0:
        return []
    bounds = np.cumsum(np.bincount(owner[kept], minlength=n))[:-1]
    return [part.tolist() for part in np.split(other[kept], bounds)]


def stable_roommates(
    prefs: Sequence[Sequence[int]], seed: int = 0, seconds: float = SEARCH_SECONDS
) -> StableResult:
    """A stable matching, or (when none exists) one with few blocking pairs.

    `seconds` bounds the search for few blocking pairs; with the default the answer
    comes within a few seconds for 1,000 people with complete lists.
    """
    lists = mutual_lists(prefs)
    partner, left_out = _irving(lists)
    if not left_out:
        return StableResult(partner, True, [])
    if sum(1 for p in lists if p) <= EXHAUSTIVE_LIMIT:
        partner = _exhaustive(lists, [i for i in range(len(lists)) if lists[i]])
    else:
        partner = _local_search(lists, partner, seed, seconds)
    return StableResult(partner, False, blocking_pairs(lists, partner))


def _irving(lists: list[list[int]]) -> tuple[list[int], list[int]]:
    """Irving's algorithm. Returns the partners and who was left out: nobody when the
    matching is stable. If a list runs out in phase two, no stable matching exists; that
    person is left out, and the proposals of phase one run again on the reduced table
    (cheap: lists only shrink) before phase two goes on. What comes out is then a
    matching with few blocking pairs, not a stable one."""
    table = _Table(lists)
    _phase_one(table)
    left_out: list[int] = []
    for _ in range(MAX_RESTARTS):
        emptied = _phase_two(table)
        if emptied is None:
            break
        left_out.append(emptied)
        for j in list(_alive_entries(table, emptied)):
            table.remove(emptied, j)
        _phase_one(table)
    partner = [table.first(i) if table.count[i] else -1 for i in range(len(lists))]
    partner = [p if p >= 0 and partner[p] == i else -1 for i, p in enumerate(partner)]
    if left_out:
        # Two people left without a partner who accept each other would block: pair them.
        _pair_the_unmatched(lists, partner)
    return partner, left_out


def _pair_the_unmatched(lists: list[list[int]], partner: list[int]) -> None:
    """Pair unmatched people who accept each other, the best-ranked pairs first."""
    free = {i for i, p in enumerate(partner) if p < 0 and lists[i]}
    rank = {i: {x: r for r, x in enumerate(lists[i])} for i in free}
    pairs = sorted(
        (r + rank[j][i], i, j) for i in free for r, j in enumerate(lists[i]) if i < j and j in free
    )
    for _, i, j in pairs:
        if partner[i] < 0 and partner[j] < 0:
            partner[i], partner[j] = j, i


def _alive_entries(table: _Table, i: int):
    return (x for r, x in enumerate(table.lists[i]) if table.alive[i][r])


def _phase_one(table: _Table) -> None:
    """Proposals: everyone proposes down their list; each holds the best offer so far."""
    n = len(table.lists)
    holder = [-1] * n
    free = deque(range(n))
    while free:
        x = free.popleft()
        if not table.count[x]:
            continue
        y = table.first(x)
        # Everyone y likes less than its current holder is already gone, so x is better.
        previous = holder[y]
        holder[y] = x
        table.reject_after(y, x)
        if previous >= 0 and previous != x:
            free.append(previous)
    table.emptied.clear()  # running out in phase one only means: unmatched in every stable matching


def _phase_two(table: _Table) -> int | None:
    """Eliminate rotations until every list has at most one entry. Returns None when
    that succeeds (a stable matching), else someone whose list ran out."""
    n = len(table.lists)
    start = 0
    while True:
        # Counts only fall, so people already down to one entry never need a look again.
        while start < n and table.count[start] <= 1:
            start += 1
        if start == n:
            break
        for x, y in _find_rotation(table, start):
            table.reject_after(y, x)
        if table.emptied:
            return table.emptied[0]
    for i in range(n):
        if table.count[i] and table.first(table.first(i)) != i:
            return i
    return None


def _find_rotation(table: _Table, start: int) -> list[tuple[int, int]]:
    """The rotation reached from `start`: pairs (x_i, second choice of x_i)."""
    sequence = [start]
    position = {start: 0}
    while True:
        nxt = table.last(table.second(sequence[-1]))
        if nxt in position:
            cycle = sequence[position[nxt] :]
            return [(x, table.second(x)) for x in cycle]
        position[nxt] = len(sequence)
        sequence.append(nxt)


# --- blocking pairs -------------------------------------------------------------------


class _Edges:
    """The mutually acceptable pairs u < v as arrays, with each side's rank of the other,
    and for every person the edges they are on (CSR)."""

    def __init__(self, lists: Sequence[Sequence[int]]) -> None:
        n = len(lists)
        lengths = np.array([len(p) for p in lists], dtype=np.int64)
        owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
        other = np.fromiter(itertools.chain.from_iterable(lists), np.int64, int(lengths.sum()))
        starts = np.concatenate([[0], np.cumsum(lengths)])
        rank = np.arange(len(owner)) - starts[owner]
        self.n, self.lengths = n, lengths
        self.keys = owner * n + other  # directed (owner, other); sorted: owners ascend
        order = np.argsort(self.keys, kind="stable")
        self.sorted_keys, self.sorted_rank = self.keys[order], rank[order]
        forward = owner < other
        self.u, self.v, self.rank_uv = owner[forward], other[forward], rank[forward]
        self.rank_vu = self.rank_of(self.v, self.u)
        ends = np.concatenate([self.u, self.v])  # position p is edge p % len(u)
        by_person = np.argsort(ends, kind="stable")
        self.incident = by_person % max(len(self.u), 1)
        self.incident_start = np.searchsorted(ends[by_person], np.arange(n + 1))
        self.starts, self.other = starts, other

    def rank_of(self, owner: np.ndarray, other: np.ndarray) -> np.ndarray:
        """Where `other` stands on `owner`'s list (both are mutual, so it is there)."""
        at = np.searchsorted(self.sorted_keys, owner * self.n + other)
        return self.sorted_rank[at]

    def partner_rank(self, partner: np.ndarray, people: np.ndarray | None = None):
        """Each person's rank of their partner; the list's length (worse than anyone on
        it) when unmatched. For `people` only, when given."""
        people = np.arange(self.n) if people is None else people
        ranks = self.lengths[people].copy()
        matched = partner[people] >= 0
        ranks[matched] = self.rank_of(people[matched], partner[people[matched]])
        return ranks

    def blocking(self, partner_rank: np.ndarray, edges: np.ndarray | slice = slice(None)):
        """Whether each edge blocks: both prefer each other to what they have."""
        u, v = self.u[edges], self.v[edges]
        return (self.rank_uv[edges] < partner_rank[u]) & (self.rank_vu[edges] < partner_rank[v])

    def edges_of(self, people: list[int]) -> np.ndarray:
        parts = [self.incident[self.incident_start[p] : self.incident_start[p + 1]] for p in people]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)


def blocking_pairs(lists: Sequence[Sequence[int]], partner: Sequence[int]) -> list[tuple[int, int]]:
    """Mutually acceptable pairs (i < j) who both prefer each other to what they have,
    sorted."""
    edges = _Edges(mutual_lists(lists))
    if not len(edges.u):
        return []
    mask = edges.blocking(edges.partner_rank(np.asarray(partner, dtype=np.int64)))
    return sorted(zip(edges.u[mask].tolist(), edges.v[mask].tolist(), strict=True))


def fewest_blocking_pairs(lists: Sequence[Sequence[int]], seed: int = 0) -> list[int]:
    """The matching with the fewest blocking pairs found (every matching when small)."""
    lists = mutual_lists(lists)
    people = [i for i in range(len(lists)) if lists[i]]
    if len(people) <= EXHAUSTIVE_LIMIT:
        return _exhaustive(lists, people)
    return _local_search(lists, _irving(lists)[0], seed, SEARCH_SECONDS)


def _exhaustive(lists: Sequence[Sequence[int]], people: list[int]) -> list[int]:
    best: list[int] | None = None
    best_count = None
    for partner in _all_matchings(lists, people, [-1] * len(lists)):
        candidate = [max(x, -1) for x in partner]
        count = len(blocking_pairs(lists, candidate))
        if best_count is None or count < best_count:
            best, best_count = candidate, count
    return best if best is not None else [-1] * len(lists)


def _all_matchings(lists, people, partner):
    free = next((i for i in people if partner[i] == -1), None)
    if free is None:
        yield partner
        return
    # Either `free` stays unmatched, or it pairs with a free acceptable partner.
    partner[free] = -2  # marked "decided: unmatched"
    yield from _all_matchings(lists, people, partner)
    partner[free] = -1
    for other in lists[free]:
        if partner[other] == -1:
            partner[free], partner[other] = other, free
            yield from _all_matchings(lists, people, partner)
            partner[free] = partner[other] = -1


class _Search:
    """A matching and its blocking pairs, updated move by move."""

    def __init__(self, edges: _Edges, partner: list[int]) -> None:
        self.edges = edges
        self.partner = np.asarray(partner, dtype=np.int64).copy()
        self.rank = edges.partner_rank(self.partner)
        self.blocking = edges.blocking(self.rank)

    def count(self) -> int:
        return int(self.blocking.sum())

    def satisfy(self, edge: int) -> int:
        """Pair the two ends of a blocking edge, give their old partners the first free
        person on their list, and keep the move only if the blocking pairs do not grow.
        Returns the change in their number (0 or less when kept)."""
        i, j = int(self.edges.u[edge]), int(self.edges.v[edge])
        saved: dict[int, int] = {}
        freed = [p for p in (int(self.partner[i]), int(self.partner[j])) if p >= 0]
        for x in (i, j, *freed):
            saved.setdefault(x, int(self.partner[x]))
        for p in freed:
            self._set(p, -1)
        self._set(i, j)
        self._set(j, i)
        for p in freed:
            if self.partner[p] < 0:
                y = self._first_free(p)
                if y >= 0:
                    saved.setdefault(y, int(self.partner[y]))
                    self._set(p, y)
                    self._set(y, p)
        people = np.array(list(saved), dtype=np.int64)
        touched = self.edges.edges_of(people.tolist())
        before = self.blocking[touched]
        self.rank[people] = self.edges.partner_rank(self.partner, people)
        after = self.edges.blocking(self.rank, touched)
        change = int(after.sum()) - int(before.sum())
        if change > 0:  # undo
            for x, p in saved.items():
                self._set(x, p)
            self.rank[people] = self.edges.partner_rank(self.partner, people)
        else:
            self.blocking[touched] = after
        return change

    def _set(self, x: int, p: int) -> None:
        self.partner[x] = p

    def _first_free(self, x: int) -> int:
        others = self.edges.other[self.edges.starts[x] : self.edges.starts[x + 1]]
        free = np.flatnonzero(self.partner[others] < 0)
        return int(others[free[0]]) if len(free) else -1


def _local_search(
    lists: Sequence[Sequence[int]], start: list[int], seed: int, seconds: float
) -> list[int]:
    """From `start`, satisfy seeded random blocking pairs, keeping the moves that do not
    add blocking pairs (sideways moves let the search leave a plateau)."""
    edges = _Edges(lists)
    if not len(edges.u):
        return list(start)
    search = _Search(edges, start)
    rng = np.random.default_rng(seed)
    deadline = time.perf_counter() + seconds
    for _ in range(LOCAL_SEARCH_ROUNDS):
        blocking = np.flatnonzero(search.blocking)
        if not len(blocking) or time.perf_counter() > deadline:
            break
        search.satisfy(int(blocking[rng.integers(len(blocking))]))
    return search.partner.tolist()
