"""Content similarity between blocks: do two fragments tell the same story?

TF-IDF cosine over features that carry names: character bigrams and trigrams of CJK runs
("赣州", "经开区" vs "济宁", "高新区"), lower-cased Latin words of four or more letters cut to
six letters (a poor man's stemmer that merges "Verkehrs"/"Verkehr", "politique"/"politiques"),
and numbers in both scripts. IDF is computed over the texts given — one page — so words every
story on the page uses (招商, 项目; "Regierung" on a politics page) weigh little and each story's
own names weigh much.

CJK feature extraction is vectorised on code points (one int64 key per n-gram), so a 400-block
page costs a few milliseconds; vectors are SciPy sparse, L2-normalised.
"""
from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .lexicon import cjk_dict_ngrams, cjk_total, latin_zipfs
from .script import (CJK_RANGES, LANGUAGES, LATIN_LETTERS, language_of_hits, page_language, page_script,
                     stopword_hits)

# Latin words of 4+ letters and numbers: "[letters]{4,}|[0-9]+(?:[.,][0-9]+)*", written to open
# with one character class (the alternative is chosen by a look back at it), so that `re` skips
# to candidate characters in C instead of trying both alternatives at every position of a Han
# text (4× faster there, the same on Latin text; the same matches).
_LATIN_WORD = re.compile(f"[{LATIN_LETTERS}0-9](?:(?<=[{LATIN_LETTERS}])[{LATIN_LETTERS}]{{3,}}|(?<=[0-9])[0-9]*(?:[.,][0-9]+)*)")
STEM = 6  # Latin prefix stem length
# Background weight of a CJK n-gram that is no dictionary word: mostly pieces of two words
# ("目与") — noise — but also names jieba does not know ("莱尼"), which repetition (TF) lifts.
NON_WORD_WEIGHT = 0.6

# Code-point ranges counted as CJK n-gram material (Han, kana, hangul; as script.CJK_CHARS),
# as one flag per code point (1.1 MB, made at import): a code point's test is one table read.
_CJK_TABLE = np.zeros(0x110000, bool)
for _lo, _hi in CJK_RANGES:
    _CJK_TABLE[_lo:_hi + 1] = True
del _lo, _hi
_CJK_TABLE.flags.writeable = False  # a constant: no call may change what another reads


def _is_cjk_cp(cp: np.ndarray) -> np.ndarray:
    """(N,) bool per code point (0 … 0x10FFFF): inside one of the CJK ranges. A table read per
    code point (10× faster than a binary search over the ranges' edges)."""
    return _CJK_TABLE[cp]


def _cjk_features(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) arrays: one entry per CJK bigram/trigram occurrence, keys as int64.

    A bigram key is (c1 << 21 | c2) + 1, a trigram ((c1 << 21 | c2) << 21 | c3) + 2**62 —
    Unicode code points fit in 21 bits, so keys are unique and decodable. Numbers (Latin digit
    runs) are added as string features by the caller.
    """
    joined = "\x00".join(t.replace("\x00", " ") for t in texts)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    if cp.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    row = np.cumsum(cp == 0)  # separators advance the text index
    ok = _is_cjk_cp(cp)
    rows, keys = [], []
    if cp.size >= 2:
        m2 = ok[:-1] & ok[1:]
        rows.append(row[:-1][m2])
        keys.append(_bigram_keys(np.stack([cp[:-1], cp[1:]], axis=1))[m2])
    if cp.size >= 3:
        m3 = ok[:-2] & ok[1:-1] & ok[2:]
        rows.append(row[:-2][m3])
        keys.append(_trigram_keys(np.stack([cp[:-2], cp[1:-1], cp[2:]], axis=1))[m3])
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(rows), np.concatenate(keys)


def _bigram_keys(cp: np.ndarray) -> np.ndarray:
    return ((cp[..., 0] << 21) | cp[..., 1]) + 1


def _trigram_keys(cp: np.ndarray) -> np.ndarray:
    return (((cp[..., 0] << 21) | cp[..., 1]) << 21 | cp[..., 2]) + (1 << 62)


def _count_matrix(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    """(R, C) CSR of how often each (row, col) pair occurs, in canonical form (indices sorted,
    one entry each): what ``coo_matrix((ones, (rows, cols))).tocsr()`` gives once its duplicates
    are summed, from one sort of the pairs' keys instead of scipy's sort of every row (3× faster)."""
    key, count = np.unique(np.asarray(rows, np.int64) * shape[1] + np.asarray(cols, np.int64), return_counts=True)
    if len(key) == 0:
        return sp.csr_matrix(shape)
    indptr = np.searchsorted(key // shape[1], np.arange(shape[0] + 1))
    return sp.csr_matrix((count.astype(float), key % shape[1], indptr), shape=shape)


@functools.lru_cache(maxsize=1)
def _cjk_background() -> tuple[np.ndarray, np.ndarray]:
    """(sorted n-gram keys, weights) for jieba's 2- and 3-character words.

    weight = surprisal / log(total) = 1 − log(count + 1) / log(total): common words ("项目",
    "发展") weigh ≈ 0.5, rare ones ("赣州") ≈ 0.75; n-grams that are no dictionary word get
    `NON_WORD_WEIGHT`. Built once per process, from the arrays `lexicon` already holds.
    """
    log_total = math.log(cjk_total())
    keys, weights = [], []
    for n, make in ((2, _bigram_keys), (3, _trigram_keys)):
        cp, counts = cjk_dict_ngrams(n)
        keys.append(make(cp))
        weights.append(1.0 - np.log(counts + 1.0) / log_total)
    k, w = np.concatenate(keys), np.concatenate(weights)
    order = np.argsort(k, kind="stable")
    return k[order], w[order]


def _cjk_weights(vocab: np.ndarray) -> np.ndarray:
    """Background weight of each CJK n-gram key (`NON_WORD_WEIGHT` for non-words)."""
    keys, weights = _cjk_background()
    if len(keys) == 0 or len(vocab) == 0:
        return np.ones(len(vocab))
    pos = np.clip(np.searchsorted(keys, vocab), 0, len(keys) - 1)
    return np.where(keys[pos] == vocab, weights[pos], NON_WORD_WEIGHT)


def _latin_weights(words: np.ndarray, lang: str) -> np.ndarray:
    """Background weight per word: 1 − zipf/8, floored at 0.05 ("which", "werden" ≈ 0.2).
    Each distinct word is looked up once (a page repeats its words)."""
    listed = words.tolist()
    zipf = latin_zipfs(listed, lang)
    z = np.array([zipf[w] for w in listed], dtype=float)
    return np.clip(1.0 - z / 8.0, 0.05, 1.0)


def _decode_cjk(key: int) -> str:
    if key >= (1 << 62):
        k = key - (1 << 62)
        return chr(k >> 42) + chr((k >> 21) & 0x1FFFFF) + chr(k & 0x1FFFFF)
    k = key - 1
    return chr(k >> 21) + chr(k & 0x1FFFFF)


def _word_features(texts: Sequence[str]) -> tuple[list[int], list[str], list[str]]:
    """(row, feature, word) per occurrence: Latin words of ≥ 4 letters cut to their first six
    letters, and numbers as "#123" (on CJK pages too; the Han n-grams come from `_cjk_features`).
    Each distinct word's feature is made once (a page repeats its words)."""
    rows: list[int] = []
    words: list[str] = []
    for i, t in enumerate(texts):
        found = _LATIN_WORD.findall(t)
        if found:
            rows.extend([i] * len(found))
            words.extend(found)
    feat_of = {w: _feature(w) for w in set(words)}
    return rows, [feat_of[w] for w in words], words


def _feature(w: str) -> str:
    """A `_LATIN_WORD` match's feature: "#" + a number, else the word's casefolded stem."""
    return "#" + w if w[0].isdigit() else w.casefold()[:STEM]


@dataclass(frozen=True)
class PartReads:
    """What every concatenation of ``texts`` (a chunk's blocks) reads from each part on its own,
    read once: a chunk's three similarity calls (`articles.prefix_content` and the story pass's
    two `stories.story_fit` rounds) concatenate the same parts in other orders and would each
    read them again. The calls' results are the same arrays with or without it."""
    texts: tuple[str, ...]
    words: tuple[list[str], ...] | None   # `_LATIN_WORD` matches per part (CJK; None on Latin)
    first_class: np.ndarray               # (P,) `_char_class` of each part's first / last character
    last_class: np.ndarray
    ngram_row: np.ndarray | None          # CJK n-gram occurrences of the parts, stably by part (CJK)
    ngram_key: np.ndarray | None
    ngram_term: np.ndarray | None         # each occurrence's index into ngram_vocab
    ngram_vocab: np.ndarray | None        # the parts' distinct n-gram keys, sorted
    ngram_weight: np.ndarray | None       # `_cjk_weights(ngram_vocab)`
    cp: np.ndarray | None                 # the parts' code points joined by "\x00" (CJK)
    # what the calls read from an item of `_concat_items` (a part, or a run of parts joined at
    # letters), kept for the chunk's later calls by the item's string: its `_LATIN_WORD` matches
    # and its stop-word hits. Filled as the calls ask (most items recur: on a German page 72 %
    # of the items of a chunk's three calls are read by an earlier call).
    item_words: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)
    item_hits: dict[str, dict[str, int]] = field(default_factory=dict, compare=False, repr=False)


def read_parts(parts: Sequence[str], script: str) -> PartReads:
    """`PartReads` of ``parts`` for the similarity calls of a page in ``script``. On a Latin page
    most junctions join a letter to a letter, so most parts are read inside a run of parts
    (`_concat_items`), not alone: their words and stop words are left to each call, as reading
    them up front costs more than it saves (engine-speed-6: German 1.01–1.02 × CPU with them)."""
    texts = tuple(parts)
    first_c = np.array([_char_class(p[0]) if p else 0 for p in texts], np.int64)
    last_c = np.array([_char_class(p[-1]) if p else 0 for p in texts], np.int64)
    if script == "cjk":
        words = tuple(_LATIN_WORD.findall(p) for p in texts)
        r_p, k_p = _cjk_features(texts)
        by_part = np.argsort(r_p, kind="stable")
        vocab, term = np.unique(k_p[by_part], return_inverse=True)
        return PartReads(texts, words, first_c, last_c, r_p[by_part], k_p[by_part], term.reshape(-1), vocab,
                         _cjk_weights(vocab), _part_code_points(texts))
    return PartReads(texts, None, first_c, last_c, None, None, None, None, None, None)


def _part_code_points(parts: Sequence[str]) -> np.ndarray:
    """The code points of ``parts`` joined by "\x00" (a part's own NULs read as spaces)."""
    return np.frombuffer("\x00".join(p.replace("\x00", " ") for p in parts).encode("utf-32-le", "surrogatepass"),
                         dtype=np.uint32).astype(np.int64)


def _cjk_concat_counts(texts: Sequence[str], parts: Sequence[str], segs: Sequence[Sequence[int]],
                       lead: tuple[np.ndarray, np.ndarray, int] | None = None,
                       reads: PartReads | None = None) -> tuple[np.ndarray, sp.csr_matrix, np.ndarray]:
    """(vocabulary, (N, V) counts, `_cjk_weights` of the vocabulary) of the CJK n-grams of
    texts[i] = "".join(parts[segs[i]]).
    ``lead`` = (row, column, L): other features' occurrences, counted in L columns put before
    the V n-grams' (N, L + V): the matrix ``hstack`` of the two counts would give, made in one.

    The same counts as `_cjk_features` on the texts themselves, but each part's n-grams are
    extracted once and summed per text (a sparse product); only n-grams that straddle a
    junction between parts are read from the joined texts. For texts that repeat long prefixes
    (an article read so far, block by block) this is linear in the parts, not quadratic.
    ``reads``: `read_parts(parts, "cjk")`, where the caller has it already.
    """
    if reads is None or reads.ngram_key is None:
        reads = read_parts(parts, "cjk")
    n = len(texts)
    seg_len = np.array([len(sg) for sg in segs], dtype=np.int64)
    seg_flat = np.array([k for sg in segs for k in sg], dtype=np.int64)
    seg_row = np.repeat(np.arange(n), seg_len)
    # the parts' n-grams, by part (a stable sort of `_cjk_features`' rows), of the parts used
    used = np.zeros(len(parts), bool)
    used[seg_flat] = True
    keep = used[reads.ngram_row]
    r_p, t_p = reads.ngram_row[keep], reads.ngram_term[keep]
    # junctions: where one part ends inside a text (global offsets in the \x00-joined texts)
    t_len = np.array([len(t) for t in texts], dtype=np.int64)
    t_off = np.cumsum(t_len + 1) - (t_len + 1)
    p_len = np.array([len(p) for p in parts], dtype=np.int64)
    ends = np.cumsum(p_len[seg_flat])
    row_start = np.cumsum(seg_len) - seg_len
    local = ends - np.repeat(np.concatenate([[0], ends])[row_start], seg_len)  # end of part within its text
    cp = _text_chars(reads.cp, seg_flat, t_off[seg_row] + local - p_len[seg_flat], p_len)
    inner = (local > 0) & (local < t_len[seg_row])
    b_row, b_loc = seg_row[inner], local[inner]
    # n-grams starting 1 or 2 characters before a junction cross it
    cand = [(b_row, b_loc - 1, 2), (b_row, b_loc - 2, 3), (b_row, b_loc - 1, 3)]
    keys_j, rows_j = [], []
    for size in (2, 3):
        rr = np.concatenate([r for r, _, m in cand if m == size])
        ss = np.concatenate([q for _, q, m in cand if m == size])
        ok = (ss >= 0) & (ss + size <= t_len[rr])
        g = np.unique(t_off[rr[ok]] + ss[ok])  # global start; one n-gram may cross two junctions
        if len(g) == 0:
            continue
        win = cp(g[:, None] + np.arange(size)[None, :])
        cjk = _is_cjk_cp(win.ravel()).reshape(win.shape).all(axis=1)
        keys_j.append((_bigram_keys if size == 2 else _trigram_keys)(win[cjk]))
        rows_j.append(np.searchsorted(t_off, g[cjk], side="right") - 1)
    k_j = np.concatenate(keys_j) if keys_j else np.zeros(0, np.int64)
    r_j = np.concatenate(rows_j) if rows_j else np.zeros(0, np.int64)
    # the vocabulary (the used parts' n-grams and the junctions', sorted) from the parts' sorted
    # one: its used terms, with the junctions' new keys put in their places
    pv = reads.ngram_vocab
    have = np.zeros(len(pv), bool)
    have[t_p] = True
    kj = np.unique(k_j)
    at = np.searchsorted(pv, kj)
    known = at < len(pv)
    known[known] = pv[at[known]] == kj[known]
    have[at[known]] = True
    extra = kj[~known]  # keys no part holds
    held = np.nonzero(have)[0]
    new_at = np.searchsorted(pv[held], extra) + np.arange(len(extra))  # their places in the vocabulary
    vocab = np.insert(pv[held], np.searchsorted(pv[held], extra), extra)
    V = len(vocab)
    col_of = np.full(len(pv), -1, np.int64)
    col_of[held] = np.arange(len(held)) + np.searchsorted(extra, pv[held])
    weight = np.empty(V)
    weight[col_of[held]] = reads.ngram_weight[held]
    weight[new_at] = _cjk_weights(extra)
    # Counts are whole numbers, summed exactly in any order, and the result is put in canonical
    # form (indices sorted, one entry each): any route to it gives the same arrays. So `own`
    # keeps a part's repeated n-grams as repeated entries (the product adds them up), and the
    # product's unsorted rows are sorted by a CSC round trip (a counting sort), after which
    # the sum with `cross` merges two sorted matrices: no sort of every row at the end. For the
    # same reason `member` is left as the segments list their parts (unsorted, a part listed
    # twice counted twice by the product): no sort of the segments either.
    L = 0 if lead is None else lead[2]
    own = sp.csr_matrix((np.ones(len(t_p)), col_of[t_p] + L,
                         np.searchsorted(r_p, np.arange(len(parts) + 1))), shape=(len(parts), L + V))
    member = sp.csr_matrix((np.ones(len(seg_flat)), seg_flat, np.concatenate([[0], np.cumsum(seg_len)])),
                           shape=(n, len(parts)))
    r_x, c_x = r_j, np.searchsorted(vocab, k_j) + L
    if lead is not None:
        r_x, c_x = np.concatenate([lead[0], r_x]), np.concatenate([lead[1], c_x])
    cross = _count_matrix(r_x, c_x, (n, L + V))
    counts = ((member @ own).tocsc().tocsr() + cross).tocsr()
    counts.sum_duplicates()  # a no-op check here, kept as the statement of the form returned
    return vocab, counts, weight


def _text_chars(cp_p: np.ndarray, seg_flat: np.ndarray, start: np.ndarray,
                p_len: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A function: global offsets in the texts "".join(parts[segs[i]]) joined by "\x00" → their
    code points (each offset inside a text), read from the parts' code points. Only the few
    characters at part junctions are read: the texts themselves (whole stories, many times
    the parts) are never joined and encoded. ``cp_p``: the parts' code points
    (`_part_code_points`); ``start``: each segment entry's global offset."""
    p_off = np.cumsum(p_len + 1) - (p_len + 1)
    full = p_len[seg_flat] > 0
    e_start, e_part = start[full], seg_flat[full]  # strictly increasing: texts and parts in order

    def chars(q: np.ndarray) -> np.ndarray:
        e = np.searchsorted(e_start, q, side="right") - 1
        return cp_p[p_off[e_part[e]] + q - e_start[e]]
    return chars


# Per part end: 0 none of the below, 1 a Latin letter, 2 a digit, 3 "." or ",". A `_LATIN_WORD`
# match (or a `page_language` word, letters only) holds two characters side by side only as
# letter+letter, digit+digit, digit+separator or separator+digit: `_JOINS[left, right]`.
_LETTER = re.compile(f"[{LATIN_LETTERS}]")
_JOINS = np.zeros((4, 4), bool)
_JOINS[1, 1] = _JOINS[2, 2] = _JOINS[2, 3] = _JOINS[3, 2] = True


def _char_class(ch: str) -> int:
    """`_JOINS` class of a part's end character; a letter also where its lower case holds one
    (`page_language` reads lower-cased text: the Kelvin sign "K" is "k" there)."""
    return 1 if _LETTER.search(ch + ch.lower()) else 2 if "0" <= ch <= "9" else 3 if ch in ".," else 0


def _concat_items(parts: Sequence[str], segs: Sequence[Sequence[int]], reads: PartReads | None = None,
                  ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The texts "".join(parts[segs[i]]) cut into items whose words are their own: (row, item)
    per item in text order, and per item its string (items 0 … len(parts)−1 are the parts; the
    rest, the runs of parts joined where the character before a junction and the one after it
    could stand side by side in one match — "Verkehrs" + "politik", "12" + ".5" —, each once).

    A match cannot run through a junction whose two characters no match holds side by side, so
    a text's matches (`_LATIN_WORD`, `page_language`'s words) are its items' matches in turn.
    ``reads``: `read_parts(parts, …)`, where the caller has it already."""
    n = len(segs)
    seg_len = np.array([len(sg) for sg in segs], dtype=np.int64)
    seg_flat = np.array([k for sg in segs for k in sg], dtype=np.int64)
    seg_row = np.repeat(np.arange(n, dtype=np.int64), seg_len)
    p_len = np.array([len(p) for p in parts], dtype=np.int64)
    reads = reads or read_parts(parts, "latin")  # only the parts' end classes are asked of it
    first_c, last_c = reads.first_class, reads.last_class
    ne = p_len[seg_flat] > 0 if len(seg_flat) else np.zeros(0, bool)
    fl, fr = seg_flat[ne], seg_row[ne]
    # joined[j]: entry j+1 runs on from entry j (same text, a junction a match may run through)
    joined = (fr[:-1] == fr[1:]) & _JOINS[last_c[fl[:-1]], first_c[fl[1:]]]
    head = np.concatenate([[True], ~joined]) if len(fl) else np.zeros(0, bool)
    starts = np.nonzero(head)[0]
    size = np.diff(np.append(starts, len(fl)))
    item = fl[starts].copy()
    strings = list(parts)
    multi: dict[tuple[int, ...], int] = {}
    for g in np.nonzero(size > 1)[0].tolist():
        key = tuple(fl[starts[g]:starts[g] + size[g]].tolist())
        k = multi.get(key)
        if k is None:
            k = multi[key] = len(strings)
            strings.append("".join([parts[q] for q in key]))
        item[g] = k
    return fr[starts], item, strings


def _word_features_concat(texts: Sequence[str], parts: Sequence[str], segs: Sequence[Sequence[int]],
                          items: tuple[np.ndarray, np.ndarray, list[str]] | None = None,
                          reads: PartReads | None = None,
                          ) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """`_word_features` of texts[i] = "".join(parts[segs[i]]), reusing each part's matches, as
    (row, kind) per occurrence (in `_word_features`' order) and per kind its (feature, word).

    Each item of `_concat_items` (a part, or a run of parts a match may run across) is scanned
    once; a text's matches are its items' in turn. The occurrences are gathered from per-item
    arrays of kind ids (one ``np.repeat`` per text list), not from Python lists per text: texts
    repeating a whole story cost no Python loop. ``items``: `_concat_items(parts, segs)`, where
    the caller has them already; ``reads``: `read_parts(parts, …)` (the parts' matches)."""
    kinds: dict[tuple[str, str], int] = {}
    kind_of: dict[str, int] = {}  # a word's kind (its feature is the word's alone), made once

    def kind(w: str) -> int:
        k = kinds.setdefault((_feature(w), w), len(kinds))
        kind_of[w] = k
        return k

    def kind_ids(found: list[str]) -> list[int]:
        get = kind_of.get
        return [k if (k := get(w)) is not None else kind(w) for w in found]

    item_row, item, strings = _concat_items(parts, segs, reads) if items is None else items
    P = len(parts)
    part_words = reads.words if reads is not None else None
    ids: list[list[int]] = [[] for _ in strings]
    memo = reads.item_words if reads is not None else {}
    for k in np.unique(item).tolist():  # kinds' numbering is immaterial (features sorted later)
        if part_words is not None and k < P:
            found = part_words[k]
        elif (found := memo.get(strings[k])) is None:
            found = memo[strings[k]] = _LATIN_WORD.findall(strings[k])
        ids[k] = kind_ids(found)
    nf = np.array([len(x) for x in ids], dtype=np.int64)
    flat = np.array([k for x in ids for k in x], dtype=np.int64)
    off = np.cumsum(nf) - nf
    cnt = nf[item]
    start = np.repeat(off[item] - (np.cumsum(cnt) - cnt), cnt)
    occ = flat[start + np.arange(cnt.sum())] if cnt.sum() else np.zeros(0, np.int64)
    feats = [f for f, _ in kinds]
    words = [w for _, w in kinds]
    return np.repeat(item_row, cnt), occ, feats, words


def _concat_language(parts: Sequence[str], segs: Sequence[Sequence[int]],
                     items: tuple[np.ndarray, np.ndarray, list[str]] | None = None,
                     reads: PartReads | None = None) -> str:
    """`page_language` of the texts "".join(parts[segs[i]]): each item of `_concat_items` read
    once, its stop-word hits counted as often as the texts hold it (the same integer sums).
    ``items``: `_concat_items(parts, segs)`, where the caller has them already; ``reads``:
    `read_parts(parts, …)` (the parts' character classes)."""
    _, item, strings = _concat_items(parts, segs, reads) if items is None else items
    mult = np.bincount(item, minlength=len(strings))
    hits = {lang: 0 for lang in LANGUAGES}
    memo = reads.item_hits if reads is not None else {}
    for k in np.nonzero(mult)[0].tolist():
        if (item_hits := memo.get(strings[k])) is None:
            item_hits = memo[strings[k]] = stopword_hits(strings[k])
        for lang, h in item_hits.items():
            hits[lang] += h * int(mult[k])
    return language_of_hits(hits)


def _word_columns(texts: Sequence[str], script: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(row per occurrence, vocabulary, column per occurrence, background weight per column) of
    the Latin word / number features of ``texts``."""
    rows_w, feats, words = _word_features(texts)
    if feats:
        vocab_w, inv_w = np.unique(np.array(feats), return_inverse=True)
        lang = "en" if script == "cjk" else page_language(texts)
        # numbers weigh 1; only real words need wordfreq (a page of Han text and numbers never loads it)
        num = np.array([f[0] == "#" for f in feats])
        occ = np.ones(len(feats))
        if not num.all():
            occ[~num] = _latin_weights(np.array(words)[~num], lang)
        bg_w = np.bincount(inv_w, weights=occ, minlength=len(vocab_w)) / np.bincount(inv_w, minlength=len(vocab_w))
    else:
        vocab_w, inv_w, bg_w = np.zeros(0, str), np.zeros(0, np.int64), np.zeros(0)
    return np.asarray(rows_w, np.int64), vocab_w, inv_w, bg_w


def _word_columns_concat(texts: Sequence[str], script: str, parts: Sequence[str], segs: Sequence[Sequence[int]],
                         reads: PartReads | None = None,
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`_word_columns` of concatenated texts (see `_word_features_concat`): the same arrays, with
    the per-occurrence work (feature strings, word weights) done once per distinct feature kind.
    The texts' items (`_concat_items`) are cut once for the words and the language."""
    items = _concat_items(parts, segs, reads)
    rows_w, occ_kind, feats, words = _word_features_concat(texts, parts, segs, items, reads)
    if len(occ_kind) == 0:
        return rows_w, np.zeros(0, str), np.zeros(0, np.int64), np.zeros(0)
    present = np.bincount(occ_kind, minlength=len(feats)) > 0
    vocab_w, kind_col = np.unique(np.array(feats)[present], return_inverse=True)
    col = np.full(len(feats), -1, np.int64)
    col[present] = kind_col
    inv_w = col[occ_kind]
    lang = "en" if script == "cjk" else _concat_language(parts, segs, items, reads)
    num = np.array([f[0] == "#" for f in feats])
    kind_w = np.ones(len(feats))
    word_kinds = present & ~num
    if word_kinds.any():
        kind_w[word_kinds] = _latin_weights(np.array(words)[word_kinds], lang)
    occ = kind_w[occ_kind]
    bg_w = np.bincount(inv_w, weights=occ, minlength=len(vocab_w)) / np.bincount(inv_w, minlength=len(vocab_w))
    return rows_w, vocab_w, inv_w, bg_w


def _tfidf_unscaled(texts: Sequence[str], script: str,
                    concat: tuple[Sequence[str], Sequence[Sequence[int]]] | None = None,
                    reads: PartReads | None = None,
                    ) -> tuple[sp.csr_matrix, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Weighted sublinear-TF × smooth-IDF matrix (canonical CSR: indices sorted), the inverse of
    its rows' L2 norms, and its vocabulary.

    Column weight = IDF over `texts` × background weight (how rare the term is in the language at
    large: jieba counts for CJK n-grams, wordfreq for Latin words), so a page's shared vocabulary
    and the language's common words both count little and names count much. ``concat`` =
    (parts, segments): the texts are concatenations of parts (see `_cjk_concat_counts`);
    ``reads``: `read_parts(parts, script)`, where the caller has it already.
    """
    n = len(texts)
    if concat is not None:
        rows_w, vocab_w, inv_w, bg_w = _word_columns_concat(texts, script, *concat, reads)
    else:
        rows_w, vocab_w, inv_w, bg_w = _word_columns(texts, script)
    if script == "cjk" and concat is not None:
        # the word counts come first, in the same matrix (integer counts: no order to keep)
        vocab_c, tf, bg_c = _cjk_concat_counts(texts, *concat, lead=(np.asarray(rows_w, np.int64),
                                                                     inv_w.astype(np.int64), len(vocab_w)), reads=reads)
        n_terms = len(vocab_w) + len(vocab_c)
    else:
        if script == "cjk":
            r_c, k_c = _cjk_features(texts)
            vocab_c, inv_c = np.unique(k_c, return_inverse=True)
            bg_c = _cjk_weights(vocab_c)
        else:
            r_c, vocab_c, inv_c, bg_c = (np.zeros(0, np.int64),) * 3 + (np.zeros(0),)
        rows = np.concatenate([np.asarray(rows_w, np.int64), r_c])
        cols = np.concatenate([inv_w.astype(np.int64), inv_c.astype(np.int64) + len(vocab_w)])
        n_terms = len(vocab_w) + len(vocab_c)
        tf = _count_matrix(rows, cols, (n, n_terms))
    tf.data = 1.0 + np.log(tf.data)
    df = np.bincount(tf.indices, minlength=n_terms)
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0) * np.concatenate([bg_w, bg_c])
    x, norm = _scaled_columns(tf, idf)
    return x, 1.0 / np.maximum(norm, 1e-12), (vocab_w, vocab_c)


def _scaled_columns(tf: sp.csr_matrix, weight: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray]:
    """``tf.multiply(weight[None, :]).tocsr()`` for a canonical ``tf`` with no zero entries and
    positive weights, and its rows' L2 norms as ``x.multiply(x).sum(axis=1)`` sums them, to the
    bit: the same products in the same places (no entry drops out, the order stays sorted), and
    each row's squares added by the same ``np.add.reduceat`` SciPy's row sum calls. Built on the
    arrays directly, without SciPy's round trip through COO and its element-wise product."""
    data = tf.data * weight[tf.indices]
    x = sp.csr_matrix((data, tf.indices.copy(), tf.indptr.copy()), shape=tf.shape)
    x.has_canonical_format = True
    sq = np.zeros(tf.shape[0])
    full = np.nonzero(np.diff(tf.indptr))[0]
    if len(full):
        sq[full] = np.add.reduceat(data * data, tf.indptr[full])
    return x, np.sqrt(sq)


def _tfidf(texts: Sequence[str], script: str,
           concat: tuple[Sequence[str], Sequence[Sequence[int]]] | None = None,
           reads: PartReads | None = None,
           ) -> tuple[sp.csr_matrix, tuple[np.ndarray, np.ndarray]]:
    """Weighted sublinear-TF × smooth-IDF matrix (rows L2-normalised) and its vocabulary:
    `_tfidf_unscaled`'s matrix, its rows scaled by their inverse norms."""
    x, inv_norm, vocab = _tfidf_unscaled(texts, script, concat, reads)
    return _rows_scaled(x, inv_norm), vocab


def _rows_scaled(x: sp.csr_matrix, scale: np.ndarray) -> sp.csr_matrix:
    """``(sp.diags(scale) @ x).tocsr()`` for a canonical ``x`` and positive ``scale``, to the bit,
    without SciPy's DIA → CSR conversion and general product: each entry scale[i] · x[i, j]
    (the product's 0 + a · b), and each row's columns in descending order, as the product
    stores them (its row's result list grows at the head); later products add in that order."""
    n = np.diff(x.indptr)
    row = np.repeat(np.arange(x.shape[0]), n)
    rev = x.indptr[row] + x.indptr[row + 1] - 1 - np.arange(len(x.data))  # each row read backwards
    # the constructor picks the index dtype from the contents, as it does for the product's result
    return sp.csr_matrix(((scale[row] * x.data)[rev], x.indices[rev], x.indptr.copy()), shape=x.shape)


def similarity_matrix(
    texts_a: Sequence[str],
    texts_b: Sequence[str],
    script: str | None = None,
    *,
    idf_texts: Sequence[str] | None = None,
) -> np.ndarray:
    """(N, M) TF-IDF cosine similarity in [0, 1] between texts_a[i] and texts_b[j].

    IDF is computed over the distinct texts among texts_a, texts_b and `idf_texts` (e.g. every
    block of the page): a text given in both lists, or twice, counts once. Identical non-empty
    texts score 1; texts with no shared distinctive feature score 0.
    """
    a, b = list(texts_a), list(texts_b)
    rows: dict[str, int] = {}
    for t in a + b + list(idf_texts or ()):
        rows.setdefault(t, len(rows))
    pool = list(rows)
    script = script or page_script(pool)
    x, _ = _tfidf(pool, script)
    return _pool_cosines(x, [rows[t] for t in a], [rows[t] for t in b])


def _pool_cosines(x: sp.csr_matrix, ia: Sequence[int], ib: Sequence[int]) -> np.ndarray:
    """(len(ia), len(ib)) dot products of rows x[ia] with rows x[ib], clipped to [0, 1].

    The sparse product is taken over distinct rows only and then spread out: each entry is the
    same dot product, summed in the same order, as in the product of the repeated rows.
    """
    ua, inv_a = np.unique(np.asarray(ia, dtype=np.int64), return_inverse=True)
    ub, inv_b = np.unique(np.asarray(ib, dtype=np.int64), return_inverse=True)
    sim = (x[ua] @ x[ub].T).toarray()[inv_a.reshape(-1, 1), inv_b.reshape(1, -1)]
    return np.clip(sim, 0.0, 1.0)


def concat_similarity_matrix(
    parts: Sequence[str],
    segs_a: Sequence[Sequence[int]],
    segs_b: Sequence[Sequence[int]],
    script: str | None = None,
    reads: PartReads | None = None,
) -> np.ndarray:
    """`similarity_matrix` of texts built by concatenating parts: text_a[i] =
    "".join(parts[k] for k in segs_a[i]), the same for b. Identical results, but the CJK n-grams
    of each part are extracted once however many texts repeat it. ``reads``: `read_parts(parts,
    script)`, for callers that concatenate the same parts again (the same result without it)."""
    texts = ["".join([parts[k] for k in sg]) for sg in list(segs_a) + list(segs_b)]
    segs = list(segs_a) + list(segs_b)
    rows: dict[str, int] = {}
    pool_segs: list[Sequence[int]] = []
    for t, sg in zip(texts, segs):
        if t not in rows:
            rows[t] = len(rows)
            pool_segs.append(sg)
    pool = list(rows)
    script = script or page_script(pool)
    reads = read_parts(parts, script) if reads is None else reads
    x, _ = _tfidf(pool, script, concat=(parts, pool_segs), reads=reads)
    n_a = len(segs_a)
    return _pool_cosines(x, [rows[t] for t in texts[:n_a]], [rows[t] for t in texts[n_a:]])


def concat_similarity_split(
    parts: Sequence[str],
    segs_a: Sequence[Sequence[int]],
    segs_b: Sequence[Sequence[int]],
    segs_c: Sequence[Sequence[int]],
    pair_a: Sequence[int],
    script: str | None = None,
    reads: PartReads | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``concat_similarity_matrix(parts, segs_a, segs_b + segs_c)`` where of the segs_c columns
    only one entry each is wanted: (N_a, N_b) its first columns, and (N_c,) its entries
    (pair_a[i], N_b + i). The same numbers, without the N_a × N_c product (`_pool_pair_cosines`).
    ``reads``: as for `concat_similarity_matrix`."""
    sa, sb, sc = list(segs_a), list(segs_b), list(segs_c)
    texts = ["".join([parts[k] for k in sg]) for sg in sa + sb + sc]
    rows: dict[str, int] = {}
    pool_segs: list[Sequence[int]] = []
    for t, sg in zip(texts, sa + sb + sc):
        if t not in rows:
            rows[t] = len(rows)
            pool_segs.append(sg)
    pool = list(rows)
    script = script or page_script(pool)
    reads = read_parts(parts, script) if reads is None else reads
    xs, inv_norm, _ = _tfidf_unscaled(pool, script, concat=(parts, pool_segs), reads=reads)
    ra = [rows[t] for t in texts[:len(sa)]]
    rb = [rows[t] for t in texts[len(sa):len(sa) + len(sb)]]
    # only the a and b texts' rows are scaled: the c texts (whole stories, most of the pool)
    # are read by `_pool_pair_cosines` from xs. Row by row the same product as the whole one's.
    need = np.unique(np.asarray(ra + rb, np.int64))
    x = _rows_scaled(xs[need], inv_norm[need])
    sim = _pool_cosines(x, np.searchsorted(need, ra), np.searchsorted(need, rb))
    rc = [rows[t] for t in texts[len(sa) + len(sb):]]
    pair = _pool_pair_cosines(xs, inv_norm, [ra[i] for i in pair_a], rc)
    return sim, pair


def _pool_pair_cosines(xs: sp.csr_matrix, inv_norm: np.ndarray,
                       ia: Sequence[int], ib: Sequence[int]) -> np.ndarray:
    """(P,) `_pool_cosines` entries x[ia[p]] · x[ib[p]], pair by pair, where x = diag(inv_norm) @
    xs (``xs`` canonical), to the bit. x, a sparse product of one entry per row with xs, stores
    each row's columns in descending order (its result list grows at the head), and the product
    x[ia] @ x[ib].T adds a row's products one by one from zero in that order. So the products of
    the shared columns (x's values, from the sorted rows) are taken in ascending order and added
    backwards by a matrix-vector product, which adds one by one from zero too."""
    P = len(ia)
    if P == 0:
        return np.zeros(0)
    xv = sp.csr_matrix((np.repeat(inv_norm, np.diff(xs.indptr)) * xs.data, xs.indices, xs.indptr), shape=xs.shape)
    prod = xv[np.asarray(ia, np.int64)].multiply(xv[np.asarray(ib, np.int64)]).tocsr()
    n = np.diff(prod.indptr)[::-1]
    rev = sp.csr_matrix((prod.data[::-1], np.zeros(len(prod.data), np.int64), np.concatenate([[0], np.cumsum(n)])),
                        shape=(P, 1))
    return np.clip((rev @ np.ones(1))[::-1], 0.0, 1.0)


def distinctive_terms(texts: Sequence[str], script: str | None = None, *, k: int = 10) -> list[list[str]]:
    """Per text, its `k` highest TF-IDF features (names, places, numbers), best first.

    For explaining joins ("shares 赣州, 经开区") and debugging the content score. Overlapping
    CJK n-grams are kept as they are (a name shows as its bigrams and trigram).
    """
    t = list(texts)
    script = script or page_script(t)
    x, (vocab_w, vocab_c) = _tfidf(t, script)
    nw = len(vocab_w)
    out: list[list[str]] = []
    for i in range(x.shape[0]):
        row = x.getrow(i)
        order = np.lexsort((row.indices, -row.data))[:k]
        terms = []
        for c in row.indices[order]:
            terms.append(str(vocab_w[c]) if c < nw else _decode_cjk(int(vocab_c[c - nw])))
        out.append(terms)
    return out


def headline_names(heads: Sequence[str], texts: Sequence[str], script: str | None = None,
                   *, min_weight: float | None = None) -> np.ndarray:
    """(len(texts), len(heads)): how much each text names what exactly one headline names.

    A story's headline group names its place or subject ("山东济宁高新区：", "Hochwasser in
    Basel"); a paragraph that repeats a name only that headline holds ("3月份以来，济宁高新区…")
    belongs to that story, whatever stands above it on the page. Sums the background weights
    (rarity in the language) of the text's features — CJK bigrams/trigrams, Latin word stems —
    that occur in one headline and in no other; features common in the language (weight below
    ``min_weight``: 0.55 for CJK n-grams, where rare words weigh ≈ 0.75; 0.5 for Latin words,
    zipf ≤ 4, as their headlines carry more ordinary words) and numbers do not count.
    """
    heads, texts = list(heads), list(texts)
    G, T = len(heads), len(texts)
    out = np.zeros((T, G))
    if G < 2 or T == 0:
        return out
    pool = heads + texts
    script = script or page_script(pool)
    if min_weight is None:
        min_weight = 0.55 if script == "cjk" else 0.5
    rows_w, feats, words = _word_features(pool)
    keep = np.array([f[0] != "#" for f in feats], dtype=bool)
    vocab_w, inv_w = np.unique(np.array(feats, dtype=str)[keep], return_inverse=True) if keep.any() \
        else (np.zeros(0, str), np.zeros(0, np.int64))
    lang = "en" if script == "cjk" else page_language(texts)
    occ_w = _latin_weights(np.array(words, dtype=str)[keep], lang) if keep.any() else np.zeros(0)
    weight_w = np.zeros(len(vocab_w))
    weight_w[inv_w] = occ_w  # a stem's words differ in frequency; any one of them stands for it
    rows = [np.asarray(rows_w, np.int64)[keep]]
    cols = [inv_w.astype(np.int64)]
    weights = [weight_w]
    if script == "cjk":
        r_c, k_c = _cjk_features(pool)
        vocab_c, inv_c = np.unique(k_c, return_inverse=True)
        rows.append(r_c)
        cols.append(inv_c.astype(np.int64) + len(vocab_w))
        weights.append(_cjk_weights(vocab_c))
    weight = np.concatenate(weights)
    if len(weight) == 0:
        return out
    F = len(weight)
    # which features each text holds (canonical: each row's features once, in ascending order)
    present = _count_matrix(np.concatenate(rows), np.concatenate(cols), (len(pool), F))
    cut = present.indptr[G]
    head_cols = present.indices[:cut]
    only_one = np.bincount(head_cols, minlength=F) == 1
    w = np.where(only_one & (weight >= min_weight), weight, 0.0)
    head_of = np.zeros(F, np.int64)
    head_of[head_cols] = np.repeat(np.arange(G), np.diff(present.indptr[:G + 1]))
    # each text's weights summed per headline from zero in ascending feature order, as the
    # sparse product (text features × weights) @ headline features.T adds them
    t_row = np.repeat(np.arange(T), np.diff(present.indptr[G:]))
    t_col = present.indices[cut:]
    hit = w[t_col] > 0
    return np.bincount(t_row[hit] * G + head_of[t_col[hit]], weights=w[t_col[hit]],
                       minlength=T * G).reshape(T, G)
