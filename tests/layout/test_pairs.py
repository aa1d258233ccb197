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
