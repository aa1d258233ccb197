"""Content similarity: fragments of one story are closer to each other than to other stories."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from broadsheet.reflow.similarity import concat_similarity_matrix, distinctive_terms, similarity_matrix

SEED = Path("/work/shared/seed/articles.json")

GANZHOU = [
    "日前，中车生一伦、同兴达偏光片等9个项目与赣州经开区签约。",
    "此次集中签约是近2个月以来赣州经开区的第三次集中签约。",
    "赣州经开区招商干部告诉记者，全区通过不见面招商对接项目110多个。",
]
JINING = [
    "济宁高新区的企业特派员主动协调山推研究院为莱尼电气提供技术支持。",
    "济宁高新区建立了重点企业服务企业特派员机制，安排50名干部深入企业一线。",
]


def test_hand_written_fragments_group_by_story():
    texts = GANZHOU + JINING
    s = similarity_matrix(texts, texts, "cjk")
    assert s.shape == (5, 5)
    np.testing.assert_allclose(np.diag(s), 1.0)
    np.testing.assert_allclose(s, s.T, atol=1e-12)
    within_g = s[:3, :3][~np.eye(3, dtype=bool)].min()
    across = s[:3, 3:].max()
    assert within_g > across
    assert s[3, 4] > s[3, :3].max()


def test_rectangular_similarity_uses_both_lists():
    s = similarity_matrix(GANZHOU[:1], JINING + GANZHOU[1:], "cjk")
    assert s.shape == (1, 4)
    assert s[0, 2:].min() > s[0, :2].max()


def test_texts_given_twice_count_once_in_idf():
    texts = GANZHOU + JINING
    np.testing.assert_allclose(similarity_matrix(texts, list(texts), "cjk"),
                               similarity_matrix(texts, texts, "cjk"))
    sub = similarity_matrix(texts[:2], texts[2:], "cjk", idf_texts=texts)
    np.testing.assert_allclose(sub, similarity_matrix(texts, texts, "cjk")[:2, 2:])


def test_latin_similarity_uses_word_stems():
    texts = [
        "Der Regierungsrat beantragt dem Kantonsrat einen Kredit für die Verkehrspolitik in Winterthur.",
        "Die Verkehrspolitiker aus Winterthur kritisieren den Kredit des Regierungsrates.",
        "Le Louvre expose cette année les peintures de Raffaelli dans une grande salle.",
    ]
    s = similarity_matrix(texts, texts, "latin")
    assert s[0, 1] > 0.2 > s[0, 2]


def test_empty_and_featureless_texts_score_zero():
    s = similarity_matrix(["", "。。。", "赣州经开区"], ["赣州经开区", ""], "cjk")
    assert s.shape == (3, 2)
    assert s[0].max() == 0.0 and s[1].max() == 0.0
    assert s[2, 0] == pytest.approx(1.0)


def test_all_empty_texts_give_zero_matrices_and_no_terms():
    assert similarity_matrix(["", ""], [""], "cjk").tolist() == [[0.0], [0.0]]
    assert similarity_matrix([], [], "latin").shape == (0, 0)
    assert distinctive_terms(["", ""], "cjk") == [[], []]


def test_distinctive_terms_name_the_story():
    terms = distinctive_terms(GANZHOU + JINING, "cjk", k=6)
    assert len(terms) == 5 and all(len(t) == 6 for t in terms)
    assert "偏光片" in terms[0]          # a product name only this fragment has
    assert "莱尼" in terms[3] and "济宁" in terms[3]


def test_distinctive_terms_prefer_rare_names_over_shared_words():
    texts = [t + "项目发展" for t in GANZHOU + JINING]  # a phrase every text shares
    for top in distinctive_terms(texts, "cjk", k=3):
        assert "项目" not in top and "发展" not in top


def _seed_fragments() -> tuple[list[str], list[str]]:
    arts = json.loads(SEED.read_text(encoding="utf-8"))["articles"]
    texts, owner = [], []
    for a in arts:
        for f in a["fragments"]:
            texts.append("".join(p if isinstance(p, str) else p["subhead"] for p in f["paragraphs"]))
            owner.append(a["id"])
    return texts, owner


def test_seed_ganzhou_fragments_are_closer_to_each_other_than_to_other_stories():
    if not SEED.exists():
        pytest.skip("seed ground truth not available")
    texts, owner = _seed_fragments()
    s = similarity_matrix(texts, texts, "cjk")
    own = np.array(owner)
    g = np.nonzero(own == "ganzhou")[0]
    others = np.nonzero(np.isin(own, ["zhaoqing", "jining"]))[0]
    # every Ganzhou fragment's best Ganzhou partner beats its best Zhaoqing/Jining match
    for i in g:
        partners = [j for j in g if j != i]
        assert s[i, partners].max() > s[i, others].max()
    # and fragments of the same story are on average closer than fragments of different ones
    same = own[:, None] == own[None, :]
    np.fill_diagonal(same, False)
    diff = own[:, None] != own[None, :]
    assert s[same].mean() > 1.5 * s[diff].mean()


def test_concatenated_texts_score_as_the_joined_texts():
    # one- and zero-character parts make n-grams that cross two junctions at once
    # Latin words and numbers may run across a junction too ("Verkehrs" + "politik", "12" + ".5")
    parts = ["赣州经开区", "与", "", "赣", "州经开区签约", "济宁高新区 Apple 2020", "项目。", "招商\x00的",
             "Verkehrs", "politik 12", ".5亿元"]
    segs_a = [(0,), (1, 3, 4), (3, 2, 4, 6), (5, 1, 1, 7), (), (7, 0), (8, 9, 10), (8, 2, 9)]
    segs_b = [(4,), (3, 4), (6, 5), (2,), (1, 2, 3), (9, 10), (8, 9)]
    joined = lambda segs: ["".join(parts[k] for k in s) for s in segs]  # noqa: E731
    got = concat_similarity_matrix(parts, segs_a, segs_b, "cjk")
    assert np.array_equal(got, similarity_matrix(joined(segs_a), joined(segs_b), "cjk"))


def test_headline_names_count_what_only_one_headline_names():
    from broadsheet.reflow.similarity import headline_names
    heads = ["山东济宁高新区：定制服务破解发展难题", "江西赣州经开区：招大引强交出“硬核”答卷",
             "广东肇庆高新区构建闭环：引资“一产一链”"]
    texts = ["3月份以来，济宁高新区企稳回升态势明显。",   # 济宁: Jining's only
             "高新区重点企业产值逐步提升。",               # 高新区: in two headlines, a name of neither
             "主动外出取得先机，疫情好转。"]
    n = headline_names(heads, texts, "cjk")
    assert n.shape == (3, 3)
    assert n[0, 0] > 0.8 and n[0, 1] == 0 and n[0, 2] == 0
    assert (n[1] == 0).all() and (n[2] == 0).all()


def test_headline_names_in_latin_text_are_words():
    from broadsheet.reflow.similarity import headline_names
    heads = ["Der Morteratschgletscher schmilzt", "Neue Regierung in Bern gewählt"]
    n = headline_names(heads, ["In Pontresina misst man den Morteratschgletscher jedes Jahr.",
                               "Die Regierung tagte gestern."], "latin")
    assert n[0, 0] > 0.8 and n[0, 1] == 0
    assert n[1].max() == 0  # "Regierung" is too common a word to be a name


def test_cjk_code_point_test_matches_the_ranges_everywhere():
    from broadsheet.reflow.script import CJK_RANGES
    from broadsheet.reflow.similarity import _is_cjk_cp

    cp = np.arange(0x110000, dtype=np.int64)
    want = np.zeros(len(cp), bool)
    for lo, hi in CJK_RANGES:
        want[lo:hi + 1] = True
    assert np.array_equal(_is_cjk_cp(cp), want)


def test_word_pattern_finds_what_its_plain_form_finds():
    import random
    import re

    from broadsheet.reflow.script import LATIN_LETTERS
    from broadsheet.reflow.similarity import _LATIN_WORD

    plain = re.compile(f"[{LATIN_LETTERS}]{{4,}}|[0-9]+(?:[.,][0-9]+)*")
    rng = random.Random(3)
    alphabet = "ab Zé9０1.,，。赣州ﬁ-ß0123456789"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(20000)]
    texts += ["2025年3月份以来，济宁高新区1.5亿元", "Verkehrs-politik am 3.4.1913, 12,5 %", "abc abcd 1,2,3 x.5"]
    for t in texts:
        assert _LATIN_WORD.findall(t) == plain.findall(t), t


def test_count_matrix_is_scipys_summed_coo_matrix_array_for_array():
    import scipy.sparse as sp

    from broadsheet.reflow.similarity import _count_matrix

    rng = np.random.default_rng(5)
    for n, m, k in ((7, 11, 60), (1, 3, 0), (40, 500, 3000), (5, 1, 9)):
        rows, cols = rng.integers(0, n, k), rng.integers(0, m, k)
        want = sp.coo_matrix((np.ones(k), (rows, cols)), shape=(n, m)).tocsr()
        want.sum_duplicates()
        got = _count_matrix(rows, cols, (n, m))
        assert got.shape == want.shape
        for a, b in ((got.indptr, want.indptr), (got.indices, want.indices), (got.data, want.data)):
            assert a.dtype == b.dtype and np.array_equal(a, b)


def test_split_similarity_is_the_full_matrix_without_the_unwanted_entries():
    # concat_similarity_split = concat_similarity_matrix(parts, a, b + c) read at a's columns b
    # and at one entry per c column, to the bit: repeated texts (a text in a and in c, two equal
    # c texts), Latin words across a junction, an empty part
    from broadsheet.reflow.similarity import concat_similarity_split
    parts = ["赣州经开区招大引强", "济宁高新区企稳回升", "", "肇庆高新区构建闭环", "Verkehrs",
             "politik 2020年", "赣州经开区签约项目12", ".5亿元"]
    segs_a = [(1,), (3, 4), (4, 5), (6, 7), (0, 2)]
    segs_b = [(0, 6, 7), (1, 3), (3, 4, 5)]
    segs_c = [(0, 7), (3,), (3,), (1, 2), (0, 6, 7)]
    pair_a = [3, 2, 0, 0, 4]
    sim, pair = concat_similarity_split(parts, segs_a, segs_b, segs_c, pair_a, "cjk")
    full = concat_similarity_matrix(parts, segs_a, segs_b + segs_c, "cjk")
    assert np.array_equal(sim, full[:, :len(segs_b)])
    assert np.array_equal(pair, full[pair_a, len(segs_b) + np.arange(len(segs_c))])
    assert sim.shape == (5, 3) and (pair[[0, 4]] > 0).all()


def test_word_features_of_concatenated_texts_are_those_of_the_joined_texts():
    # in order, one entry per occurrence: parts' matches where no junction joins two word
    # characters, the whole text's where one does ("Verkehrs" + "politik", "12" + ".5")
    from broadsheet.reflow.similarity import _word_features, _word_features_concat
    parts = ["Verkehrs", "politik 12", ".5亿元", "", "Basel 2021", "年 Zürich"]
    segs = [(0, 1, 2), (4, 3, 5), (1,), (), (5, 0), (0, 3, 1)]
    texts = ["".join(parts[k] for k in sg) for sg in segs]
    rows, kind, feats, words = _word_features_concat(texts, parts, segs)
    rows_ref, feats_ref, words_ref = _word_features(texts)
    assert rows.tolist() == rows_ref
    assert [feats[k] for k in kind] == feats_ref and [words[k] for k in kind] == words_ref


def test_word_features_per_occurrence_with_features_made_once_per_word():
    from broadsheet.reflow.similarity import _word_features, _word_features_concat
    texts = ["Hochwasser in Basel: 12,5 Meter", "", "hochwasser HOCHWASSER Basel 12,5", "Straße straße"]
    rows, feats, words = _word_features(texts)
    assert rows == [0, 0, 0, 0, 2, 2, 2, 2, 3, 3]
    assert words == ["Hochwasser", "Basel", "12,5", "Meter", "hochwasser", "HOCHWASSER", "Basel", "12,5",
                     "Straße", "straße"]
    assert feats == ["hochwa", "basel", "#12,5", "meter", "hochwa", "hochwa", "basel", "#12,5", "strass", "strass"]
    # the concatenated form: one kind per (feature, word), numbered by first occurrence
    parts = texts
    r, occ, kf, kw = _word_features_concat(["".join(parts[k] for k in sg) for sg in [[0], [2, 3], [3]]],
                                           parts, [[0], [2, 3], [3]])
    assert r.tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2]
    assert [kw[k] for k in occ.tolist()] == ["Hochwasser", "Basel", "12,5", "Meter", "hochwasser", "HOCHWASSER",
                                            "Basel", "12,5", "Straße", "straße", "Straße", "straße"]
    assert len(kw) == len(set(kw)) == 8 and kf[kw.index("HOCHWASSER")] == "hochwa"


def test_concatenated_texts_are_read_once_per_part_and_per_run_a_word_crosses():
    # "Reform" + "Die" runs on into one word, so that run is one item (shared by both texts
    # that hold it); "Regierung." + "Die" cannot ("." + a letter is in no match): its parts
    # stay items of their own, as do the parts after a junction no match crosses
    from broadsheet.reflow.similarity import _concat_items
    parts = ["Reform", "Die Rat ", "Regierung.", "12", ",5 Mio", ""]
    segs = [(0, 1, 2), (2, 1), (0, 1), (3, 4, 5), (3, 5, 4)]
    rows, item, strings = _concat_items(parts, segs)
    assert rows.tolist() == [0, 0, 1, 1, 2, 3, 4]
    assert [strings[k] for k in item] == ["ReformDie Rat ", "Regierung.", "Regierung.", "Die Rat ", "ReformDie Rat ",
                                          "12,5 Mio", "12,5 Mio"]
    assert len(strings) == len(parts) + 2  # each joined run made once


def test_word_features_and_language_of_concatenations_match_the_joined_texts():
    # random parts with letters, digits, separators, stop words and letters whose lower case
    # differs in kind (the Kelvin sign): the same matches and the same `page_language`
    import random
    from broadsheet.reflow.script import page_language
    from broadsheet.reflow.similarity import _concat_language, _word_features, _word_features_concat
    rng = random.Random(7)
    alpha = list("abKüß09.,- ") + ["\u212a", "İ", "der ", "the ", "la ", "und "]
    for _ in range(400):
        parts = ["".join(rng.choice(alpha) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(1, 6))]
        segs = [tuple(rng.randrange(len(parts)) for _ in range(rng.randint(0, 5))) for _ in range(rng.randint(1, 6))]
        texts = ["".join(parts[k] for k in sg) for sg in segs]
        rows, kind, feats, words = _word_features_concat(texts, parts, segs)
        rows_ref, feats_ref, words_ref = _word_features(texts)
        assert rows.tolist() == rows_ref and [feats[k] for k in kind] == feats_ref
        assert [words[k] for k in kind] == words_ref
        assert _concat_language(parts, segs) == page_language(texts)


def test_scaled_columns_are_scipys_product_and_row_norms_to_the_bit():
    # `_scaled_columns` builds tf × weights and its row norms on the arrays; it must give what
    # SciPy's multiply / multiply(x).sum(axis=1) give: same indices, same bits (empty rows too)
    import scipy.sparse as sp
    from broadsheet.reflow.similarity import _count_matrix, _scaled_columns
    rng = np.random.default_rng(3)
    for _ in range(100):
        n, m = int(rng.integers(1, 30)), int(rng.integers(1, 50))
        k = int(rng.integers(0, 3 * n))
        tf = _count_matrix(rng.integers(0, n, k), rng.integers(0, m, k), (n, m))
        tf.data = 1.0 + np.log(tf.data)
        w = rng.uniform(0.01, 7.0, m)
        want = tf.multiply(w[None, :]).tocsr()
        want_norm = np.sqrt(np.asarray(want.multiply(want).sum(axis=1)).ravel())
        got, norm = _scaled_columns(tf, w)
        assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
        assert np.array_equal(got.data, want.data) and np.array_equal(norm, want_norm)
    # and a row norm that is not the plain sum of a row's squares in another order
    tf = sp.csr_matrix(np.array([[1.0, 1.0 + np.log(2.0), 1.0 + np.log(3.0), 0.0]]))
    w = np.array([0.1, 1e8, 0.3, 1.0])
    assert np.array_equal(_scaled_columns(tf, w)[1], np.sqrt(np.asarray(
        tf.multiply(w[None, :]).multiply(tf.multiply(w[None, :])).sum(axis=1)).ravel()))


def test_headline_names_sum_as_the_sparse_product_did():
    # the old formula, (text features × weights) @ headline features.T, to the bit, on texts
    # naming several headlines' words at once, one word in two headlines (not counted) and a
    # text with nothing; negative case: a feature in no headline adds nothing
    import scipy.sparse as sp
    from broadsheet.reflow import similarity as S
    heads = ["赣州经开区签约", "济宁高新区服务", "肇庆高新区闭环", "Hochwasser in Basel"]
    texts = ["赣州经开区济宁高新区肇庆", "高新区", "", "济宁济宁赣州 Basel Basel Hochwasser", "无关的文字"]
    got = S.headline_names(heads, texts, "cjk")
    pool = heads + texts
    rows_w, feats, words = S._word_features(pool)
    vocab_w, inv_w = np.unique(np.array(feats, dtype=str), return_inverse=True)
    weight_w = np.zeros(len(vocab_w))
    weight_w[inv_w] = S._latin_weights(np.array(words, dtype=str), "en")
    r_c, k_c = S._cjk_features(pool)
    vocab_c, inv_c = np.unique(k_c, return_inverse=True)
    weight = np.concatenate([weight_w, S._cjk_weights(vocab_c)])
    rows = np.concatenate([np.asarray(rows_w, np.int64), r_c])
    cols = np.concatenate([inv_w, inv_c + len(vocab_w)])
    present = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(pool), len(weight))).tocsr()
    present.data[:] = 1.0
    in_heads = present[:4]
    only = np.asarray(in_heads.sum(axis=0)).ravel() == 1
    w = np.where(only & (weight >= 0.55), weight, 0.0)
    want = np.asarray((present[4:].multiply(w[None, :]) @ in_heads.T).todense())
    assert np.array_equal(got, want)
    assert (got[0, :3] > 0).all() and (got[1] == 0).all() and (got[2] == 0).all() and (got[4] == 0).all()


def test_zipfs_of_many_words_are_each_words_zipf():
    from broadsheet.reflow.lexicon import latin_zipf, latin_zipfs
    words = ["Politik", "politik", "", "qxzvbw", "Straße", "Politik", "der"]
    z = latin_zipfs(words, "de")
    assert list(z) == ["Politik", "politik", "", "qxzvbw", "Straße", "der"]
    assert all(z[w] == latin_zipf(w, "de") for w in words) and z["qxzvbw"] == 0.0 and z["der"] > 5


def test_concat_counts_read_junctions_from_the_parts_as_from_the_joined_texts():
    # random Han / Latin / empty / one-character parts (an n-gram across two junctions, a
    # "\x00" inside a part): the counts are those of `_cjk_features` on the joined texts
    import random
    from broadsheet.reflow.similarity import _cjk_concat_counts, _cjk_features, _cjk_weights, _count_matrix
    rng = random.Random(11)
    alpha = list("赣州经开区济宁高新 a1。") + ["\x00"]
    for _ in range(300):
        parts = ["".join(rng.choice(alpha) for _ in range(rng.choice([0, 1, 1, 2, 5]))) for _ in range(rng.randint(1, 7))]
        segs = [tuple(rng.randrange(len(parts)) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(1, 5))]
        texts = ["".join(parts[k] for k in sg) for sg in segs]
        vocab, counts, weight = _cjk_concat_counts(texts, parts, segs)
        r, k = _cjk_features(texts)
        want_vocab, inv = np.unique(k, return_inverse=True)
        want = _count_matrix(r, inv, (len(texts), len(want_vocab)))
        assert np.array_equal(vocab, want_vocab)
        assert (counts != want).nnz == 0
        assert np.array_equal(weight, _cjk_weights(want_vocab))


@pytest.mark.parametrize("script", ["cjk", "latin"])
def test_parts_read_once_serve_every_concatenation_of_them(script):
    # a chunk's parts are read once (`read_parts`) for its three similarity calls, each joining
    # them differently (a subset of the parts, repeats, empty parts, words across a junction):
    # every call's numbers are those of the joined texts, to the bit
    import random
    from broadsheet.reflow.similarity import concat_similarity_split, read_parts
    rng = random.Random(7)
    pool = (list("赣州经开区济宁高新肇庆") if script == "cjk" else []) + \
        ["Verkehrs", "politik ", "der ", "Regierung ", "und ", "les ", "Basel ", "12", ",5 ", "the ", "Zürich. "]
    for _ in range(40):
        parts = ["".join(rng.choice(pool) for _ in range(rng.choice([0, 1, 3, 6]))) for _ in range(rng.randint(2, 9))]
        reads = read_parts(parts, script)
        joined = lambda segs: ["".join(parts[k] for k in s) for s in segs]  # noqa: E731
        for _ in range(3):
            seg = lambda: tuple(rng.randrange(len(parts)) for _ in range(rng.randint(0, 4)))  # noqa: E731
            a, b, c = [seg() for _ in range(rng.randint(1, 5))], [seg() for _ in range(3)], [seg() for _ in range(2)]
            got = concat_similarity_matrix(parts, a, b, script, reads)
            assert np.array_equal(got, similarity_matrix(joined(a), joined(b), script))
            pair_a = [rng.randrange(len(a)) for _ in c]
            sim, pair = concat_similarity_split(parts, a, b, c, pair_a, script, reads)
            full = concat_similarity_matrix(parts, a, b + c, script)
            assert np.array_equal(sim, full[:, :len(b)])
            assert np.array_equal(pair, full[pair_a, len(b) + np.arange(len(c))])


def test_parts_read_once_give_the_language_of_the_joined_texts():
    # the language of concatenations with the parts' character classes read once: a part
    # repeated in several texts counts as often as the texts hold it ("les" ×3 outvotes "der" ×2)
    from broadsheet.reflow.script import page_language
    from broadsheet.reflow.similarity import _concat_language, read_parts
    parts = ["der Rat ", "les vins ", "und die ", "Reform"]
    reads = read_parts(parts, "latin")
    for segs in ([(0, 2), (1,)], [(1, 0), (1,), (1, 3)], [(3,), (2, 3)]):
        texts = ["".join(parts[k] for k in sg) for sg in segs]
        assert _concat_language(parts, segs, reads=reads) == page_language(texts)
    assert _concat_language(parts, [(1, 0), (1,), (1, 3)], reads=reads) == "fr"


def test_an_item_is_read_once_for_all_calls_of_a_chunk():
    # what a call reads from an item (a part, or a run of parts joined at letters: "Verkehrs" +
    # "politik der") is kept on the chunk's reads by the item's string, and a later call of
    # the chunk takes it from there instead of reading the item again
    from broadsheet.reflow.script import stopword_hits
    from broadsheet.reflow.similarity import _LATIN_WORD, _concat_items, _concat_language, _word_features_concat, read_parts
    parts = ["Verkehrs", "politik der Stadt ", "les vins ", "und die Reform "]
    reads = read_parts(parts, "latin")
    segs = [(0, 1), (2,), (3, 2)]
    _concat_language(parts, segs, reads=reads)
    _word_features_concat([], parts, segs, reads=reads)
    _, held, strings = _concat_items(parts, segs, reads)
    items = [strings[k] for k in sorted(set(held.tolist()))]  # parts 0 and 1 only inside the run
    assert items == ["les vins ", "und die Reform ", "Verkehrspolitik der Stadt "]
    for item in items:
        assert reads.item_hits[item] == stopword_hits(item)
        assert reads.item_words[item] == _LATIN_WORD.findall(item)
    # a later call reads the kept hits, not the item: a planted count decides its language
    reads.item_hits["les vins "] = {"en": 0, "de": 0, "fr": 9}
    assert _concat_language(parts, [(2,), (3,)], reads=reads) == "fr"
    assert _concat_language(parts, [(2,), (3,)]) == "de"  # read afresh without the chunk's reads


def test_rows_scaled_is_scipys_diagonal_product_to_the_bit():
    # the same data, indices (descending per row, as the product stores them), index dtype,
    # and so the same sums in a later product
    import scipy.sparse as sp
    from broadsheet.reflow.similarity import _rows_scaled
    rng = np.random.default_rng(1)
    for _ in range(100):
        n, m = int(rng.integers(1, 30)), int(rng.integers(1, 50))
        x = sp.random(n, m, density=rng.random(), random_state=int(rng.integers(1e9)), format="csr")
        x.data = np.abs(x.data) + 0.01
        for wide in (False, True):
            if wide:
                x = sp.csr_matrix((x.data, x.indices.astype(np.int64), x.indptr.astype(np.int64)), shape=x.shape)
            scale = rng.random(n) * 3 + 1e-3
            want, got = (sp.diags(scale) @ x).tocsr(), _rows_scaled(x, scale)
            for u, v in ((want.data, got.data), (want.indices, got.indices), (want.indptr, got.indptr)):
                assert u.dtype == v.dtype and np.array_equal(u, v)
            assert np.array_equal((want @ want.T).toarray(), (got @ got.T).toarray())
