"""Stable roommates (Irving, 1985), with incomplete preference lists.

`stable_roommates` returns a stable matching when one exists. When none exists it
says so, and returns the matching with the fewest blocking pairs that it found
(exhaustively for small instances, by a seeded local search otherwise), with those
pairs listed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

EXHAUSTIVE_LIMIT = 10  # people in the unsolved part: up to here, search every matching
LOCAL_SEARCH_ROUNDS = 200


@dataclass
class StableResult:
    partner: list[int]  # -1 when unmatched
    stable: bool
    blocking_pairs: list[tuple[int, int]]


class _Table:
    """Preference lists with symmetric deletion, as in Irving's paper."""

    def __init__(self, prefs: Sequence[Sequence[int]]) -> None:
        self.lists = [list(p) for p in prefs]
        self.rank = [{x: r for r, x in enumerate(p)} for p in self.lists]
        self.alive = [set(p) for p in self.lists]

    def remove(self, i: int, j: int) -> None:
        self.alive[i].discard(j)
        self.alive[j].discard(i)

    def ordered(self, i: int) -> list[int]:
        return [x for x in self.lists[i] if x in self.alive[i]]

    def first(self, i: int) -> int:
        return next(x for x in self.lists[i] if x in self.alive[i])

    def second(self, i: int) -> int:
        return self.ordered(i)[1]

    def last(self, i: int) -> int:
        return next(x for x in reversed(self.lists[i]) if x in self.alive[i])

    def reject_after(self, i: int, keep: int) -> None:
        """i drops everyone it likes less than `keep`."""
        cutoff = self.rank[i][keep]
        for x in self.ordered(i):
            if self.rank[i][x] > cutoff:
                self.remove(i, x)


def mutual_lists(prefs: Sequence[Sequence[int]]) -> list[list[int]]:
    """Keep j on i's list only if i is on j's list (and drop self and repeats)."""
    listed = [set(p) for p in prefs]
    result = []
    for i, p in enumerate(prefs):
        seen: set[int] = set()
        kept = []
        for j in p:
            if j != i and j not in seen and i in listed[j]:
                seen.add(j)
                kept.append(j)
        result.append(kept)
    return result


def stable_roommates(prefs: Sequence[Sequence[int]], seed: int = 0) -> StableResult:
    lists = mutual_lists(prefs)
    table = _Table(lists)
    _phase_one(table)
    if _phase_two(table):
        partner = [table.first(i) if table.alive[i] else -1 for i in range(len(lists))]
        return StableResult(partner, True, [])
    partner = fewest_blocking_pairs(lists, seed)
    return StableResult(partner, False, blocking_pairs(lists, partner))


def _phase_one(table: _Table) -> None:
    """Proposals: everyone proposes down their list; each holds the best offer so far."""
    n = len(table.lists)
    holder = [-1] * n
    free = deque(range(n))
    while free:
        x = free.popleft()
        if not table.alive[x]:
            continue
        y = table.first(x)
        # Everyone y likes less than its current holder is already gone, so x is better.
        previous = holder[y]
        holder[y] = x
        table.reject_after(y, x)
        if previous >= 0 and previous != x:
            free.append(previous)


def _phase_two(table: _Table) -> bool:
    """Eliminate rotations until every list has at most one entry; False if a list
    empties (then no stable matching exists)."""
    n = len(table.lists)
    before = [bool(alive) for alive in table.alive]
    while True:
        start = next((i for i in range(n) if len(table.alive[i]) > 1), None)
        if start is None:
            break
        for x, y in _find_rotation(table, start):
            table.reject_after(y, x)
        if any(before[i] and not table.alive[i] for i in range(n)):
            return False
    return all(
        not table.alive[i] or table.first(table.first(i)) == i for i in range(n) if before[i]
    )


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


def blocking_pairs(lists: Sequence[Sequence[int]], partner: Sequence[int]) -> list[tuple[int, int]]:
    """Mutually acceptable pairs who both prefer each other to what they have."""
    rank = [{x: r for r, x in enumerate(p)} for p in lists]
    found = []
    for i, p in enumerate(lists):
        for j in p:
            if (
                i < j
                and partner[i] != j
                and _prefers(rank[i], j, partner[i])
                and _prefers(rank[j], i, partner[j])
            ):
                found.append((i, j))
    return found


def _prefers(rank: dict[int, int], candidate: int, current: int) -> bool:
    return current < 0 or rank[candidate] < rank.get(current, len(rank))


def fewest_blocking_pairs(lists: Sequence[Sequence[int]], seed: int = 0) -> list[int]:
    n = len(lists)
    people = [i for i in range(n) if lists[i]]
    if len(people) <= EXHAUSTIVE_LIMIT:
        return _exhaustive(lists, people)
    return _local_search(lists, seed)


def _exhaustive(lists: Sequence[Sequence[int]], people: list[int]) -> list[int]:
    best: list[int] | None = None
    best_count = None
    for partner in _all_matchings(lists, people, [-1] * len(lists)):
        count = len(blocking_pairs(lists, partner))
        if best_count is None or count < best_count:
            best, best_count = list(partner), count
    if best is None:
        return [-1] * len(lists)
    return [max(x, -1) for x in best]


def _all_matchings(lists, people, partner):
    free = next((i for i in people if partner[i] == -1 and not _done(partner, i)), None)
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


def _done(partner: list[int], i: int) -> bool:
    return partner[i] == -2


def _local_search(lists: Sequence[Sequence[int]], seed: int) -> list[int]:
    """Satisfy blocking pairs one at a time (seeded order); keep the best matching seen."""
    rng = np.random.default_rng(seed)
    partner = _greedy_by_rank(lists)
    best, best_count = list(partner), len(blocking_pairs(lists, partner))
    for _ in range(LOCAL_SEARCH_ROUNDS):
        blocking = blocking_pairs(lists, partner)
        if not blocking:
            break
        i, j = blocking[int(rng.integers(len(blocking)))]
        for person in (i, j):
            if partner[person] >= 0:
                partner[partner[person]] = -1
        partner[i], partner[j] = j, i
        count = len(blocking_pairs(lists, partner))
        if count < best_count:
            best, best_count = list(partner), count
    return best


def _greedy_by_rank(lists: Sequence[Sequence[int]]) -> list[int]:
    rank = [{x: r for r, x in enumerate(p)} for p in lists]
    pairs = sorted((rank[i][j] + rank[j][i], i, j) for i, p in enumerate(lists) for j in p if i < j)
    partner = [-1] * len(lists)
    for _, i, j in pairs:
        if partner[i] < 0 and partner[j] < 0:
            partner[i], partner[j] = j, i
    return partner
