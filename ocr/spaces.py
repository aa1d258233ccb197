"""Word spaces the recogniser dropped in Latin-script lines ("DasMuseum der Kulturenin Baselzeigt").

On degraded scans PP-OCR's recogniser loses about one word space in eight of German, French and
English text (docs/ocr.md, "Latin word spaces"), while the page still shows the space: a run of
ink-free pixel columns between the two letters. This step puts such spaces back after
recognition, from two pieces of evidence:

- **The ink gap**: the longest run of columns without ink (the page's Otsu mask, over the line
  box's rows) between the centres of two neighbouring characters (their CTC columns, as
  :func:`broadsheet.ocr.engines.rapid._char_boxes` places them), in units of the line box height.
  Letters inside a word leave at most ≈ 0.18 of the line height (99.9 % of them, measured on
  degraded scans), dropped spaces at least ≈ 0.30 (99.5 %). Such a wide gap is a space unless
  the joined token is a word of the page's language and one half is not ("wil|l": the CTC put
  a doubled letter's column across the next word space).
- **The lexicon**: a narrower gap (``lex_gap`` up to ``sure_gap``) splits only when the gap is also wider
  than the line's letter pitch (``pitch_ratio`` × the median distance of neighbouring character
  centres inside words) and both halves are words of the page's language (wordfreq, Zipf ≥
  ``min_zipf``) and the joined token is not ("Kulturen|in" splits, "Bundes|rat" does not: the
  joined word is common itself).

No space goes before closing punctuation, after opening punctuation or between two digits, nor
between two single letters (a word letter-spaced for emphasis stays one word).
Lines with CJK characters, lines without per-character boxes and vertical lines pass through
the Latin step unchanged (byte-identical). A restored space gets the gap between its neighbours'
boxes as its box, as the engine's own spaces do.

Chinese text is set solid, but a byline or credit puts word spaces between its label and the
names ("本报记者 林晓雪", "本报记者 郑海生 通讯员 黄晓燕", "本版编辑 李明远 王晓晴") and a
dateline before its weekday ("2024年3月8日 星期五"); the recogniser drops them nearly always.
:func:`cjk_space_points` puts them back in those lines only — a line that opens with a credit
label followed by a name, and the "日|星期" of a date — where the page shows paper between the two
glyphs over ``cjk_gap`` of the line's advance. The gap is read from a light threshold (a quarter
of the way from the line's paper to its ink), not the Otsu mask: a degraded scan loses the thin
strokes of serif glyphs in the Otsu mask, and body text then shows gaps as wide as a space at
"十|二", "项|目" — no gap separates spaces from glyph shapes in running text, hence the context.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from .charclass import HAN_CHAR, HAN_CLASS, has_cjk, han_advance
from .types import OcrLine

#: Characters no space goes before (closing punctuation) and after (opening punctuation).
NO_SPACE_BEFORE = frozenset(",.;:!?)]}»”’'\"%…-/")
NO_SPACE_AFTER = frozenset("([{«„“‘'\"/")
_LATIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

#: A few of each language's most frequent short words, to tell the page's language (wordfreq's
#: list of that language is then loaded once per process).
STOP_WORDS = {
    "de": ("der", "die", "das", "und", "nicht", "mit", "den", "ist", "von", "sich", "auf", "dem", "ein", "eine", "für"),
    "en": ("the", "and", "of", "to", "is", "that", "with", "was", "for", "on", "are", "this", "by", "from", "have"),
    "fr": ("le", "la", "les", "et", "des", "est", "une", "du", "que", "pour", "dans", "qui", "sur", "pas", "au"),
    "it": ("il", "di", "che", "della", "per", "una", "sono", "non", "del", "con", "gli", "alla", "dei", "nel", "le"),
    "es": ("el", "los", "las", "que", "del", "por", "una", "con", "para", "es", "se", "al", "como", "más", "pero"),
    "nl": ("de", "het", "een", "van", "en", "dat", "niet", "op", "met", "zijn", "voor", "ook", "aan", "bij", "wordt"),
}

_STOP_SETS = {lang: frozenset(sw) for lang, sw in STOP_WORDS.items()}


@dataclass(frozen=True, kw_only=True)
class SpaceConfig:
    """``sure_gap``: ink gap (× line height) that is a word space on its own; ``lex_gap``: the
    narrowest ink gap the lexicon may split at; ``pitch_ratio``: a lexicon split also needs the
    two characters' centres this many letter pitches apart; ``min_zipf``: wordfreq Zipf value a
    half must reach to count as a word (3 ≈ once per million words); ``min_chars``: lines with
    fewer non-space characters keep their text. ``cjk_gap``: paper between two Han glyphs of a
    credit line or dateline (× the line's advance) that is a word space; ``cjk_ink``: a pixel is
    ink for that test when it is darker than the line's paper by this share of the paper-to-ink
    range."""

    sure_gap: float = 0.30
    lex_gap: float = 0.20
    pitch_ratio: float = 1.25
    min_zipf: float = 3.0
    min_chars: int = 4
    cjk_gap: float = 0.18
    cjk_ink: float = 0.25


def is_latin_line(text: str) -> bool:
    """Does ``text`` hold Latin letters and no CJK characters?"""
    return not has_cjk(text) and _LATIN.search(text) is not None


def page_language(texts: Sequence[str]) -> str | None:
    """The language of :data:`STOP_WORDS` whose stop words occur most often in ``texts``
    (ties: first listed); None when none occurs."""
    words = Counter(w.lower() for t in texts for w in _WORD.findall(t))
    if not words:
        return None
    counts = {lang: sum(words[w] for w in words.keys() & _STOP_SETS[lang]) for lang in STOP_WORDS}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > 0 else None


#: The one-letter words of each language; wordfreq lists every letter (German "l" at Zipf 5.2).
ONE_LETTER_WORDS = {"de": "", "en": "ai", "fr": "aày", "it": "aeèio", "es": "aeouy", "nl": "u"}


@functools.lru_cache(maxsize=65536)
def _zipf(word: str, lang: str) -> float:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a dependency
        return 0.0
    return float(zipf_frequency(word, lang))


#: Words of up to SHORT letters must reach SHORT_ZIPF: the short words of a language are its most
#: frequent ones (German "in", "zu", "der" at 6-7.5), while short fragments of names and
#: abbreviations sit at 3-4.5 ("ri" 3.45 in German: "And|ri Casutt" must not split).
SHORT, SHORT_ZIPF = 3, 5.0


def _is_word(core: str, lang: str, min_zipf: float) -> bool:
    """Is the lower-cased letters-only ``core`` a word of ``lang``?"""
    if len(core) == 1:
        return core in ONE_LETTER_WORDS.get(lang, "")
    return _zipf(core, lang) >= (max(min_zipf, SHORT_ZIPF) if len(core) <= SHORT else min_zipf)


def _core(s: str) -> str:
    """The letters-only core of a token half, lower-cased ("" when it is not one word)."""
    words = _WORD.findall(s)
    return words[0].lower() if len(words) == 1 else ""


def lexicon_split(left: str, right: str, lang: str | None, min_zipf: float) -> bool:
    """Are ``left`` and ``right`` (the two halves of a token) both words of ``lang`` (Zipf ≥
    ``min_zipf``) while the joined token is not? A common compound ("Bundesrat") never splits here,
    however common its parts."""
    if lang is None:
        return False
    a, b, ab = _core(left), _core(right), _core(left + right)
    if not a or not b:
        return False
    if not (_is_word(a, lang, min_zipf) and _is_word(b, lang, min_zipf)):
        return False
    return not ab or not _is_word(ab, lang, min_zipf)


def lexicon_veto(left: str, right: str, lang: str | None, min_zipf: float) -> bool:
    """Is the joined token a word of ``lang`` (Zipf ≥ ``min_zipf``) while a half is not?"""
    if lang is None:
        return False
    a, b, ab = _core(left), _core(right), _core(left + right)
    if not ab or not a or not b or not _is_word(ab, lang, min_zipf):
        return False
    return not (_is_word(a, lang, min_zipf) and _is_word(b, lang, min_zipf))


def _longest_empty(zero_runs: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per interval [lo, hi), the longest overlap with any of the (R, 2) empty column runs."""
    if len(zero_runs) == 0 or len(lo) == 0:
        return np.zeros(len(lo))
    ov = (np.minimum(zero_runs[None, :, 1], hi[:, None]) - np.maximum(zero_runs[None, :, 0], lo[:, None]))
    return np.clip(ov, 0, None).max(axis=1)


def _empty_runs(profile: np.ndarray) -> np.ndarray:
    """(R, 2) [start, end) column ranges where ``profile`` is 0."""
    z = np.concatenate([[0], (profile == 0).astype(np.int8), [0]])
    d = np.diff(z)
    return np.stack([np.flatnonzero(d == 1), np.flatnonzero(d == -1)], axis=1)


def space_points(line: OcrLine, ink: np.ndarray, lang: str | None, cfg: SpaceConfig) -> list[int]:
    """Indices into ``line.text`` before which a space was dropped (ascending)."""
    text, chars = line.text, line.chars
    if chars is None or len(chars) != len(text) or not is_latin_line(text):
        return []
    x0, y0, x1, y1 = line.bbox
    h = y1 - y0
    if h <= 0 or x1 - x0 < h:  # vertical or degenerate
        return []
    solid = np.array([i for i, c in enumerate(text) if not c.isspace()], dtype=np.int64)
    if len(solid) < cfg.min_chars:
        return []
    box = np.asarray(chars, dtype=np.float64)[solid]
    cx = (box[:, 0] + box[:, 2]) / 2
    if np.any(np.diff(cx) <= 0):
        return []
    H, W = ink.shape
    r0, r1 = max(int(round(y0)), 0), min(int(round(y1)), H)
    c0, c1 = max(int(np.floor(x0)), 0), min(int(np.ceil(x1)), W)
    if r1 <= r0 or c1 <= c0:
        return []
    runs = _empty_runs(ink[r0:r1, c0:c1].sum(axis=0)) + c0
    left, right = solid[:-1], solid[1:]
    joined = right - left == 1  # no space between the two characters yet
    gap = _longest_empty(runs, cx[:-1], cx[1:]) / h
    dist = np.diff(cx)
    inner = dist[joined]
    pitch = float(np.median(inner)) if len(inner) else 0.0
    lc = np.array([text[i] for i in left])
    rc = np.array([text[i] for i in right])
    allowed = joined & ~np.isin(rc, list(NO_SPACE_BEFORE)) & ~np.isin(lc, list(NO_SPACE_AFTER))
    allowed &= ~(np.char.isdigit(lc) & np.char.isdigit(rc))
    sure = allowed & (gap >= cfg.sure_gap)
    maybe = allowed & ~sure & (gap >= cfg.lex_gap) & (pitch > 0) & (dist >= cfg.pitch_ratio * pitch)
    def halves(i: int, others: set[int]) -> tuple[str, str]:
        """The two pieces around a split before ``i``, bounded by spaces and ``others``."""
        lo = max([text.rfind(" ", 0, i) + 1] + [p for p in others if p < i])
        end = text.find(" ", i)
        hi = min([len(text) if end < 0 else end] + [p for p in others if p > i])
        return text[lo:i], text[i:hi]

    sure_points = set(right[sure].tolist())
    # a wide gap inside a word the lexicon knows, with a half it does not ("wil|l": the CTC
    # put a doubled letter's column across the next word space), is not a space
    points = {i for i in sure_points if not lexicon_veto(*halves(i, sure_points - {i}), lang, cfg.min_zipf)}
    for k in np.flatnonzero(maybe):
        i = int(right[k])
        if lexicon_split(*halves(i, points), lang, cfg.min_zipf):
            points.add(i)
    return _drop_letter_spacing(text, sorted(points))


def _drop_letter_spacing(text: str, points: list[int]) -> list[int]:
    """Drop the points between two one-character pieces: a word set letter-spaced for emphasis
    ("G e s p e r r t", common in German newspapers) stays one word, while the space before it
    stays ("derGesperrt" → "der Gesperrt")."""
    if len(points) < 2:
        return points
    cuts = sorted({0, len(text), *points} | {i for i, c in enumerate(text) if c.isspace()}
                  | {i + 1 for i, c in enumerate(text) if c.isspace()})
    single = {a for a, b in zip(cuts[:-1], cuts[1:]) if b - a == 1 and not text[a].isspace()}
    return [p for p in points if not (p in single and p - 1 in single)]


#: A Chinese byline or credit: its label opens the line and a name follows straight after it.
CREDIT_LINE = re.compile(
    f"^((本报|新华社|本报特约|特约|见习)?(记者|通讯员|实习生)|本版编辑|责任编辑|新华社发)[{HAN_CLASS}]")
#: A credit holds names only: a line with any other mark ("记者，目前…", "记者了解到，…") is text.
_CREDIT_MARK = re.compile(f"[^\\s{HAN_CLASS}·•]")
#: The weekday after a date ("2024年3月8日 星期五").
_WEEKDAY = re.compile(r"(?<=日)星期")
#: A credit line longer than this is running text that happens to open with a label.
CREDIT_MAX_CHARS = 24


def _cjk_candidates(text: str) -> list[int]:
    """Indices before which a Chinese word space may have been dropped: every Han|Han boundary
    of a credit line, and the weekday of a date."""
    cands = [m.start() for m in _WEEKDAY.finditer(text)]
    solid = text.replace(" ", "")
    if CREDIT_LINE.match(solid) and len(solid) <= CREDIT_MAX_CHARS and not _CREDIT_MARK.search(solid):
        cands += [i for i in range(1, len(text))
                  if HAN_CHAR.match(text[i - 1]) and HAN_CHAR.match(text[i])]
    return sorted(set(cands))


def cjk_space_points(line: OcrLine, image: np.ndarray, cfg: SpaceConfig) -> list[int]:
    """Indices into ``line.text`` before which a Chinese word space was dropped (see the module
    doc): candidates of :func:`_cjk_candidates` with ``cjk_gap`` advances of paper between the
    two glyphs' centres, read at the ``cjk_ink`` threshold over the line box's rows."""
    text, chars = line.text, line.chars
    if chars is None or len(chars) != len(text) or not has_cjk(text):
        return []
    cands = _cjk_candidates(text)
    if not cands:
        return []
    x0, y0, x1, y1 = line.bbox
    if x1 - x0 < y1 - y0:  # vertical or degenerate
        return []
    H, W = image.shape[:2]
    r0, r1 = max(int(round(y0)), 0), min(int(round(y1)), H)
    c0, c1 = max(int(np.floor(x0)), 0), min(int(np.ceil(x1)), W)
    if r1 <= r0 or c1 <= c0:
        return []
    crop = image[r0:r1, c0:c1]
    gray = crop.mean(axis=2) if crop.ndim == 3 else crop.astype(np.float64)
    paper, dark = np.percentile(gray, [90, 3])
    if paper - dark < 32:  # no ink to speak of
        return []
    runs = _empty_runs((gray < paper - cfg.cjk_ink * (paper - dark)).sum(axis=0)) + c0
    advance = han_advance(text, chars)
    if advance <= 0:
        return []
    box = np.asarray(chars, dtype=np.float64)
    cx = (box[:, 0] + box[:, 2]) / 2
    idx = np.array(cands)
    ok = (idx > 0) & np.array([not text[i - 1].isspace() and not text[i].isspace() for i in cands])
    idx = idx[ok]
    if advance <= 0 or len(idx) == 0:
        return []
    gap = _longest_empty(runs, cx[idx - 1], cx[idx])
    return idx[gap >= cfg.cjk_gap * advance].tolist()


def insert_spaces(line: OcrLine, points: Sequence[int]) -> OcrLine:
    """``line`` with a space inserted before each index of ``points``; a space's box spans the
    gap between its neighbours' boxes."""
    if not points:
        return line
    text = line.text
    pieces, boxes = [], []
    chars = list(line.chars) if line.chars is not None else None
    prev = 0
    for p in points:
        pieces.append(text[prev:p])
        pieces.append(" ")
        if chars is not None:
            boxes.extend(chars[prev:p])
            a, b = chars[p - 1], chars[p]
            lo = a[2]
            boxes.append((lo, min(a[1], b[1]), max(lo, b[0]), max(a[3], b[3])))
        prev = p
    pieces.append(text[prev:])
    if chars is not None:
        boxes.extend(chars[prev:])
    return replace(line, text="".join(pieces), chars=tuple(boxes) if chars is not None else None)


def restore_spaces(lines: Sequence[OcrLine], *, image: np.ndarray | None = None, ink: np.ndarray | None = None,
                   config: SpaceConfig | None = None) -> list[OcrLine]:
    """Put back the word spaces the recogniser dropped in Latin lines, and in Chinese credit
    lines and datelines when ``image`` is given (see the module doc).

    ``ink``: the page's boolean ink mask (:func:`broadsheet.ocr.split.ink_mask` of ``image``);
    built from ``image`` when not given. Lines that lack character boxes or need no space come
    back unchanged (the same objects).
    """
    cfg = config or SpaceConfig()
    lines = list(lines)
    if image is not None:
        lines = [insert_spaces(ln, cjk_space_points(ln, image, cfg)) for ln in lines]
    if not any(ln.chars is not None and is_latin_line(ln.text) for ln in lines):
        return lines
    if ink is None:
        if image is None:
            return lines
        from .split import ink_mask

        ink = ink_mask(image)
    lang = page_language([ln.text for ln in lines if is_latin_line(ln.text)])
    return [insert_spaces(ln, space_points(ln, ink, lang, cfg)) for ln in lines]
