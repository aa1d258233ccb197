"""Line joining, paragraphs and sentence state at block edges."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from broadsheet.reflow.script import page_language, page_script, script_of
from broadsheet.reflow.text import (
    assemble_paragraphs,
    continuation_matrix,
    end_openness,
    join_lines,
    normalize_line,
    paragraph_starts,
    start_openness,
)

SEED = Path("/work/shared/seed/articles.json")


# --- script ------------------------------------------------------------------------------------
def test_script_of_tells_cjk_latin_and_other():
    assert script_of("州经开区签约。") == "cjk"
    assert script_of("5G零售产业") == "cjk"
    assert script_of("Verkehrspolitik der Stadt") == "latin"
    assert script_of("2020. — 15") == "other"


def test_page_script_pools_lines():
    assert page_script(["Apple", "公司与中车集团签约", "5G"]) == "cjk"
    assert page_script(["Der Bundesrat", "hat gestern"]) == "latin"


def test_page_language_by_stop_words():
    assert page_language(["Der Rat hat die Vorlage mit den Stimmen der Linken angenommen"]) == "de"
    assert page_language(["Le conseil a adopté la loi dans la nuit et les députés"]) == "fr"
    assert page_language(["The council said that the mayor was in the city"]) == "en"


def _hits_by_words(text: str) -> dict[str, int]:
    """The stop-word count as a plain word count: every run of Latin letters of the lower-cased text."""
    import re
    from collections import Counter

    from broadsheet.reflow.script import LANGUAGES, LATIN_LETTERS, STOPWORDS
    counts = Counter(re.findall(f"[{LATIN_LETTERS}]+", text.lower()))
    return {lang: sum(n for w, n in counts.items() if w in STOPWORDS[lang]) for lang in LANGUAGES}


def test_long_texts_count_stop_words_as_words_do():
    # long texts are counted on code points (`_stopword_hits_array`): the same integers as
    # counting the words, at the text's ends, next to digits, marks, Han and letters from
    # U+0100 up ("deră" is no "de"; "dšs" and "vůn" hold "a" and "o" in their low bytes: no
    # "das", no "von"), and where lower-casing makes a letter (Kelvin sign "K"
    # → "k", "İ" → "i" + a combining dot, which ends the run: "İn" holds no "in")
    from broadsheet.reflow.script import LANGUAGES, _stopword_hits_array, stopword_hits
    rng = np.random.default_rng(7)
    pieces = ["der", "Die", "UND", "in", "für", "FÜR", "nicht", "nichts", "de", "la", "Les", "the", "of",
              "deră", "ăder", "dšs", "vůn", "das", "von", "İn", "\u212aein", "ein\u212a", "dans", "pour", "x", "Straße", "ſich", "sich",
              "12", "3der", "der4", "。", "中der", "der中", " ", " ", "\n", "-", "’", "\u0301", "dé", "le\u0301"]
    for trial in range(300):
        text = "".join(rng.choice(pieces, size=int(rng.integers(0, 400))))
        expected = _hits_by_words(text)
        assert _stopword_hits_array(text, LANGUAGES) == expected, text
        assert stopword_hits(text) == expected
    assert _stopword_hits_array("", LANGUAGES) == {"en": 0, "de": 0, "fr": 0}
    assert _stopword_hits_array("der", ("de", "xx")) == {"de": 1, "xx": 0}
    # a text long enough for the array count, and one just short of it, as the word count says
    from broadsheet.reflow.script import _STOP_ARRAY_MIN
    for n in (_STOP_ARRAY_MIN - 1, _STOP_ARRAY_MIN, 5 * _STOP_ARRAY_MIN):
        text = ("Der Rat und die Stadt, la ville et the city. İn " * n)[:n]
        assert stopword_hits(text) == _hits_by_words(text)


# --- join_lines --------------------------------------------------------------------------------
def test_cjk_lines_join_without_spaces():
    assert join_lines(["…等9个项目与赣", "州经开区签约。"], "cjk") == "…等9个项目与赣州经开区签约。"


def test_cjk_join_keeps_space_between_latin_words_only():
    assert join_lines(["投资5", "G零售产业"], "cjk") == "投资5G零售产业"
    assert join_lines(["与Apple", "Inc合作"], "cjk") == "与Apple Inc合作"


def test_cjk_normalisation_removes_ocr_spaces_and_half_width_commas():
    assert normalize_line("高新区 招商局,局长", "cjk") == "高新区招商局，局长"
    # half-width brackets and decimal points are left alone
    assert normalize_line("莱尼电气系统(济宁)有限公司178.92亿元", "cjk") == "莱尼电气系统(济宁)有限公司178.92亿元"


def test_latin_lines_join_with_spaces_and_dehyphenation():
    assert join_lines(["Die Verkehrs-", "politik der", "Stadt"], "latin", lang="de") == \
        "Die Verkehrspolitik der Stadt"
    assert join_lines(["Kanton Basel-", "Stadt"], "latin", lang="de") == "Kanton Basel-Stadt"
    assert join_lines(["the govern-", "ment said"], "latin", lang="en") == "the government said"


def test_fraktur_hyphen_and_soft_hyphen_are_resolved():
    assert join_lines(["die Verkehrs¬", "politik"], "latin", lang="de") == "die Verkehrspolitik"
    assert join_lines(["Verkehrs\u00ad", "politik  und", " mehr"], "latin", lang="de") == \
        "Verkehrspolitik und mehr"


def test_join_lines_works_out_the_language_only_at_a_line_end_hyphen(monkeypatch):
    """Without `lang`, a Latin paragraph's language is asked for only where a line-end hyphen
    needs it (once per paragraph), and the text is the same as with the language given."""
    import broadsheet.reflow.text as text_mod

    calls: list[list[str]] = []

    def counting(texts):
        calls.append(list(texts))
        return page_language(texts)

    monkeypatch.setattr(text_mod, "page_language", counting)
    plain = ["Die Stadt und der", "Kanton haben sich", "auf einen Plan geeinigt."]
    assert join_lines(plain, "latin") == join_lines(plain, "latin", lang="de")
    assert calls == []
    hyphens = ["Die Verkehrs-", "politik der Stadt und die Schul-", "politik"]
    assert join_lines(hyphens, "latin") == "Die Verkehrspolitik der Stadt und die Schulpolitik"
    assert len(calls) == 1
    assert join_lines(["the govern-", "ment of the", "city"], "latin") == "the government of the city"
    assert join_lines(["Apple", "Inc的产品"], "cjk") == "Apple Inc的产品"  # CJK keeps "en"
    assert len(calls) == 2


def test_join_lines_skips_empty_lines():
    assert join_lines(["", "  ", "a b"], "latin", lang="en") == "a b"
    assert join_lines([], "cjk") == ""


# --- end / start openness ----------------------------------------------------------------------
@pytest.mark.parametrize("text", ["…等9个项目与赣", "“我们不会", "赣州经开区", "从2月开始，", "他说：“"])
def test_cjk_text_ending_mid_sentence_is_open(text):
    assert end_openness(text, "cjk") > 0.75


@pytest.mark.parametrize("text", ["…的好成绩。", "…投资信心更足了。”", "真的吗？", "成效显著！"])
def test_cjk_text_ending_a_sentence_is_closed(text):
    assert end_openness(text, "cjk") < 0.1


def test_open_quote_makes_end_more_open_than_plain_character():
    assert end_openness("马克·罗林森说：“我们不会", "cjk") > end_openness("赣州经开区", "cjk")


@pytest.mark.parametrize("text, lo, hi", [
    ("The council met in the", 0.9, 1.0),
    ("It rained yesterday.", 0.0, 0.1),
    ("as reported by Dr.", 0.3, 0.6),
    ("Verkehrs-", 0.9, 1.0),
    ("He said, “We won.”", 0.0, 0.1),
])
def test_latin_end_openness(text, lo, hi):
    assert lo <= end_openness(text, "latin") <= hi


def test_start_openness_cjk():
    assert start_openness("，这些项目涉及", "cjk") > 0.9
    assert 0.4 < start_openness("研发部经理田岭说。为了解决", "cjk") < 0.6  # bare attribution
    assert start_openness("“国外重点客户停产两个月", "cjk") < 0.3
    assert start_openness("放缓在中国的投资。集团…增长。”", "cjk") > 0.8  # closes an unseen quote


def test_start_openness_uses_indentation():
    plain = start_openness("今年，广东肇庆高新区", "cjk")
    assert start_openness("今年，广东肇庆高新区", "cjk", indented=False) > 0.8 > plain
    assert start_openness("今年，广东肇庆高新区", "cjk", indented=True) < 0.1


def test_cjk_start_with_word_final_character_or_particle_is_open():
    normal = start_openness("招商干部告诉记者。", "cjk")
    assert start_openness("州经开区签约。", "cjk") > 0.65 > normal
    assert start_openness("的履约率、开工率", "cjk") > 0.8
    assert start_openness("外，为用好用足惠企政策", "cjk") > 0.8
    assert start_openness("今年，广东肇庆", "cjk") < 0.5


def test_start_openness_latin_case():
    assert start_openness("city council chamber.", "latin") > 0.85
    assert start_openness("The mayor said", "latin") < 0.4


def test_latin_leading_ocr_speck_before_capital_is_not_a_continuation():
    assert start_openness(", En Sologne, de Sauzay.", "latin") < 0.4
    assert start_openness(", et le ministre", "latin") > 0.9


def test_colon_before_quotation_reads_on():
    c = continuation_matrix(["Le journal publie l'information suivante :", "Le ministre est parti."],
                            ["« Nous croyons pouvoir annoncer"], "latin", "fr")
    assert c[0, 0] > 0.55 > c[1, 0]
    cjk = continuation_matrix(["马克·罗林森说："], ["“我们不会放缓在中国的投资。”"], "cjk")
    assert cjk[0, 0] > 0.55


def test_continuation_matrix_ranks_the_seed_breaks_first():
    lefts = ["…等9个项目与赣", "莱尼线束系统亚洲区运营总监马克·罗林森说：“我们不会", "…招商工作呈现氛围更浓的好成绩。"]
    rights = ["州经开区签约。这些项目", "研发部经理田岭说。", "放缓在中国的投资。…都会持续增长。”", "3月份以来，济宁高新区"]
    c = continuation_matrix(lefts, rights, "cjk")
    assert c.shape == (3, 4)
    assert c[0].argmax() == 0 and c[0, 0] > 0.85
    assert c[1].argmax() == 2 and c[1, 2] > 0.8
    assert c[2].max() < 0.5  # a closed end gives no text evidence for any of them


def test_open_quote_reads_on_into_an_unindented_block_only():
    c = continuation_matrix(["“我们不会", "…的好成绩。"], ["放缓在中国的投资。"], "cjk", indented=[False])
    assert c[0, 0] > 0.5 > 0.3 > c[1, 0]
    c = continuation_matrix(["“我们不会", "…的好成绩。"], ["放缓在中国的投资。"], "cjk", indented=[True])
    assert c[0, 0] < 0.3 < c[1, 0]  # an indented block starts a paragraph: fits a closed end


def test_continuation_matrix_latin_open_vs_closed():
    c = continuation_matrix(["The council met in the", "It rained yesterday."],
                            ["city council chamber.", "The mayor said"], "latin", "en")
    assert c[0, 0] > 0.6
    assert c[0, 0] > c[0, 1] and c[0, 0] > c[1, 0]
    assert c[1, 1] == pytest.approx(0.5, abs=0.15)  # closed → capital: neutral


def test_continuation_matrix_on_seed_fragments():
    if not SEED.exists():
        pytest.skip("seed ground truth not available")
    arts = json.loads(SEED.read_text(encoding="utf-8"))["articles"]
    ids, first, last = [], [], []
    for a in arts:
        for f in a["fragments"]:
            ps = [p if isinstance(p, str) else p["subhead"] for p in f["paragraphs"]]
            ids.append(f["id"])
            first.append(ps[0])
            last.append(ps[-1])
    c = continuation_matrix(last, first, "cjk")
    np.fill_diagonal(c, 0.0)
    best = {ids[i]: ids[int(c[i].argmax())] for i in range(len(ids))}
    assert best["G1"] == "G2" and best["J2"] == "J3"
    assert best["G2"] in ("G3", "J2")  # both are bare attributions; content decides between them
    closed = [ids.index(k) for k in ("Z1", "Z3", "J1", "J3", "J4", "B1", "X1", "P1")]
    assert c[closed].max() < 0.5


# --- paragraphs --------------------------------------------------------------------------------
def _column(indents_em, lengths_em, em=20.0, x0=100.0, width_em=12.0):
    """Synthetic line boxes: each line indented / ending at the given em offsets."""
    boxes = []
    for k, (ind, ln) in enumerate(zip(indents_em, lengths_em)):
        y = 50.0 + k * 1.5 * em
        boxes.append([x0 + ind * em, y, x0 + min(ind + ln, width_em) * em, y + em])
    return np.array(boxes)


def test_paragraph_starts_from_indentation_cjk():
    boxes = _column([2, 0, 0, 2, 0], [10, 12, 5, 10, 8])
    texts = ["今年，肇庆高新区改", "变往年以举办大型活", "动为主。", "早在今年2月，高新区", "就已按下重启键。"]
    starts = paragraph_starts(boxes, texts, "cjk")
    assert starts.tolist() == [True, False, False, True, False]


def test_short_line_with_terminal_punctuation_starts_next_paragraph_without_indent():
    boxes = _column([0, 0, 0, 0], [12, 6, 12, 4])
    texts = ["It was a long day for the", "council members.", "The mayor said that the", "budget passed."]
    assert paragraph_starts(boxes, texts, "latin").tolist() == [False, False, True, False]


def test_latin_slight_indent_after_an_open_full_line_is_box_drift():
    boxes = _column([1, 0, 0.7, 0], [11, 12, 11.3, 12])
    texts = ["The convention between Frank-", "reich and the German", "Confederation was signed",
             "by both sides on Monday."]
    assert paragraph_starts(boxes, texts, "latin").tolist() == [True, False, False, False]
    texts[1] = "reich and Prussia was signed."
    assert paragraph_starts(boxes, texts, "latin").tolist() == [True, False, True, False]
    texts[2] = "by both sides on Monday."   # lower-case: no paragraph starts with it
    assert paragraph_starts(boxes, texts, "latin").tolist() == [True, False, False, False]


def test_short_line_without_terminal_punctuation_does_not_split():
    boxes = _column([0, 0, 0], [12, 6, 12])
    texts = ["It was a long day for the", "council members", "and the mayor."]
    assert paragraph_starts(boxes, texts, "latin").tolist() == [False, False, False]


def test_flush_first_line_is_not_a_start_when_block_has_reference_lines():
    boxes = _column([0, 0, 2, 0], [12, 5, 10, 6])
    texts = ["州经开区签约。这些项", "目涉及。", "此次集中签约是近2", "个月以来。"]
    assert paragraph_starts(boxes, texts, "cjk").tolist() == [False, False, True, False]


def test_single_line_is_a_start_unless_column_edge_given():
    box = np.array([[140.0, 0.0, 300.0, 20.0]])
    assert paragraph_starts(box, ["今年"], "cjk").tolist() == [True]
    assert paragraph_starts(box, ["今年"], "cjk", column_x0=100.0).tolist() == [True]
    assert paragraph_starts(box, ["今年"], "cjk", column_x0=140.0).tolist() == [False]


def test_paragraph_starts_rejects_mismatched_inputs():
    with pytest.raises(ValueError):
        paragraph_starts(np.zeros((2, 4)), ["a"], "latin")


def test_assemble_paragraphs_joins_lines_per_paragraph():
    boxes = _column([2, 0, 0, 2, 0], [10, 12, 5, 10, 8])
    texts = ["今年，肇庆高新区改", "变往年以举办大型活", "动为主。", "早在今年2月，高新区", "就已按下重启键。"]
    assert assemble_paragraphs(boxes, texts, "cjk") == [
        "今年，肇庆高新区改变往年以举办大型活动为主。", "早在今年2月，高新区就已按下重启键。"]


def test_ends_sentence_is_end_openness_below_0_3():
    import itertools

    from broadsheet.reflow.text import end_openness, ends_sentence
    ends = ["", " ", ".", "。", "”", "。”", "a.", "Mr.", "z.B.", "3.", "3.5", "年3.", "word.)", "end?»",
            "x\u00ad", "“好。”", "J.", "(Dr.", "ok!'", "…", "hello,", "x-", "州", "说："]
    for head, end in itertools.product(["", "abc ", "文字", "The end "], ends):
        for script in ("cjk", "latin"):
            t = head + end
            assert ends_sentence(t, script) == (end_openness(t, script) < 0.3), (t, script)


def test_normalize_line_shortcut_for_printable_text_is_exact():
    # the shortcut relies on this: no whitespace but the plain space is printable
    from broadsheet.reflow.text import _WS
    assert not [c for c in map(chr, range(0x110000)) if c != " " and _WS.fullmatch(c) and c.isprintable()]


def test_cjk_tidy_patterns_match_their_plain_forms():
    import random
    import re

    from broadsheet.reflow import text as T
    from broadsheet.reflow.script import CJK_CHARS

    space = re.compile(f"(?<=[{T._CJK_OR_PUNCT}]) (?=[{T._CJK_OR_PUNCT}])")
    half = re.compile(f"(?<=[{CJK_CHARS}])([,;:!?])(?=[{CJK_CHARS}])")
    full = lambda m: T._HALF_TO_FULL[m.group(1)]  # noqa: E731
    rng = random.Random(2)
    lines = ["".join(rng.choice("赣州,;:!?a 。，1“ ") for _ in range(rng.randint(0, 20))) for _ in range(20000)]
    for t in lines + ["赣州 经开区", "签约,这些", "a, b", "“我们 不会”"]:
        assert T._CJK_SPACE.sub("", t) == space.sub("", t), t
        assert T._CJK_HALF_PUNCT.sub(full, t) == half.sub(full, t), t


def test_latin_letter_lookup_agrees_with_the_letter_class_everywhere():
    from broadsheet.reflow.script import LATIN_RE, is_latin_letter

    for c in range(0x110000):
        assert is_latin_letter(chr(c)) == bool(LATIN_RE.match(chr(c))), hex(c)


def test_end_side_is_end_openness_against_0_3_and_0_7():
    # paragraph_starts reads only these two limits of end_openness; end_side must agree with it
    import itertools
    import json
    from pathlib import Path

    from broadsheet.reflow.text import end_openness, end_side
    ends = ["", " ", ".", "。", "”", "。”", "a.", "Mr.", "z.B.", "3.", "3.5", "年3.", "word.)", "end?»",
            "x\u00ad", "“好。”", "J.", "(Dr.", "ok!'", "…", "hello,", "x-", "州", "说：", "und", "the",
            "(open", "“我们不会", "a:", "a —", "a –", "文-", "a-", "«", "(", "a;", "%", "1"]
    texts = [h + e for h, e in itertools.product(["", "abc ", "文字", "The end "], ends)]
    for page in sorted((Path(__file__).resolve().parents[2] / "fixtures/pages").glob("*/lines.json")):
        texts += [ln["text"] for ln in json.loads(page.read_text(encoding="utf-8"))["lines"]]
    for t in texts:
        for script in ("cjk", "latin"):
            e = end_openness(t, script)
            assert end_side(t, script) == (-1 if e < 0.3 else 1 if e > 0.7 else 0), (t, script)
