"""Restoring dropped Latin word spaces from ink gaps, letter pitch and the lexicon."""
import numpy as np
import pytest

from broadsheet.ocr import OcrConfig, run_ocr
from broadsheet.ocr.spaces import SpaceConfig, page_language, restore_spaces
from broadsheet.ocr.types import OcrLine

from .conftest import FixedEngine

H = 40          # line height, px
CELL = 20       # letter pitch, px; ink leaves 2 px white each side (a 4 px letter gap = 0.1 H)


def make_line(text: str, extra: dict[int, int], y0: int = 10):
    """An ``OcrLine`` of ``text`` with one box per character and its ink mask: each non-space
    character is a cell of ``CELL`` px (ink in the middle ``CELL - 4``), and ``extra[i]`` px of
    white before character ``i`` (a space in ``text`` is a cell of ``CELL`` white)."""
    ink = np.zeros((y0 + H + 10, 40 + CELL * (len(text) + 2) + sum(extra.values())), bool)
    x = 20
    boxes = []
    for i, ch in enumerate(text):
        x += extra.get(i, 0)
        boxes.append((float(x), float(y0), float(x + CELL), float(y0 + H)))
        if not ch.isspace():
            ink[y0:y0 + H, x + 2:x + CELL - 2] = True
        x += CELL
    poly = ((20.0, y0), (float(x), y0), (float(x), y0 + H), (20.0, y0 + H))
    return OcrLine(poly, text, 0.9, tuple(boxes)), ink


def test_wide_ink_gap_alone_restores_the_space_and_its_box():
    line, ink = make_line("DasMuseum", {3: 14})          # 18 px white = 0.45 H
    out, = restore_spaces([line], ink=ink)
    assert out.text == "Das Museum"
    assert len(out.chars) == len(out.text)
    s = out.chars[3]                                     # the space spans the gap between neighbours
    assert s[0] == pytest.approx(line.chars[2][2]) and s[2] == pytest.approx(line.chars[3][0])
    assert out.chars[:3] == line.chars[:3] and out.chars[4:] == line.chars[3:]


def test_letter_gaps_and_existing_spaces_stay_as_they_are():
    line, ink = make_line("Bundesrat tagt", {})
    out, = restore_spaces([line], ink=ink)
    assert out is line


def test_medium_gap_splits_only_where_both_halves_are_words_more_frequent_than_the_token():
    # 4 + 6 = 10 px white (0.25 H), centres 1.3 pitches apart: the lexicon decides
    kult, ink = make_line("Kulturenin", {8: 6})
    bund, ink2 = make_line("Bundesrat", {6: 6})
    context = OcrLine(((0, 0), (1, 0), (1, 1)), "der die das und mit", 0.9, None)   # German page
    assert restore_spaces([kult, context], ink=ink)[0].text == "Kulturen in"
    assert restore_spaces([bund, context], ink=ink2)[0] is bund    # "Bundesrat" is a word itself
    cfg = SpaceConfig(sure_gap=0.2)
    assert restore_spaces([bund], ink=ink2, config=cfg)[0].text == "Bundes rat"    # no language: gap alone


def test_no_space_before_punctuation_or_between_digits_and_cjk_untouched():
    line, ink = make_line("Basel,zeigt1878", {5: 14, 12: 14})
    out, = restore_spaces([line], ink=ink)
    assert out.text == "Basel,zeigt1878"
    zh, ink_zh = make_line("巴塞尔博物馆Museum", {3: 20, 6: 20})
    assert restore_spaces([zh], ink=ink_zh)[0] is zh


def test_space_after_comma_with_a_wide_gap():
    line, ink = make_line("Basel,zeigt", {6: 14})
    assert restore_spaces([line], ink=ink)[0].text == "Basel, zeigt"


def test_page_language_from_stop_words():
    assert page_language(["Das Museum der Kulturen und die Stadt"]) == "de"
    assert page_language(["Le musée et la ville pour les"]) == "fr"
    assert page_language(["12 34"]) is None


def test_run_ocr_restores_spaces_and_can_be_switched_off():
    line, ink = make_line("DasMuseum", {3: 14})
    image = np.where(ink, 0, 255).astype(np.uint8)
    cfg = dict(deskew=False, recover=False, split=False, merge=False, fix_quotes=False, tighten=False)
    on = run_ocr(image, engine=FixedEngine([line]), config=OcrConfig(**cfg))
    off = run_ocr(image, engine=FixedEngine([line]), config=OcrConfig(**cfg, spaces=False))
    assert [ln.text for ln in on.lines] == ["Das Museum"]
    assert [ln.text for ln in off.lines] == ["DasMuseum"]


def test_letter_spaced_word_stays_one_word_but_the_space_before_it_is_restored():
    line, ink = make_line("derGesperrt", {i: 14 for i in range(3, 11)})
    out, = restore_spaces([line], ink=ink)
    assert out.text == "der Gesperrt"
    assert len(out.chars) == len(out.text)


def test_wide_gap_inside_a_known_word_with_a_non_word_half_is_vetoed():
    # "will" + "bis": the CTC put the doubled "l" across the word space, so the wide gap shows
    # between the two l's as well as before "bis"
    line, ink = make_line("Gemeinde willbis", {12: 14, 13: 14})
    context = OcrLine(((0, 0), (1, 0), (1, 1)), "der die das und mit", 0.9, None)
    assert restore_spaces([line, context], ink=ink)[0].text == "Gemeinde will bis"
    assert restore_spaces([line], ink=ink)[0].text == "Gemeinde wil l bis"   # no language: no veto


def test_short_name_fragment_is_no_word():
    # "And|ri": "and" and "ri" both have Zipf > 3 in German, but a half of up to 3 letters
    # must be a frequent word ("in" is, "ri" is not)
    line, ink = make_line("Von Andri Casutt", {7: 6})
    context = OcrLine(((0, 0), (1, 0), (1, 1)), "der die das und mit", 0.9, None)
    assert restore_spaces([line, context], ink=ink)[0] is line


# --------------------------------------------------------------------------- Chinese credit lines

ZH_CELL = 30    # a Han glyph's advance, px; ink leaves 2 px paper each side (a 4 px gap = 0.13 adv)


def make_zh_line(text: str, extra: dict[int, int], y0: int = 10):
    """A Chinese ``OcrLine`` of ``text`` with its gray page: each glyph a ``ZH_CELL`` px cell
    inked in the middle, ``extra[i]`` px of paper before glyph ``i``."""
    img = np.full((y0 + ZH_CELL + 10, 40 + ZH_CELL * (len(text) + 2) + sum(extra.values())), 240, np.uint8)
    x, boxes = 20, []
    for i in range(len(text)):
        x += extra.get(i, 0)
        boxes.append((float(x), float(y0), float(x + ZH_CELL), float(y0 + ZH_CELL)))
        img[y0 + 4:y0 + ZH_CELL - 4, x + 2:x + ZH_CELL - 2] = 20
        x += ZH_CELL
    poly = ((20.0, y0), (float(x), y0), (float(x), y0 + ZH_CELL), (20.0, y0 + ZH_CELL))
    return OcrLine(poly, text, 0.9, tuple(boxes)), img


def test_cjk_credit_line_gets_its_word_spaces_back():
    line, img = make_zh_line("本报记者郑海生通讯员黄晓燕", {4: 6, 7: 6, 10: 6})   # 10 px = 0.31 adv
    out, = restore_spaces([line], image=img)
    assert out.text == "本报记者 郑海生 通讯员 黄晓燕"
    assert len(out.chars) == len(out.text)
    date, img2 = make_zh_line("2024年3月8日星期五", {9: 6})
    assert restore_spaces([date], image=img2)[0].text == "2024年3月8日 星期五"


def test_cjk_solid_credit_and_running_text_keep_their_text():
    solid, img = make_zh_line("本报记者郑海生", {})                   # set solid: 4 px gaps
    assert restore_spaces([solid], image=img)[0] is solid
    # the same wide gap in running text (narrow glyphs, "十|二") or in a line that only opens
    # with a label ("记者，目前…") is no space
    body, img2 = make_zh_line("业超过十二万人次", {4: 6})
    assert restore_spaces([body], image=img2)[0] is body
    text, img3 = make_zh_line("记者，目前香河机", {5: 6})
    assert restore_spaces([text], image=img3)[0] is text


def test_cjk_spaces_need_the_image_and_follow_the_spaces_switch():
    line, img = make_zh_line("本报记者林晓雪", {4: 6})
    assert restore_spaces([line])[0] is line                            # no image: unchanged
    cfg = dict(deskew=False, recover=False, split=False, merge=False, fix_quotes=False, tighten=False)
    on = run_ocr(img, engine=FixedEngine([line]), config=OcrConfig(**cfg))
    off = run_ocr(img, engine=FixedEngine([line]), config=OcrConfig(**cfg, spaces=False))
    assert [ln.text for ln in on.lines] == ["本报记者 林晓雪"]
    assert [ln.text for ln in off.lines] == ["本报记者林晓雪"]
