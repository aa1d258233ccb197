"""Baselines: row-major reads across columns, XY-cut reads column by column."""
import numpy as np

from broadsheet.eval.baselines import XYCutConfig, row_major_order, xy_cut_leaves, xy_cut_order


def two_columns(n=5):
    """A headline across the page, then two columns of n lines; GT order = head, col 1, col 2."""
    head = [[10, 0, 390, 30]]
    c1 = [[10, 50 + 20 * i, 190, 64 + 20 * i] for i in range(n)]
    c2 = [[210, 50 + 20 * i, 390, 64 + 20 * i] for i in range(n)]
    return np.array(head + c1 + c2, float)


def test_xy_cut_reads_column_one_then_column_two():
    b = two_columns()
    assert list(xy_cut_order(b)) == list(range(11))


def test_xy_cut_is_a_permutation_when_input_is_shuffled():
    b = two_columns()
    perm = np.random.default_rng(1).permutation(len(b))
    order = xy_cut_order(b[perm])
    assert sorted(order) == list(range(len(b)))
    assert list(perm[order]) == list(range(11))


def test_row_major_interleaves_columns():
    order = row_major_order(two_columns())
    assert list(order[:5]) == [0, 1, 6, 2, 7]


def test_row_major_groups_lines_within_tolerance_into_one_row():
    b = np.array([[100, 2, 150, 12], [0, 0, 50, 10], [0, 20, 50, 30]], float)
    assert list(row_major_order(b)) == [1, 0, 2]


def test_xy_cut_block_leaves_separate_columns_and_headline():
    leaves = xy_cut_leaves(two_columns(), XYCutConfig(min_gap_y=1.0, min_gap_x=0.3, widest_only=False))
    assert [list(x) for x in leaves] == [[0], [1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]


def test_baselines_empty_input():
    assert xy_cut_order(np.zeros((0, 4))).size == 0
    assert row_major_order(np.zeros((0, 4))).size == 0
