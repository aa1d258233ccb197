"""Metrics on hand-made cases: perfect, reversed, one swap, empty."""
import numpy as np
import pytest

from broadsheet.eval import metrics as M


@pytest.mark.parametrize("a,b", [("kitten", "sitting"), ("", "abc"), ("赣州经开区", "赣州开发区签约"),
                                 ("flaw", "lawn"), ("abc", "abc")])
def test_levenshtein_matches_numpy_reference(a, b):
    assert M.levenshtein(a, b) == M.levenshtein_numpy(a, b)


def test_levenshtein_on_integer_sequences():
    assert M.levenshtein([1, 2, 3, 4], [1, 3, 2, 4]) == 2
    assert M.levenshtein_numpy([1, 2, 3, 4], [1, 3, 2, 4]) == 2


def test_article_similarity_perfect_ignores_whitespace_and_order_of_outputs():
    gt = ["Alpha beta gamma", "甲乙丙丁"]
    out = ["甲乙 丙丁", "Alphabeta\ngamma"]
    m = M.article_similarity(gt, out)
    assert m.mean == pytest.approx(1.0)
    assert list(m.match) == [1, 0]


def test_article_similarity_one_to_one_leaves_second_gt_unmatched():
    gt = ["abcdefghij", "abcdefghik"]
    m = M.article_similarity(gt, ["abcdefghij"])
    assert list(m.scores) == pytest.approx([1.0, 0.0])
    assert m.mean == pytest.approx(0.5)
    assert m.match[1] == -1


def test_article_similarity_normalises_by_longer_text():
    m = M.article_similarity(["abcd"], ["abcdefgh"])
    assert m.mean == pytest.approx(0.5)


def test_article_similarity_empty_cases():
    assert M.article_similarity([], ["x"]).mean is None
    m = M.article_similarity(["abc"], [])
    assert m.mean == 0.0 and m.match[0] == -1


def test_join_recall_counts_contiguous_strings_in_matched_article_only():
    out = ["前文等9个项目与赣州经开区签约。", "州经开区签约"]
    match = np.array([0, -1])
    req = [(0, "9个项目与赣 州经开区签约"), (0, "不在这里"), (1, "州经开区")]
    assert M.join_recall(req, out, match) == pytest.approx(1 / 3)
    assert M.join_recall([], out, match) is None


def test_join_precision_by_majority_article_of_blocks():
    labels = np.array(["a", "a", "b", "b", None], dtype=object)
    joins = [(np.array([0]), np.array([1])),        # a → a: right
             (np.array([1]), np.array([2, 3])),     # a → b: glues two articles
             (np.array([4]), np.array([4]))]        # furniture: wrong
    assert M.join_precision(joins, labels) == pytest.approx(1 / 3)
    assert M.join_precision([], labels) is None


def test_contamination_counts_foreign_characters():
    labels = np.array(["a", "a", "b"], dtype=object)
    chars = np.array([10, 10, 5])
    out_lines = [np.array([0, 1, 2])]
    assert M.contamination(out_lines, np.array([0, -1]), ["a", "b"], labels, chars) == pytest.approx(5 / 25)
    assert M.contamination([np.array([0, 1])], np.array([0]), ["a"], labels, chars) == 0.0
    assert M.contamination(out_lines, np.array([-1]), ["a"], labels, chars) is None


def test_kendall_tau_perfect_reversed_swap_empty():
    gt = np.arange(5)
    assert M.kendall_tau(gt, gt) == pytest.approx(1.0)
    assert M.kendall_tau(gt, gt[::-1]) == pytest.approx(-1.0)
    assert M.kendall_tau(gt, np.array([1, 0, 2, 3, 4])) == pytest.approx(0.8)   # 1 of 10 pairs discordant
    assert M.kendall_tau(gt, np.array([], dtype=int)) is None


def test_kendall_tau_uses_only_lines_in_both_orders():
    assert M.kendall_tau(np.arange(5), np.array([0, 2, 4])) == pytest.approx(1.0)


def test_order_edit_distance_cases():
    gt = [0, 1, 2, 3]
    assert M.order_edit_distance(gt, gt) == 0.0
    assert M.order_edit_distance(gt, [1, 0, 2, 3]) == pytest.approx(0.5)
    assert M.order_edit_distance(gt, [3, 2, 1, 0]) == pytest.approx(1.0)
    assert M.order_edit_distance([], []) is None


def test_region_sequence_ranks_regions_by_mean_line_position():
    line_region = ["A", "A", "B", "B", "C"]
    pred = np.array([2, 3, 0, 1, 4])     # reads region B first
    assert M.region_sequence(pred, line_region, ["A", "B", "C"]) == ["B", "A", "C"]
    assert M.region_sequence(np.array([4]), line_region, ["A", "B", "C"]) == ["C", "A", "B"]


def test_bleu_perfect_swap_reversed_short_empty():
    ref = list("ABCDEF")
    assert M.bleu(ref, ref) == pytest.approx(1.0)
    assert M.bleu(ref, ref[::-1]) == 0.0                       # no shared bigram
    swapped = list("ABCDFE")
    p = [6 / 6, 3 / 5, 2 / 4, 1 / 3]   # AB BC CD | ABC BCD | ABCD
    assert M.bleu(ref, swapped) == pytest.approx(float(np.prod(p) ** 0.25))
    assert M.bleu(["A", "B"], ["A", "B"]) == pytest.approx(1.0)  # n-grams up to the length
    assert M.bleu([], []) is None
    assert M.bleu(ref, []) == 0.0


def test_bleu_brevity_penalty():
    assert M.bleu(list("ABCD"), list("ABC"), max_n=2) == pytest.approx(np.exp(1 - 4 / 3))
    assert M.bleu(list("ABCD"), list("AB")) == 0.0      # no 3-gram in the hypothesis, no smoothing


def test_pairwise_f1_perfect_merged_split_and_unlabelled():
    gt = ["a", "a", "b", "b", None]
    assert M.pairwise_f1(gt, ["x", "x", "y", "y", "z"])["f1"] == pytest.approx(1.0)
    merged = M.pairwise_f1(gt, ["x"] * 5)            # 2 true pairs of 6 predicted
    assert merged["recall"] == 1.0 and merged["precision"] == pytest.approx(2 / 6)
    split = M.pairwise_f1(gt, [None] * 5)            # singletons: no pair predicted
    assert split["recall"] == 0.0 and split["f1"] == 0.0
    assert M.pairwise_f1(["a", None], ["x", "x"]) is None


def test_pairwise_f1_matches_brute_force():
    rng = np.random.default_rng(0)
    gt = list(rng.integers(0, 4, 40))
    pr = list(rng.integers(0, 5, 40))
    tp = fp = fn = 0
    for i in range(40):
        for j in range(i + 1, 40):
            g, p = gt[i] == gt[j], pr[i] == pr[j]
            tp += g and p
            fp += p and not g
            fn += g and not p
    r = M.pairwise_f1(gt, pr)
    assert r["precision"] == pytest.approx(tp / (tp + fp))
    assert r["recall"] == pytest.approx(tp / (tp + fn))


def test_cer_perfect_split_missing_and_extra_lines():
    gt_boxes = np.array([[0, 0, 100, 10], [0, 20, 100, 30]], float)
    gt = ["hello world", "second"]
    assert M.cer(gt, gt_boxes, gt, gt_boxes)["cer"] == 0.0
    split = M.cer(gt, gt_boxes, ["world", "hello", "second"],
                  np.array([[50, 0, 100, 10], [0, 0, 48, 10], [0, 20, 100, 30]], float))
    assert split["cer"] == 0.0                       # pieces joined left to right
    missing = M.cer(gt, gt_boxes, ["hello world"], gt_boxes[:1])
    assert missing["edits"] == 6 and missing["chars"] == 17
    extra = M.cer(gt, gt_boxes, gt + ["xyz"], np.vstack([gt_boxes, [[0, 50, 100, 60]]]))
    assert extra["edits"] == 3
    assert M.cer([""], gt_boxes[:1], [], np.zeros((0, 4))) is None


def test_match_lines_by_overlap_rejects_small_overlap():
    g = np.array([[0, 0, 100, 10]], float)
    p = np.array([[0, 0, 100, 10], [90, 8, 200, 30], [0, 100, 10, 110]], float)
    assert list(M.match_lines_by_overlap(g, p)) == [0, -1, -1]


def test_similarity_matrix_without_rapidfuzz_matches(monkeypatch):
    gt, out = ["赣州经开区签约", "abc def"], ["赣州开发区", "abcdef", ""]
    fast = M.similarity_matrix(gt, out)
    monkeypatch.setattr(M, "_rf_cdist", None)
    monkeypatch.setattr(M, "_RF", None)
    assert np.allclose(M.similarity_matrix(gt, out), fast)
    assert M.levenshtein("kitten", "sitting") == 3


def test_space_counts_finds_dropped_and_extra_spaces_after_aligning_characters():
    # GT: 4 spaces; output drops "Museum der" and "in Basel", adds "Kul turen"
    gt = "Das Museum der Kulturen in\nBasel"
    out = "Das Museumder Kul turenin Basel"
    gt_checked, found, out_checked, correct = M.space_counts(gt, out)
    assert (gt_checked, found) == (5, 3)           # the line break counts as a space
    assert (out_checked, correct) == (4, 3)        # "Kul turen" is a false space


def test_space_counts_skip_spaces_next_to_misread_characters():
    # "x" misread as "y": the spaces around it are not checked, only the one in "cd ef"
    assert list(M.space_counts("ab x cd ef", "abycdef")) == [1, 0, 0, 0]
    assert list(M.space_counts("ab x cd", "ab x cd")) == [2, 2, 2, 2]


def test_space_scores_over_matched_articles():
    gt = ["Das Museum zeigt", "Die Stadt Basel"]
    out = ["DieStadt Basel", "Das Museum zeigt", "extra article text"]
    m = M.article_similarity(gt, out)
    sp = M.space_scores(gt, out, m.match)
    assert sp["recall"] == pytest.approx(3 / 4)
    assert sp["precision"] == pytest.approx(1.0)
    assert M.space_scores(gt, out, np.array([-1, -1])) is None
