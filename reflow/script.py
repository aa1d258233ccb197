"""Writing system, language and punctuation classes for the text side of reflow.

Every other text function branches on the script (CJK text is joined without spaces and has
no case; Latin text has hyphenation and capitals), so the script is decided once per page from
character counts, and the punctuation sets that decide "does this sentence stop here" live here,
in one place.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Literal

import numpy as np

Script = Literal["cjk", "latin", "other"]

# Han (incl. extension A, compatibility ideographs, extension B+), kana, hangul.
CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x3040, 0x30FF), (0xAC00, 0xD7AF),
              (0x20000, 0x2FFFF))
# Latin letters: ASCII, Latin-1 letters (without × and ÷), Latin Extended A/B, Latin Extended Additional.
LATIN_RANGES = ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x24F), (0x1E00, 0x1EFF))
# the same ranges as regex character-class bodies ("\u3400-\u4dbf…")
CJK_CHARS = "".join(f"{chr(a)}-{chr(b)}" for a, b in CJK_RANGES)
LATIN_LETTERS = "".join(f"{chr(a)}-{chr(b)}" for a, b in LATIN_RANGES)

CJK_RE = re.compile(f"[{CJK_CHARS}]")
LATIN_RE = re.compile(f"[{LATIN_LETTERS}]")
CJK_CHAR_RE = re.compile(f"^[{CJK_CHARS}]$")

# --- Punctuation (Unicode general categories, grouped by what they say about a sentence) ----
# Sentence-final marks. "." is terminal for Latin text; OCR also reads "。" as "." in CJK text.
TERMINAL = frozenset("。！？!?…．.")
TERMINAL_CJK = frozenset("。！？!?…．")
# Marks after which the sentence certainly goes on.
CONTINUING = frozenset("，、,;；")
COLONS = frozenset(":：")
# Opening and closing quotes/brackets. “ is an opener in Chinese/English and a closer in German
# („…“); Latin quote balance therefore only trusts the unambiguous ones.
OPENERS = frozenset("“‘「『《〈（(［[【〔｛{«‹„")
CLOSERS = frozenset("”’」』》〉）)］]】〕｝}»›")
OPENERS_CJK = frozenset("“‘「『《〈（(［[【〔｛{")
CLOSERS_CJK = frozenset("”’」』》〉）)］]】〕｝}")
OPENERS_LATIN = frozenset("«‹„([")
CLOSERS_LATIN = frozenset("»›)]")
STRAIGHT_QUOTES = frozenset("\"'")
# Line-end hyphens: ASCII hyphen, Unicode hyphen, Fraktur double hyphens (NZZ ground truth uses ¬).
HYPHENS = frozenset("-‐¬⸗")
SOFT_HYPHEN = "\u00ad"
DASHES = frozenset("—–―")
# Japanese kinsoku "cannot start a line" characters, which in Chinese also cannot start a
# sentence: closing marks and mid-sentence punctuation. A block starting with one is a continuation.
NO_START_CJK = frozenset("，、。．；：！？）】》〉」』”’…·,.;:!?)]}%％")

# Tiny stop-word lists to tell en/de/fr apart (the 12 most frequent words of each language).
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the of and to in is that for it with was on as by at from".split()),
    "de": frozenset("der die und in den von zu das mit sich des auf für ist im dem nicht ein".split()),
    "fr": frozenset("de la le et les des en un une du est que dans pour qui au sur par".split()),
}

# Reported-speech tail at the start of a block: "研发部经理田岭说。", "招商干部告诉记者。" — the
# attribution that follows a quotation which began in an earlier block.
ATTRIBUTION_CJK = re.compile(r"^[^。！？“”‘’「」\n]{0,18}(说|表示|介绍|指出|告诉记者|称|坦言|透露|强调)[。，！]")

_WORD_RE = re.compile(f"[{LATIN_LETTERS}]+")


def _counts(text: str) -> tuple[int, int]:
    """(CJK characters, Latin letters) in `text`; long texts (a whole page) counted on code
    points in NumPy, short ones by regex."""
    if len(text) < 2000:
        return len(CJK_RE.findall(text)), len(LATIN_RE.findall(text))
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return _in_ranges(cp, CJK_RANGES), _in_ranges(cp, LATIN_RANGES)


def _in_ranges(cp: np.ndarray, ranges: tuple[tuple[int, int], ...]) -> int:
    return int(sum(int(((cp >= lo) & (cp <= hi)).sum()) for lo, hi in ranges))


def _decide(n_cjk: int, n_latin: int) -> Script:
    # A CJK character carries about as much as a 3-4 letter word, so CJK wins at a quarter share:
    # "5G零售产业" and "Apple公司" are Chinese text, an English sentence with one name is not.
    if n_cjk == 0 and n_latin == 0:
        return "other"
    return "cjk" if n_cjk >= 0.25 * (n_cjk + n_latin) else "latin"


def script_of(text: str) -> Script:
    """"cjk", "latin" or "other" (no letters at all), by counting character classes.

    >>> script_of("州经开区签约。"), script_of("Verkehrspolitik"), script_of("2020.")
    ('cjk', 'latin', 'other')
    """
    return _decide(*_counts(text))


def page_script(texts: Iterable[str]) -> Script:
    """The script of a whole page (all its line texts pooled), so a short line does not flip it."""
    return _decide(*_counts("".join(texts)))  # single-character classes: counts add up over texts


LANGUAGES = ("en", "de", "fr")  # `page_language`'s candidates


def page_language(texts: Iterable[str], candidates: tuple[str, ...] = LANGUAGES) -> str:
    """The most likely language of Latin-script texts among `candidates`, by stop-word hits.

    Used to pick the wordfreq word list for hyphenation and junctions; ties and pages with no
    stop words fall back to the first candidate.
    """
    return language_of_hits(stopword_hits("\n".join(texts), candidates), candidates)


def stopword_hits(text: str, candidates: tuple[str, ...] = LANGUAGES) -> dict[str, int]:
    """Per candidate language, how many of the (lower-cased) words of `text` are its stop words.

    A word is a run of Latin letters (`LATIN_RANGES`). Long texts (a chunk's lines, a whole
    story) are cut into runs on their code points in NumPy (`_stopword_hits_array`); the
    regex that short texts use costs ≈ 40 ns a character and makes a string of every word.
    """
    if len(text) >= _STOP_ARRAY_MIN:
        return _stopword_hits_array(text, candidates)
    counts = Counter(_WORD_RE.findall(text.lower()))  # each distinct word looked up once
    words = counts.keys()  # a set view: its intersection with each list is taken in C
    return {lang: sum(counts[w] for w in words & STOPWORDS.get(lang, frozenset())) for lang in candidates}


_STOP_ARRAY_MIN = 2000  # characters from which `_stopword_hits_array` is the faster count
_STOP_LEN = (min(len(w) for ws in STOPWORDS.values() for w in ws), max(len(w) for ws in STOPWORDS.values() for w in ws))
# a Latin letter by code point (every range lies below 0x1F00)
_LATIN_TABLE = np.zeros(LATIN_RANGES[-1][1] + 2, bool)
for _lo, _hi in LATIN_RANGES:
    _LATIN_TABLE[_lo:_hi + 1] = True


def _byte_keys(chars: np.ndarray) -> np.ndarray:
    """(W,) one integer per row of ``chars`` (W, ≤ 8) code points below U+0100, zero-padded: the
    row's bytes read as one unsigned 64-bit number."""
    out = np.zeros((len(chars), 8), np.uint8)
    out[:, :chars.shape[1]] = chars
    return out.view(np.uint64).reshape(-1)


def _word_keys(words: list[str]) -> np.ndarray:
    width = max(len(w) for w in words)
    return _byte_keys(np.array([[ord(c) for c in w] + [0] * (width - len(w)) for w in words]))


# every stop word as a `_byte_keys` number (all are letters below U+0100), sorted, and which
# languages list it: (K,) keys, per language (K,) 0/1
assert all(ord(c) < 0x100 for ws in STOPWORDS.values() for w in ws for c in w) and _STOP_LEN[1] <= 8
_STOP_KEYS = np.unique(_word_keys(sorted(set().union(*STOPWORDS.values()))))
_STOP_OF = {lang: np.isin(_STOP_KEYS, _word_keys(sorted(ws))).astype(np.int64) for lang, ws in STOPWORDS.items()}


def _stopword_hits_array(text: str, candidates: tuple[str, ...]) -> dict[str, int]:
    """`stopword_hits` on code points: the runs of Latin letters of the lower-cased text; those
    as long as a stop word and of characters below U+0100 made numbers (`_byte_keys`), and each
    stop word's runs counted. The same integers as counting the words."""
    cp = np.frombuffer(text.lower().encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    letter = _LATIN_TABLE.take(cp, mode="clip")  # the table's last entry is no letter
    edge = np.diff(letter.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    start = np.flatnonzero(edge == 1)
    size = np.flatnonzero(edge == -1) - start
    lo, hi = _STOP_LEN
    keep = (size >= lo) & (size <= hi)
    start, size = start[keep], size[keep]
    wide = np.cumsum(cp >= 0x100)  # runs holding a character from U+0100 up are no stop word
    narrow = wide[start + size - 1] == wide[start] - (cp[start] >= 0x100)
    start, size = start[narrow], size[narrow]
    inside = np.arange(hi) < size[:, None]  # (W, hi) each run's own characters
    key = _byte_keys(np.where(inside, cp.take(start[:, None] + np.arange(hi), mode="clip"), 0))
    pos = np.searchsorted(_STOP_KEYS, key).clip(0, len(_STOP_KEYS) - 1)
    per_word = np.bincount(pos[_STOP_KEYS[pos] == key], minlength=len(_STOP_KEYS))
    zero = np.zeros(len(_STOP_KEYS), np.int64)
    return {lang: int(per_word @ _STOP_OF.get(lang, zero)) for lang in candidates}


def language_of_hits(hits: dict[str, int], candidates: tuple[str, ...] = LANGUAGES) -> str:
    """The candidate with the most stop-word hits (`stopword_hits`); ties go to the earlier one."""
    return max(candidates, key=hits.__getitem__)


def is_cjk_char(ch: str) -> bool:
    return bool(CJK_CHAR_RE.match(ch))


_LATIN_LETTER_SET = frozenset(chr(c) for lo, hi in LATIN_RANGES for c in range(lo, hi + 1))


def is_latin_letter(ch: str) -> bool:
    """Is the one character `ch` a Latin letter (`LATIN_RANGES`)? A set lookup: it is asked at
    every line junction of every paragraph, where a regex match costs six times as much."""
    return ch in _LATIN_LETTER_SET


def _bracket_class(chars: frozenset[str]) -> str:
    return "".join(re.escape(c) for c in sorted(chars))


# Any quote or bracket of the script: the last one in a text tells whether a quote is left open.
_QUOTES_CJK = re.compile(f"[{_bracket_class(OPENERS_CJK | CLOSERS_CJK)}]")
_QUOTES_LATIN = re.compile(f"[{_bracket_class(OPENERS_LATIN | CLOSERS_LATIN)}]")


def unclosed_opener(text: str, script: str) -> bool:
    """Does `text` leave a quote or bracket open at its end ("…说：“我们不会")?

    The last quote or bracket within the final 400 characters decides: an opener is open.
    """
    cjk = script == "cjk"
    marks = (_QUOTES_CJK if cjk else _QUOTES_LATIN).findall(text[-400:])
    return bool(marks) and marks[-1] in (OPENERS_CJK if cjk else OPENERS_LATIN)


def unopened_closer(text: str, script: str) -> bool:
    """Does `text` close a quote or bracket it never opened ("…增长。”")? Then it began earlier."""
    cjk = script == "cjk"
    openers = OPENERS_CJK if cjk else OPENERS_LATIN
    depth = 0
    for ch in (_QUOTES_CJK if cjk else _QUOTES_LATIN).findall(text[:400]):  # the marks only, in order
        if ch in openers:
            depth += 1
        elif depth == 0:
            return True
        else:
            depth -= 1
    return False
