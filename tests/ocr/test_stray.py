"""A Han glyph the recogniser read in a Latin word's padding, on a Latin page."""
from broadsheet.ocr import OcrLine, drop_stray_han


def _line(x0, y0, text, chars=True):
    x1 = x0 + 20 * len(text)
    boxes = tuple((x0 + 20.0 * k, float(y0), x0 + 20.0 * (k + 1), y0 + 30.0) for k in range(len(text)))
    return OcrLine(((x0, y0), (x1, y0), (x1, y0 + 30), (x0, y0 + 30)), text, 0.9, boxes if chars else None)


def _latin_page(*extra):
    """A page of 150 Latin lines, and ``extra``."""
    return [_line(40, 40 * k, "Die Stiftsbibliothek zählt") for k in range(150)] + list(extra)


def test_a_han_glyph_beside_a_latin_word_on_a_latin_page_is_dropped():
    """de 19000574: "华im" (the paper beside "im" read as an ideograph) is "im" again, with
    its character boxes one per letter; so is a glyph after the word ("der海")."""
    lead, trail = _line(600, 0, "华im"), _line(600, 40, "der海")
    out = drop_stray_han(_latin_page(lead, trail))
    assert [ln.text for ln in out[-2:]] == ["im", "der"]
    assert out[-2].chars == lead.chars[1:] and out[-1].chars == trail.chars[:-1]
    assert out[-2].bbox == lead.bbox


def test_han_text_and_cjk_pages_are_kept():
    """Han glyphs that are text stay: two of them, one inside a word, one beside a lone
    letter, and any on a page where Han lines are more than a few ("App里" on a Chinese
    page)."""
    kept = [_line(600, 0, "华为"), _line(600, 40, "ab华cd"), _line(600, 80, "A华"), _line(600, 120, "华 im")]
    out = drop_stray_han(_latin_page(*kept))
    assert [ln.text for ln in out[-4:]] == ["华为", "ab华cd", "A华", "华 im"]
    assert [ln.text for ln in drop_stray_han(_latin_page(*kept, _line(600, 160, "华im")))][-1] == "im"
    cjk_page = [_line(40, 40 * k, "经开区招大引强") for k in range(10)] + [_line(600, 0, "App里")]
    assert [ln.text for ln in drop_stray_han(cjk_page)][-1] == "App里"
