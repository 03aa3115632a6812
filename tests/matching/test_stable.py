from hypothesis import given, settings
from hypothesis import strategies as st

from twoway.matching.stable import blocking_pairs, mutual_lists, stable_roommates

# Irving (1985), "An efficient algorithm for the stable roommates problem", section 4.
IRVING_1985 = {
    1: [4, 6, 2, 5, 3],
    2: [6, 3, 5, 1, 4],
    3: [4, 5, 1, 6, 2],
    4: [2, 6, 5, 1, 3],
    5: [4, 2, 3, 6, 1],
    6: [5, 1, 4, 2, 3],
}
# Gale and Shapley (1962): the four roommates with no stable matching.
GALE_SHAPLEY_1962 = [[1, 2, 3], [2, 0, 3], [0, 1, 3], [0, 1, 2]]


def zero_based(table):
    return [[x - 1 for x in table[i]] for i in sorted(table)]


def all_matchings(n):
    """Every (partial) matching of n people as partner lists."""

    def extend(partner, i):
        if i == n:
            yield list(partner)
            return
        if partner[i] != -1:
            yield from extend(partner, i + 1)
            return
        yield from extend(partner, i + 1)
        for j in range(i + 1, n):
            if partner[j] == -1:
                partner[i], partner[j] = j, i
                yield from extend(partner, i + 1)
                partner[i] = partner[j] = -1

    yield from extend([-1] * n, 0)


def test_irvings_six_person_example_has_the_stable_matching_from_the_paper():
    prefs = zero_based(IRVING_1985)
    result = stable_roommates(prefs)
    assert result.stable
    pairs = {frozenset((i + 1, j + 1)) for i, j in enumerate(result.partner) if i < j}
    assert pairs == {frozenset({1, 6}), frozenset({2, 3}), frozenset({4, 5})}
    assert blocking_pairs(prefs, result.partner) == []


def test_gale_shapley_four_roommates_have_no_stable_matching():
    result = stable_roommates(GALE_SHAPLEY_1962)
    assert not result.stable
    # Every matching of this instance has a blocking pair; the best ones have exactly one.
    assert len(result.blocking_pairs) == 1
    assert result.blocking_pairs == blocking_pairs(GALE_SHAPLEY_1962, result.partner)
    assert all(result.partner[result.partner[i]] == i for i in range(4))


@st.composite
def instances(draw):
    n = draw(st.integers(1, 8))
    prefs = []
    for i in range(n):
        others = [j for j in range(n) if j != i]
        chosen = draw(st.lists(st.sampled_from(others), unique=True)) if others else []
        prefs.append(chosen)
    return prefs


@settings(max_examples=100, deadline=None)
@given(instances())
def test_reported_stable_matchings_have_no_blocking_pair(prefs):
    lists = mutual_lists(prefs)
    result = stable_roommates(prefs)
    partner = result.partner
    assert all(p == -1 or partner[p] == i for i, p in enumerate(partner))
    assert all(p == -1 or p in lists[i] for i, p in enumerate(partner))
    exists = any(
        not blocking_pairs(lists, m) for m in all_matchings(len(prefs)) if _valid(m, lists)
    )
    assert result.stable == exists
    if result.stable:
        assert blocking_pairs(lists, partner) == []
    else:
        assert result.blocking_pairs == blocking_pairs(lists, partner)


def _valid(partner, lists):
    return all(p == -1 or p in lists[i] for i, p in enumerate(partner))


def test_small_unsolvable_instances_get_the_fewest_blocking_pairs():
    prefs = GALE_SHAPLEY_1962
    best = min(len(blocking_pairs(prefs, m)) for m in all_matchings(4) if _valid(m, prefs))
    assert len(stable_roommates(prefs).blocking_pairs) == best
