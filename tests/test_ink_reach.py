"""The one table of how far Latin letters' ink reaches, shared by the OCR joiner and layout."""
from broadsheet.ink_reach import FALLS, INK, INK_REACH, OVER_CAPS, RISES, UNKNOWN, ink_kind, letters_kind


def _class(c: str) -> int:
    return ink_kind(c) & (RISES | FALLS | OVER_CAPS | UNKNOWN)


def test_letters_by_their_glyphs_ink():
    # x-height letters and marks stay between the baseline and the x-height
    assert all(_class(c) == 0 for c in "aemnorsuxzıæœø.,:;-–—…«»¬")
    # ascenders, capitals, digits, i's dot, quotes high up
    assert all(_class(c) == RISES for c in "bdhiklt7HÆ'\"“”‘’!?&%*°ſ")
    # descenders and low quotes
    assert all(_class(c) == FALLS for c in "gpqyç„‚_")
    # j's dot rises and its tail falls; Fraktur's ß (ſʒ); brackets, slash, $, @, §
    assert all(_class(c) == RISES | FALLS for c in "jß()[]/$@§")


def test_accents_rise_above_and_fall_below_by_their_base_letter():
    assert all(_class(c) == RISES for c in "éèàâäöüûîô")
    assert _class("ÿ") == RISES | FALLS and _class("ş") == FALLS
    # a mark over a capital rises above the capitals; a cedilla under one falls
    assert _class("Ü") == _class("É") == RISES | OVER_CAPS
    assert _class("Ç") == RISES | FALLS


def test_other_scripts_and_spaces():
    # a letter the table does not know keeps its line's box: rising, falling, unknown
    assert all(_class(c) == RISES | FALLS | UNKNOWN for c in "中αжł")
    assert ink_kind(" ") == 0 and all(ink_kind(c) & INK for c in "a.中")


def test_a_lines_reach_by_its_letters():
    def reach(text: str) -> float:
        return float(INK_REACH[letters_kind(text) & 7])
    assert reach("neuve") == 0.56 and reach("Lyon") == 1.0 and reach("eine") == 0.78
    assert reach("gar") == 0.75 and reach("jeune") == 1.0 and reach("Über den") == 0.78
    assert reach("Überschüssiger") == 1.12


def test_both_callers_read_the_one_table():
    # layout's line reach and the OCR joiner's word reach agree wherever both know the letters;
    # the joiner alone gives no estimate for an accented capital (boxes, not ink, measured it)
    # or a letter of another script, where layout keeps the box (1.0 or 1.12)
    import math

    from broadsheet.layout.blocks import _ink_reach
    from broadsheet.ocr.merge import _letters_reach
    texts = ["neuve", "eine", "gar", "jeune", "Lyon", "«sous»", "„so", "Straße", "Über", "Überzug", "中文"]
    lay = _ink_reach(texts)
    ocr = [_letters_reach(t) for t in texts]
    assert all(a == b for a, b in zip(lay[:8], ocr[:8]))
    assert lay[8] == 0.78 and lay[9] == 1.12 and lay[10] == 1.0
    assert all(math.isnan(r) for r in ocr[8:])
