"""How far the ink of Latin letters reaches: one table for the OCR layer and for layout.

A tight box round a line of Latin type is as tall as the letters it holds: x-height letters
alone ("neuve") reach 0.56 of the type's full height (ascender top to descender foot), with an
ascender, capital or digit ("Lyon") 0.78, with a descender ("gar") 0.75, with both 1.0. Both the
OCR joiner (`ocr/merge.py`, a word's type height by its ink) and the line linker
(`layout/blocks.py`, two lines of one type by their box heights) read the same classes, so the
table lives below both (data flows ocr → layout → reflow).

Classes follow the glyphs of the generator's DejaVu faces and of common text faces: the dots of
i and j reach the ascender line (j also falls), the accented small letters rise like an
ascender, « » ı æ œ ø stay in the x-height, „ ‚ hang below the baseline, ( ) / $ @ § rise and
fall. An accent over a capital (Ü, É, À) rises above the ascenders. ß rises and falls: the
pages that print it are set in Fraktur (NZZ), whose ß is ſ and a tailed ʒ (an Antiqua ß only
rises; the generator's Swiss German writes "ss").
"""
from __future__ import annotations

import unicodedata

import numpy as np

#: `ink_kind` bits
RISES = 1      # above the x-height: ascender, capital, digit, accent, i's dot, quote mark
FALLS = 2      # below the baseline: descender, cedilla, low quote
OVER_CAPS = 4  # above the capitals: an accent over a capital (always with RISES)
INK = 8        # any ink at all (not a space)
UNKNOWN = 16   # not a Latin letter or mark this table knows (always with RISES | FALLS)

#: a line's reach by its OR-ed `ink_kind` bits 1, 2 and 4. With a descender too an accented
#: capital's line ("Überschüssiger", 37 px in a column of 31-32 px lines) is 1.12 of the type
#: (median of 52 such body lines on the generated de/fr pages); without one no body line
#: measures, and a kicker "Éducation" is as tall as "Landwirtschaft", so it stays 0.78.
INK_REACH = np.array([0.56, 0.78, 0.75, 1.0,   # neither, rises only, falls only, both
                      0.78, 0.78, 1.12, 1.12])  # the same with an accented capital

_RISING = frozenset("bdfhiklt0123456789ſﬀﬁﬂﬃﬄÆŒØÞ'\"‘’“”!?&%#*^°€£©®²³¹½¼¾")
_FALLING = frozenset("gpqyç„‚_")
_BOTH = frozenset("jß()[]{}|/\\$@§¶")
# small Latin letters and marks inside the x-height (without a decomposition to read)
_NEITHER = frozenset("acemnorsuvwxzıæœø.,:;-–—…·•+=×~<>«»‹›¬")


def _accent_above(c: str) -> bool:
    """Whether a precomposed letter carries a mark above it (Ü, É, â; not Ç's cedilla)."""
    parts = unicodedata.decomposition(c).split()
    return len(parts) > 1 and not parts[0].startswith("<") and any(
        unicodedata.combining(chr(int(p, 16))) == 230 for p in parts[1:])


def _accent_below(c: str) -> bool:
    """Whether a precomposed letter carries a mark below it (ç, Ç, ş, ą)."""
    parts = unicodedata.decomposition(c).split()
    return len(parts) > 1 and not parts[0].startswith("<") and any(
        unicodedata.combining(chr(int(p, 16))) in (202, 220) for p in parts[1:])


def ink_kind(c: str) -> int:
    """`RISES` | `FALLS` | `OVER_CAPS` bits of the one character ``c``, with `INK` unless it
    is a space. A character the table does not know (another script, a rare symbol) is
    `UNKNOWN` and counts as rising and falling: a line holding it keeps its box as it is."""
    if c.isspace():
        return 0
    if c in _BOTH:
        return RISES | FALLS | INK
    if c in _RISING:
        return RISES | INK
    if c in _FALLING:
        return FALLS | INK
    if c in _NEITHER:
        return INK
    if c.isascii() and c.isupper():
        return RISES | INK
    base = unicodedata.decomposition(c).split()
    if c.isalpha() and base and not base[0].startswith("<") and int(base[0], 16) < 0x250:
        # a Latin letter with a mark: its base letter's class, a mark above rises (over a
        # capital, above the capitals), one below falls
        kind = ink_kind(chr(int(base[0], 16)))
        if _accent_above(c):
            kind |= RISES | (OVER_CAPS if c.isupper() else 0)
        if _accent_below(c):
            kind |= FALLS
        return kind
    return RISES | FALLS | UNKNOWN | INK


def letters_kind(text: str) -> int:
    """The OR of `ink_kind` over the characters of ``text``."""
    kind = 0
    for c in set(text):
        kind |= ink_kind(c)
    return kind
