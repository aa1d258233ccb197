import numpy as np

from broadsheet.layout.pairs import pairs_below


def test_sweep_finds_exactly_the_pairs_in_reach():
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 1000, (200, 2))
    boxes = np.concatenate([xy, xy + rng.uniform(5, 40, (200, 2))], axis=1)
    reach = np.full(200, 25.0)
    i, j = pairs_below(boxes, reach)
    got = set(zip(i.tolist(), j.tolist()))
    a, b = np.meshgrid(np.arange(200), np.arange(200), indexing="ij")
    want_mask = (boxes[b, 1] >= boxes[a, 1]) & (boxes[b, 1] <= boxes[a, 3] + reach[a]) & (a != b)
    want = set(zip(a[want_mask].tolist(), b[want_mask].tolist()))
    assert got == want


def test_no_boxes_no_pairs():
    i, j = pairs_below(np.zeros((0, 4)), np.zeros(0))
    assert len(i) == len(j) == 0


def test_group_medians_match_numpy():
    from broadsheet.layout.geometry import group_medians
    rng = np.random.default_rng(0)
    values = rng.normal(size=100)
    groups = [np.array([0]), np.array([1, 2]), rng.choice(100, 7, replace=False), np.arange(10, 30)]
    assert np.allclose(group_medians(values, groups), [np.median(values[g]) for g in groups])


def test_group_mins_match_numpy():
    from broadsheet.layout.geometry import group_mins
    rng = np.random.default_rng(1)
    values = rng.normal(size=50)
    groups = [np.array([3]), np.array([4, 0]), rng.choice(50, 9, replace=False)]
    assert np.allclose(group_mins(values, groups), [values[g].min() for g in groups])
    assert group_mins(values, []).shape == (0,)
