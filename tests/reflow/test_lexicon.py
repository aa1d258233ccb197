"""Junction scores: does the break between two blocks make a word?"""
from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from broadsheet.cache import cached_arrays
from broadsheet.reflow import lexicon
from broadsheet.reflow.lexicon import (
    cjk_logprob,
    cjk_tokens,
    cjk_word_freq,
    dehyphenate,
    junction_clash,
    junction_matrix,
    junction_score,
    latin_zipf,
)

SAMPLE_LINES = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "sample" / "lines.json"

GANZHOU_END = "…与泽鑫劳务总部经济等9个项目与赣"
GANZHOU_NEXT = "州经开区签约。这些项目涉及高端装备制造生产"
JINING_END = "莱尼线束系统亚洲区运营总监马克·罗林森说：“我们不会"
JINING_NEXT = "放缓在中国的投资。集团对济宁工厂的投资直到2025年都会持续增长。”"
JINING_ATTRIBUTION = "研发部经理田岭说。为了解决这个难题"


def test_jieba_dictionary_knows_the_seed_words():
    assert cjk_word_freq("赣州") > 0
    assert cjk_word_freq("州经") == 0
    assert "赣州" in cjk_tokens("项目与赣州经开区签约")


@pytest.fixture(scope="module")
def jieba_tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def _sample_strings() -> list[str]:
    """Windows of the sample page's lines (CJK, digits, Latin, punctuation) and edge cases."""
    texts = [ln["text"] for ln in json.loads(SAMPLE_LINES.read_text(encoding="utf-8"))["lines"]]
    windows = [t[i:i + n] for t in texts for i in range(0, len(t), 5) for n in (1, 3, 6, 12)]
    edge = ["", " ", "a b", "ABC123 项目", "\r\n项目", "x-y_z.1%", "〇一二", "ＡＢＣ赣州", "３月",
            "ぁ漢字ㄅ", "\U00020000赣州", "项目\t与", GANZHOU_END, GANZHOU_NEXT, JINING_END]
    return texts + windows + edge


def test_cjk_segmentation_is_jiebas_token_for_token(jieba_tokenizer):
    for text in _sample_strings():
        assert cjk_tokens(text) == jieba_tokenizer.lcut(text, HMM=False), text
        if text:
            dag = jieba_tokenizer.get_DAG(text)
            route: dict = {}
            jieba_tokenizer.calc(text, dag, route)
            assert cjk_logprob(text) == route[0][0], text  # same arithmetic: equal bit for bit
        for n in range(1, min(len(text), 5) + 1):
            assert cjk_word_freq(text[:n]) == (jieba_tokenizer.FREQ.get(text[:n]) or 0)
    assert lexicon.cjk_total() == jieba_tokenizer.total


def test_jieba_patterns_are_copied_exactly():
    import jieba

    assert lexicon._JIEBA_HAN.pattern == jieba.re_han_default.pattern
    assert lexicon._JIEBA_SKIP.pattern == jieba.re_skip_default.pattern
    assert lexicon._JIEBA_ENG.pattern == jieba.re_eng.pattern


def test_cjk_dictionary_arrays_are_cached_and_read_back_unchanged(monkeypatch, tmp_path):
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path))
    name = f"jieba-{lexicon.cjk_dict_key()}"
    built = cached_arrays(name, lexicon._build_cjk_arrays)
    assert (tmp_path / "broadsheet" / "arrays" / name / "words2.npy").is_file()
    loaded = cached_arrays(name, lambda: pytest.fail("built twice"))
    assert sorted(loaded) == sorted(built)
    for key in built:
        assert loaded[key].dtype == built[key].dtype and np.array_equal(loaded[key], built[key]), key
    words2 = loaded["words2"]
    assert np.all(words2[:-1] < words2[1:])  # sorted, distinct: binary search finds each word
    assert loaded["counts2"][np.searchsorted(words2, "赣州")] == cjk_word_freq("赣州")


def test_mid_word_break_ganzhou_scores_high():
    assert junction_score(GANZHOU_END, GANZHOU_NEXT, "cjk") > 0.9


def test_word_fragment_not_completed_scores_low():
    wrong = junction_score(GANZHOU_END, JINING_ATTRIBUTION, "cjk")
    right = junction_score(GANZHOU_END, GANZHOU_NEXT, "cjk")
    assert wrong < 0.4 < 0.9 < right


def test_open_quote_meets_its_closing_quote():
    assert junction_score(JINING_END, JINING_NEXT, "cjk") > 0.7


def test_quote_state_is_read_from_the_whole_block():
    # the continuation closes the quote only in its fourth line; a rival closes one at once
    left = "眼下，投资3亿元的罗林森说：“我们不会"
    right = "放缓在中国的投资。集团系统亚洲区运营总监马"
    right_block = right + "克说，企业将继续扩大产能，订单也在增长。”"
    rival = "600套汽车线束产品。”区，总投资11亿元。"
    short = junction_matrix([left], [right, rival], "cjk")[0]
    assert short[0] < short[1]  # from the first lines alone the rival looks better
    whole = junction_matrix([left], [right, rival], "cjk", quote_context=([left], [right_block, rival]))[0]
    assert whole[0] > short[0]
    assert whole[1] == pytest.approx(short[1])


def test_open_quote_before_bare_attribution_is_unlikely():
    assert junction_score(JINING_END, JINING_ATTRIBUTION, "cjk") < 0.3


def test_closed_quote_and_speaker_before_attribution_fits():
    left = "“不见面招商卓有成效。”赣州经开区"
    assert junction_score(left, "招商干部告诉记者。为降低疫情", "cjk") > 0.6
    # …but a right that closes a quote nobody opened does not
    assert junction_score(left, JINING_NEXT, "cjk") < 0.5


def test_break_at_sentence_end_is_neutral():
    assert junction_score("…的好成绩。", "招商干部告诉记者。", "cjk") == pytest.approx(0.5)
    assert junction_score("赣州经开区", "，招商干部", "cjk") == pytest.approx(0.5)


@pytest.mark.parametrize(
    "first, second, lang, joined",
    [
        ("Verkehrs-", "politik", "de", "Verkehrspolitik"),
        ("Basel-", "Stadt", "de", "Basel-Stadt"),
        ("govern-", "ment", "en", "government"),
        ("self-", "esteem", "en", "self-esteem"),
        ("5-", "jährig", "de", "5-jährig"),
        ("Ein-", "und Ausgang", "de", "Ein- und Ausgang"),
        ("Verkehrsdirektoren-", "konferenz", "de", "Verkehrsdirektorenkonferenz"),
        ("gouverne-", "ment", "fr", "gouvernement"),
        ("Neben-", "zweck", "de", "Nebenzweck"),          # German closes compounds of known words
        ("porte-", "monnaie", "fr", "porte-monnaie"),
        ("Oesterreich-", "Ungarn", "de", "Oesterreich-Ungarn"),
    ],
)
def test_dehyphenate_removes_typesetting_hyphens_and_keeps_compounds(first, second, lang, joined):
    assert dehyphenate(first, second, lang) == joined


def test_latin_hyphen_break_scores_high():
    assert junction_score("the govern-", "ment said", "latin", "en") > 0.9
    assert junction_score("Verkehrs-", "politik", "latin", "de") > 0.9
    assert junction_score("bei heftigen Gewit-", "tern. Sie", "latin", "de") > 0.9


def test_a_hyphen_does_not_continue_into_a_common_word_of_its_own():
    # "Gewit-" + "einem" makes no word: the second half of a hyphenated word is no "einem"
    assert junction_score("bei heftigen Gewit-", "einem Nachmittag", "latin", "de") < 0.5
    assert junction_score("ils se sont ren-", "dans la ville", "latin", "fr") < 0.5
    assert junction_score("the govern-", "ment said", "latin", "en") > 0.9


def test_a_broken_word_needs_an_ending_that_completes_it():
    # "betei-" is no word: "zeigen" after it makes none ("beteiligt" would)
    assert junction_score("an einem Versuch betei-", "zeigen die Messungen", "latin", "de") == pytest.approx(0.5)
    assert junction_score("an einem Versuch betei-", "ligt.", "latin", "de") > 0.9
    # a known stem may open a compound whatever its ending
    assert junction_score("vor der Gletscher-", "zunge", "latin", "de") > 0.9
    # "tern." is the end of a word: after a whole word ("Das") it does not follow
    assert junction_score("zurückgezogen. Das", "tern. Sie rät", "latin", "de") < 0.4
    assert junction_score("zurückgezogen. Das", "zeigen die Messungen", "latin", "de") == pytest.approx(0.5)


def test_a_hyphen_before_a_word_it_makes_no_word_with_is_another_lines_start():
    # s11 fr-1100039: "pro-" + "concurrence" makes no word, "pro-" + "fondeur" does; the two
    # stories' continuations were swapped when both scored alike (0.92 against 0.97)
    assert junction_score("à une pro-", "concurrence avec", "latin", "fr") < 0.5
    assert junction_score("à une pro-", "fondeur de vingt", "latin", "fr") > 0.9
    assert junction_score("its new indi-", "saturated markets", "latin", "en") < 0.5
    # a lower-case stem before a capital: another line's start, in German too
    assert junction_score("outer gla-", "A new gallery", "latin", "en") < 0.5
    assert junction_score("sie haben sich be-", "Die Stadt prüft", "latin", "de") < 0.5
    # ... but a name's or a compound's hyphen before a capital stays likely ("Jean-Paul")
    assert junction_score("de Jean-", "Paul Laurens.", "latin", "fr") > 0.7
    # a start that is no word of its own ("naud.") may end a name the list does not hold
    assert junction_score("de Gabriel Fer-", "naud.", "latin", "fr") > 0.9


def test_a_lower_case_stem_and_a_word_fragment_must_make_a_word():
    # s41 fr-4100126: "nou-" + "nent." (no word) scored 0.92 beside "nou-" + "veaux" (0.97) and
    # "appren-" + "nent." (0.97); two halves of words go together only if they make one
    assert junction_score("pourront profiter des nou-", "nent.", "latin", "fr") < 0.5
    assert junction_score("pourront profiter des nou-", "veaux bassins", "latin", "fr") > 0.9
    assert junction_score("que leurs enfants appren-", "nent.", "latin", "fr") > 0.9
    assert junction_score("the govern-", "ment said", "latin", "en") > 0.9
    assert junction_score("the ment-", "ment said", "latin", "en") < 0.5
    assert junction_score("sie haben sich betei-", "tern. Sie", "latin", "de") < 0.5
    assert junction_score("an einem Versuch betei-", "ligt.", "latin", "de") > 0.9
    # a compound the list does not hold whole: its last part crosses the break
    assert junction_score("die neue verkehrspoli-", "tik der Stadt", "latin", "de") > 0.9
    assert junction_score("die neue verkehrspoli-", "nent.", "latin", "de") < 0.5
    # a capitalised stem may be a name's or a German noun's: its ending is not judged
    assert junction_score("de Gabriel Fer-", "naud.", "latin", "fr") > 0.9
    assert junction_score("bei heftigen Gewit-", "tern. Sie", "latin", "de") > 0.9
    # a start that is a word of its own is left to the other rules (German compounds)
    assert junction_score("vor der gletscher-", "zunge", "latin", "de") > 0.9


def test_a_german_capitalised_stems_hyphen_goes_on_in_lower_case():
    # de 150 (de-15000450): "…kann dort eine Weiter-" took "Bauernhöfen aus der Umgebung." (0.8,
    # the next column of its band, another story) over its own "bildung zum Rhabilleur" (0.97).
    # German capitalises its nouns: a divided noun goes on in lower case, a hyphen kept before a
    # capital ("Oesterreich-Ungarn") is rare
    assert junction_score("kann dort eine Weiter-", "Bauernhöfen aus der", "latin", "de") == pytest.approx(
        lexicon.HYPHEN_NO_WORD)
    assert junction_score("kann dort eine Weiter-", "bildung zum Rhabilleur", "latin", "de") > 0.9
    assert junction_score("bei heftigen Gewit-", "tern. Sie", "latin", "de") > 0.9
    # a suspended hyphen before its conjunction, a closed form that is a word: unchanged
    assert junction_score("die Ein-", "und Ausgänge", "latin", "de") == pytest.approx(0.8)
    # French and English names keep their capitals across the hyphen ("Saint-Denis")
    assert junction_score("de Jean-", "Paul Laurens.", "latin", "fr") > 0.7
    assert junction_score("a Weiter-", "Bauernhöfen", "latin", "en") == pytest.approx(0.8)


def test_a_german_noun_in_lower_case_is_a_divided_words_second_half():
    # de 150 (de-15000450): "…dass jedes Stück eine eigene" + "bildung zum Rhabilleur" scored as
    # any lower-case start (0.5) — but German capitalises its nouns, so a lower-case "bildung"
    # only ever goes on a word divided at a hyphen ("Weiter-" + "bildung")
    assert junction_score("dass jedes Stück eine eigene", "bildung zum", "latin", "de") < 0.4
    assert junction_score("mit der Gemeinde und deren", "leistungen.", "latin", "de") < 0.4
    assert junction_score("kann dort eine Weiter-", "bildung zum", "latin", "de") > 0.9
    # an adjective with the same ending ("jungen": no stem of three letters before it), a verb
    assert junction_score("sagt, die", "jungen Leute", "latin", "de") == pytest.approx(0.5)
    assert junction_score("dass jedes Stück eine eigene", "zeigen die Messungen", "latin", "de") == pytest.approx(0.5)
    # English and French nouns are lower case anyway
    assert junction_score("the whole", "nation agreed", "latin", "en") == pytest.approx(0.5)


def test_a_determiner_is_not_followed_by_a_function_word():
    # s41 fr-4100132 / s11 fr-1100038: "…financé par le" went on in "de limiter les nuisances"
    # (another story) instead of "canton et par une fondation"; "… and the" in "The city council"
    lefts = ["a été financé par le", "les voisins et la", "of the boats and the", "signed after months of"]
    rights = ["de limiter les nuisances", "canton et par une", "d'entre elles forment", "The city council",
              "has hit trade", "consultation with"]
    fr = junction_clash(lefts[:2], rights, "fr")
    assert fr.tolist() == [[True, False, True, False, False, False]] * 2
    en = junction_clash(lefts[2:], rights, "en")
    assert en[0].tolist() == [False, False, False, True, True, False]
    assert en[1].tolist() == [False, False, False, False, True, False]  # a preposition before an auxiliary
    # forms that are also pronouns or conjunctions say nothing: "il les" + "a vus", "une" + "de
    # ses", "to" + "be", German "die" as a relative pronoun ("…, die" + "im Sommer")
    assert not np.diag(junction_clash(["il les", "une"], ["a vus", "de ses"], "fr")).any()
    assert not junction_clash(["wanted to"], ["be there"], "en").any()
    assert not junction_clash(["den Gletscher, die"], ["im Sommer schmilzt"], "de").any()
    assert junction_clash(["Weg zum"], ["und dann"], "de").all()
    # ... nor by a relative, a conjunction or a clitic ("financé par le" + "comme la petite arvine")
    assert junction_clash(["financé par le"], ["comme la petite", "qui a", "ne sont"], "fr").all()
    assert junction_clash(["of the"], ["which is", "not only"], "en").all()
    # no list for the language, or a break at punctuation or a hyphen: nothing
    assert not junction_clash(["financé par le"], ["de limiter"], "it").any()
    assert not junction_clash(["financé par le,", "par le-"], ["de limiter"], "fr").any()


def test_a_german_article_or_preposition_wants_its_noun():
    # s11 de-1100033: "…Milch von elf Bauernhöfen aus der" goes on in "Umgebung. Die Energie-
    # kosten…"; German capitalises the noun an article or a preposition at the end wants
    lefts = ["Milch von elf Bauernhöfen aus der", "Ihr Lehrmeister Pius Arnold sucht seit", "Weg zum",
             "Kathedrale besuchen.", "Gletscher-"]
    rights = ["Umgebung. Die Energie-", "Monaten eine weitere Fachkraft.", "Der Stadtrat hat",
              "stark an, was den", "Doch viele fürchten"]
    m = junction_matrix(lefts, rights, "latin", "de")
    assert np.all(m[:3, :2] == pytest.approx(lexicon.NOUN_WANTED)) and lexicon.NOUN_WANTED > 0.8
    # a capitalised function word opens a sentence ("Der Stadtrat", "Doch"), a lower-case start
    # is left to the other rules, a closed end or a hyphen's stem wants no noun
    assert np.all(m[:3, 2:] == pytest.approx(0.5))
    assert np.all(m[3, :] == pytest.approx(0.5))
    assert m[4, 0] != pytest.approx(lexicon.NOUN_WANTED)
    # English and French set their nouns in lower case: a capital there says nothing of the kind
    assert junction_score("met in the", "Council chamber", "latin", "en") == pytest.approx(0.5)
    assert junction_score("pendant la", "Semaine sainte", "latin", "fr") == pytest.approx(0.5)


def test_noun_wanted_on_texts_is_the_junction_rule():
    # the same pairs as the junction's German noun rule, for starts the junction is not read at
    from broadsheet.reflow.lexicon import noun_wanted
    lefts = ["Milch von elf Bauernhöfen aus der", "Die Gemeinde will bis", "Gletscher-", "Kathedrale besuchen."]
    rights = ["Umgebung. Die Energie-", "Ende Jahr entscheiden", "Der Stadtrat hat", "stark an, was den"]
    assert noun_wanted(lefts, rights, "de").tolist() == [[True, True, False, False], [True, True, False, False],
                                                          [False] * 4, [False] * 4]
    assert not noun_wanted(["pendant la"], ["Semaine sainte"], "fr").any()
    assert noun_wanted([], rights, "de").shape == (0, 4)


def test_a_name_at_a_line_end_may_run_on_into_a_capital():
    # en-19000571 "…Senior conservator Harriet" + "Pennock said…", fr-13000392 "…Le chercheur
    # Pascal" + "Rochat rappelle…": a capitalised word set mid-sentence is a name's
    from broadsheet.reflow.lexicon import name_runs_on
    lefts = ["Senior conservator Harriet", "Le chercheur Pascal", "the work on the", "of York Minster.",
             "Harriet", "near Salquenen,", "said that I"]
    rights = ["Pennock said the team", "Rochat rappelle que", "The city council", "said the team"]
    got = name_runs_on(lefts, rights, "en").tolist()
    assert got[0] == [True, True, False, False]
    # no name at the end: a lower-case word, a stop, a lone word (no word before it to tell it
    # opens no sentence), a comma, a function word
    assert got[2:] == [[False] * 4] * 5
    assert name_runs_on(["Le chercheur Pascal"], ["Rochat rappelle", "Le projet"], "fr").tolist() == [[True, False]]
    # German capitalises every noun: no such rule there
    assert not name_runs_on(["Kuratorin Delphine"], ["Oberholzer betont"], "de").any()
    assert name_runs_on([], rights, "en").shape == (0, 4)


def test_a_capital_opening_no_function_word_is_a_name_start_in_english_and_french():
    from broadsheet.reflow.lexicon import capital_word_start
    texts = ["Pennock said the team", "The city council", "Kjipuktuk, carries up", "the rest", "It was", ""]
    assert capital_word_start(texts, "en").tolist() == [True, False, True, False, False, False]
    assert capital_word_start(["Franches-Montagnes compte", "Le projet", "Il a"], "fr").tolist() == [True, False, False]
    assert not capital_word_start(["Bauernhöfen aus der"], "de").any()


def test_a_determiner_rarer_than_the_function_words_is_no_name_start():
    # "each" (zipf 5.69), "several", "chaque" fall under FUNCTION_ZIPF but are closed-class
    # words, never a name: a capital on one opens a sentence (en-4100131 "Each panel was…")
    from broadsheet.reflow.lexicon import FUNCTION_ZIPF, capital_word_start, latin_zipf
    assert latin_zipf("each", "en") < FUNCTION_ZIPF
    en = ["Each panel was also", "Several hundred panels", "Anyone who recognises", "Eachwell said", "Skipper Thomas said"]
    assert capital_word_start(en, "en").tolist() == [False, False, False, True, True]
    assert capital_word_start(["Chaque année", "Plusieurs vignerons", "Chapuis a dit"], "fr").tolist() == [False, False, True]
    # the lists are per language: the French word in English text is read as a name's
    assert capital_word_start(["Chaque année"], "en").tolist() == [True]


def test_a_german_number_wants_its_noun_and_a_rarer_preposition_is_none():
    # "…ob sich die Bestände in drei" goes on in its noun ("Wochen erholen"); a sentence that
    # opens on a preposition ("Entlang des Wanderwegs", "Ab nächstem Juni") is no noun for an
    # end that wants one (s11 de-1100036, de-19000570)
    from broadsheet.reflow.lexicon import noun_wanted
    lefts = ["Ob sich die Bestände in drei", "Milch von elf Bauernhöfen aus der"]
    rights = ["Wochen erholen, weiss", "Entlang des Wanderwegs zur", "Ab nächstem Juni bietet"]
    assert noun_wanted(lefts, rights, "de").tolist() == [[True, False, False], [True, False, False]]
    # and at the end it wants its noun as a preposition does
    assert noun_wanted(["Wanderweg entlang"], ["Gletscher"], "de").tolist() == [[False]]
    assert noun_wanted(["die Strasse entlang der"], ["Gletscher"], "de").tolist() == [[True]]


def test_the_commonest_german_nouns_are_nouns_and_numbers_are_the_firm_half():
    # s11 de-1100036: "Jahren" (zipf 5.83) stood above `FUNCTION_ZIPF` with the function words,
    # so "…in drei" + "Jahren erholt" got no lift; the few nouns up there are listed
    from broadsheet.reflow.lexicon import FUNCTION_ZIPF, latin_zipf, noun_wanted
    assert latin_zipf("Jahren", "de") >= FUNCTION_ZIPF
    lefts = ["Ob sich die Bestände in drei", "die Luftfeuchtigkeit im"]
    rights = ["Jahren erholt haben", "Menschen kamen", "Auch die Läden", "Dann kam", "Wochen später"]
    assert noun_wanted(lefts, rights, "de").tolist() == [[True, True, False, False, True],
                                                         [False, False, False, False, True]]
    # ... after a number only ("…vor den Medien von" + "Jahr entscheiden", fixture de-sample)
    assert not noun_wanted(["vor den Medien von"], ["Jahr entscheiden"], "de").any()
    # the counted half: ends on a number only
    assert noun_wanted(lefts, rights, "de", counted=True).tolist() == [[True, True, False, False, True],
                                                                      [False] * 5]
    assert not noun_wanted(["in drei"], ["Jahren"], "fr", counted=True).any()


def test_a_german_adjective_after_an_article_wants_its_noun():
    # de 150 de-15000450 "…dass jedes Stück eine eigene" + "Geschichte habe", de 190
    # de-19000573 "…soll ein kleiner" + "Teil des Gletschers", s41 de-4100128 "…eine befristete"
    # + "Mietreduktion": an inflected word after an article still waits for its noun
    from broadsheet.reflow.lexicon import adjective_ends, noun_wanted
    lefts = ["dass jedes Stück eine eigene", "Schmelzwasser soll ein kleiner", "prüft deshalb eine befristete",
             "Kosten seien in den letzten"]
    assert adjective_ends(lefts, "de").all()
    assert noun_wanted(lefts, ["Geschichte habe, sagt sie.", "Teil des", "bildung zum", "Die Kurse"],
                       "de").tolist() == [[True, True, False, False]] * 4
    # ... and, like a number, on the commonest nouns too ("in den letzten" + "Jahren")
    assert noun_wanted(lefts[3:], ["Jahren stark gestiegen"], "de").tolist() == [[True]]
    # not an uninflected word, a word with no article before it, a capital, a hyphen's stem, a
    # function word after the article ("…, die aber"), a closed end; nor in French
    others = ["die Stimmung ist heute gut", "Viele Gäste unterschätzten", "sagt, dass die Kinder",
              "den ganzen Weiter-", "Kinder, die aber", "eine eigene.", "er ist kleiner"]
    assert not adjective_ends(others, "de").any()
    assert not noun_wanted(others, ["Geschichte habe"], "de").any()
    assert not adjective_ends(["pour une grande"], "fr").any()
    assert not noun_wanted(["pour une grande"], ["Semaine sainte"], "fr").any()


def test_a_firm_german_noun_phrase_end_and_the_adjective_that_goes_on_it():
    # an article (not a relative pronoun after a comma), an adjective after one or a number
    # stops inside a noun phrase; a bare preposition does not ("jeden Morgen um" + "fünf Uhr",
    # "nie allein zu" + "schwimmen und den", de 190 / de 130)
    from broadsheet.reflow.lexicon import adjective_goes_on, firm_noun_ends
    lefts = ["Bauernhöfen aus der", "betont, dass die", "verboten ist. Im", "soll ein kleiner", "in drei",
             "Erbstücke, die", "zurückgezogen. Das", "jeden Morgen um", "nie allein zu", "eine Weiter-",
             "besuchen."]
    assert firm_noun_ends(lefts, "de").tolist() == [True] * 5 + [False] * 6
    # after an article the phrase goes on in an inflected adjective ("Im" + "vergangenen Sommer",
    # de-19000573) as in its noun (after a number or an adjective such a word is as often a
    # verb: "eine eigene" + "zeigen"); not in an uninflected word ("aus der" + "stark an", de-1100033), a
    # function word ("die" + "aber") or a capital (the noun rule's)
    rights = ["vergangenen Sommer", "stark an", "aber auch", "Umgebung."]
    m = adjective_goes_on(lefts, rights, "de")
    assert m[:3, 0].all() and not m[3:].any() and not m[:, 1:].any()
    assert junction_matrix(lefts[:1], rights[:2], "latin", "de").tolist() == [[lexicon.NOUN_WANTED, 0.5]]
    assert not firm_noun_ends(["pour la"], "fr").any() and not adjective_goes_on(["in the"], ["old"], "en").any()


def test_a_lower_case_stem_hyphen_is_not_followed_by_a_capital():
    # s11 fr-1100033: "…mis en ser-" took "Thonon." (set right under it) and "…de Nyon et de"
    # its "vice d'ici 2030": hyphenation splits a word, and no word's second half is capitalised
    lefts = ["devrait être mis en ser-", "Arrivée par les ports de Nyon et de", "de Jean-", "en 2019-"]
    rights = ["Thonon.", "vice d'ici 2030", "Paul Laurens."]
    fr = junction_clash(lefts, rights, "fr")
    assert fr.tolist() == [[True, False, True], [False, False, False], [False, False, False],
                           [False, False, False]]
    # a capitalised stem may be a name's or a German noun's ("Basel-" + "Stadt"); any language
    assert not junction_clash(["Basel-"], ["Stadt"], "de").any()
    assert junction_clash(["mis en ser-"], ["Thonon."], "it").all()
    assert junction_clash(["mis en ser\u00ad"], ["Thonon."], "fr").all()


def test_latin_junction_scores_only_pair_evidence():
    # "… in the" is open whatever follows (end_openness says so); the junction stays neutral
    assert junction_score("met in the", "city council", "latin", "en") == pytest.approx(0.5)
    assert junction_score("yesterday.", "The mayor", "latin", "en") == pytest.approx(0.5)
    # a word broken without its hyphen is pair evidence
    assert junction_score("the govern", "ment said", "latin", "en") > 0.8


def test_cjk_break_without_a_crossing_word_is_mild_evidence_against():
    j = junction_matrix(["“我们不会", "…与赣"], ["放缓在中国的投资。"], "cjk")
    assert 0.3 < j[0, 0] < 0.5   # half of all true CJK breaks are mid-word; this one is not
    assert j[1, 0] < j[0, 0]     # and "赣" is left without its "州"


def test_zipf_lookup_is_case_insensitive_and_zero_for_unknown():
    assert latin_zipf("Politik", "de") == latin_zipf("politik", "de") > 3
    assert latin_zipf("qxzvbw", "en") == 0.0


def test_junction_matrix_matches_pairwise_scores():
    lefts = [GANZHOU_END, JINING_END, "…的好成绩。"]
    rights = [GANZHOU_NEXT, JINING_NEXT, JINING_ATTRIBUTION, ""]
    m = junction_matrix(lefts, rights, "cjk")
    assert m.shape == (3, 4)
    expect = np.array([[junction_score(a, b, "cjk") for b in rights] for a in lefts])
    np.testing.assert_allclose(m, expect)
    assert m.argmax(axis=1)[0] == 0 and m.argmax(axis=1)[1] == 1
    assert ((m >= 0) & (m <= 1)).all()


def test_junction_matrix_of_empty_inputs_has_the_right_shape():
    assert junction_matrix([], ["a"], "latin", "en").shape == (0, 1)
    assert junction_matrix(["a"], [], "cjk").shape == (1, 0)


def test_cjk_junction_separates_true_breaks_from_shuffled_pairs():
    """The calibration behind `_cjk_junction`, on the CC0 fixture text: cut paragraphs at random
    points; true (tail, head) pairs must score far above the same tails with shuffled heads."""
    import json
    import re
    from pathlib import Path

    import broadsheet.fixtures as fx

    doc = json.loads((Path(fx.__file__).parent / "text" / "zh.json").read_text(encoding="utf-8"))
    runs = [r for a in doc["articles"] for p in a["paragraphs"] if isinstance(p, str)
            for r in re.findall(r"[\u4e00-\u9fff]{6,}", p)]
    rng = np.random.default_rng(0)
    tails, heads = [], []
    for _ in range(400):
        r = runs[rng.integers(len(runs))]
        i = int(rng.integers(3, len(r) - 2))
        tails.append(r[i - 3:i])
        heads.append(r[i:i + 3])
    m = junction_matrix(tails, heads, "cjk")
    true = np.diag(m)
    false = m[~np.eye(len(tails), dtype=bool)]
    assert (true > 0.8).mean() > 0.35          # about half of true breaks are mid-word
    assert (false > 0.8).mean() < 0.08         # few shuffled pairs make a word
    assert true.mean() > false.mean() + 0.15


def test_cjk_number_goes_on_in_a_classifier_not_a_sentence():
    # "…集中签约项目共计30" + "个，累计签约资金…" (seed random 1), not + "招商干部告诉记者。"
    m = junction_matrix(["…该区3次集中签约项目共计30", "…对接项目110多", "…已落地30"],
                        ["个，累计签约资金178.92亿元。", "招商干部告诉记者。为降低", "家信创核心企业",
                         "一线，“手把手”指导"], "cjk")
    assert (m[:, 0] > 0.8).all() and (m[:, 1] < 0.2).all()
    assert m[2, 2] > 0.8       # "家" is a classifier though "家信" is a word
    assert m[2, 3] < 0.2       # a Han numeral after a number is no classifier


def test_cjk_clause_mark_before_a_word_cut_in_two_is_evidence_against():
    # "…的核心要素，" + "理提升，…": "理" mostly sits inside a word ("整理"), a comma cannot give it one
    j = junction_matrix(["…引资项目落地的核心要素，", "…引资项目落地的核心要素，"], ["理提升，占年度目标任务的", "全年计划提供产业用地"], "cjk")
    assert j[0, 0] < 0.35 and j[1, 1] == pytest.approx(0.5)


def test_cjk_numbers_meet_classifiers_on_true_breaks_only():
    """The calibration behind `_cjk_number_and_clause`, on the seed page's text: cut right after
    every number; true heads start with a classifier or unit far more often than shuffled ones."""
    import json
    import re
    from pathlib import Path

    import broadsheet.fixtures as fx

    doc = json.loads((Path(fx.__file__).parent / "text" / "seed-zh.json").read_text(encoding="utf-8"))
    paras = [p for a in doc["articles"] for f in a["fragments"] for p in f["paragraphs"] if isinstance(p, str)]
    cuts = [(p[:m.end()], p[m.end():m.end() + 6]) for p in paras
            for m in re.finditer(r"[0-9]+(?=[\u4e00-\u9fff])", p)]
    assert len(cuts) >= 20
    tails, heads = zip(*cuts)
    # the same tails against heads cut anywhere in the text (after a number most heads are classifiers)
    runs = [r for p in paras for r in re.findall(r"[\u4e00-\u9fff]{6,}", p)]
    rng = np.random.default_rng(0)
    others = [r[i:i + 6] for r in (runs[k] for k in rng.integers(len(runs), size=200))
              for i in [int(rng.integers(0, len(r) - 5))]]
    true = np.diag(junction_matrix(list(tails), list(heads), "cjk"))
    false = junction_matrix(list(tails), others, "cjk")
    assert (true > 0.8).mean() > 0.85 and (false > 0.8).mean() < 0.15
    assert true.mean() > false.mean() + 0.5


def test_cjk_quote_closed_then_a_short_speaker_wants_its_attribution():
    # "…卓有成效。”赣州经开区" goes on in "招商干部告诉记者。", not in "举行了…" (seed random 1)
    j = junction_matrix(["…不见面招商卓有成效。”赣州经开区"],
                        ["招商干部告诉记者。为降低", "举行了2020年的第二次集中签约"], "cjk")
    assert j[0, 0] > 0.9 and j[0, 1] < 0.3
    # a quote closed mid-sentence ("，”") is the wider speaker rule alone: milder, and no penalty
    wide = junction_matrix(["…增长了三成，”经开区"], ["招商干部告诉记者。", "举行了集中签约"], "cjk")
    assert 0.5 < wide[0, 0] < 0.9 and wide[0, 1] == pytest.approx(0.38)


def test_cjk_cross_gain_is_the_best_word_across_the_break(jieba_tokenizer):
    """`_cjk_cross_gain` skips a tail suffix that begins no word (no prefix in jieba's
    dictionary) and stops at a miss: the same gain, bit for bit, as trying every word
    tail[-k:] + head[:m] of at most `CJK_MAX_WORD` characters against jieba's own counts."""
    import math

    freq, log_total = jieba_tokenizer.FREQ, math.log(jieba_tokenizer.total)
    # every prefix of a word is in the dictionary: what the skip and the stop rely on
    assert all(w[:i] in freq for w in list(freq)[::97] for i in range(1, len(w)))
    modern = lexicon._cjk_modern_arrays()
    newer = {w: c for n in range(2, lexicon.CJK_MAX_WORD + 1)
             for w, c in zip(modern[f"words{n}"].tolist(), modern[f"counts{n}"].tolist())}

    def every_word(tail: str, head: str) -> float:
        best = -math.inf
        for k in range(1, min(len(tail), lexicon.CJK_MAX_WORD - 1) + 1):
            for m in range(1, min(len(head), lexicon.CJK_MAX_WORD - k) + 1):
                f = freq.get(tail[-k:] + head[:m]) or newer.get(tail[-k:] + head[:m])
                if f:
                    best = max(best, math.log(f) - log_total + cjk_logprob(tail[:-k]) + cjk_logprob(head[m:]))
        return 0.0 if best == -math.inf else max(0.0, best - cjk_logprob(tail) - cjk_logprob(head))

    texts = [t for t in _sample_strings() if t]
    rng = np.random.default_rng(3)
    gains = []
    for _ in range(3000):
        tail, head = texts[rng.integers(len(texts))][-4:], texts[rng.integers(len(texts))][:4]
        gains.append(lexicon._cjk_cross_gain(tail, head))
        assert gains[-1] == every_word(tail, head), (tail, head)
    assert sum(g > 0 for g in gains) > 40  # words do cross in the draw


def test_cjk_newer_word_across_the_break_beats_an_old_false_one():
    """jieba's dictionary has no 微信: "…以微" + "信、电话" made no word (0.38) and lost to the
    false "…以微" + "电子信息" (微电子). wordfreq's newer words it lacks cross a break too."""
    assert cjk_word_freq("微信") == 0
    true = lexicon._cjk_junction("以微", "信")
    false = lexicon._cjk_junction("以微", "电子信")
    assert true > false > 0.9
    matrix = junction_matrix(["企业可以微"], ["信、电话等方式", "电子信息产业"], "cjk")
    assert matrix[0, 0] > matrix[0, 1]
    # other newer words: a break inside them is repaired by their other half only
    for tail, head in (("防控新", "冠疫情"), ("一批网", "约车司机")):
        assert lexicon._cjk_junction(tail, head) > 0.9
        assert lexicon._cjk_junction(tail, "工作") < 0.5


def test_cjk_newer_words_are_words_not_common_phrases():
    """The newer words hold none of jieba's words, and not what wordfreq's tokenizer kept
    together of two common words ("这是", "我要"): a break between those stays no word."""
    modern = lexicon._cjk_modern_arrays()
    words = [w for n in range(2, lexicon.CJK_MAX_WORD + 1) for w in modern[f"words{n}"].tolist()]
    assert "微信" in words and "新冠" in words
    assert not any(cjk_word_freq(w) for w in words)
    assert "这是" not in words and "我要" not in words
    for tail, head in (("他说这", "是一个"), ("我", "要去")):
        assert lexicon._cjk_cross_gain(tail, head) == 0.0
        assert lexicon._cjk_junction(tail, head) < 0.5


def test_cjk_cross_gains_of_many_pairs_are_each_pairs_own():
    """`_cjk_cross_gains` looks every pair's words of one (k, m) up at once: each pair's gain,
    bit for bit, is the gain of that pair alone, whatever its neighbours' lengths (1–4
    characters, tails right-aligned, heads left-aligned), and the junction matrix built on it
    holds `_cjk_junction` of every pair (a cell of a wrong pair or a shifted window would differ)."""
    texts = [t for t in _sample_strings() if t]
    rng = np.random.default_rng(5)
    tails = sorted({texts[rng.integers(len(texts))][-int(rng.integers(1, 5)):] for _ in range(150)})
    heads = sorted({texts[rng.integers(len(texts))][:int(rng.integers(1, 5))] for _ in range(150)})
    pt = rng.integers(len(tails), size=4000)
    ph = rng.integers(len(heads), size=4000)
    gains = lexicon._cjk_cross_gains(tails, heads, pt, ph)
    alone = [lexicon._cjk_cross_gain(tails[a], heads[b]) for a, b in zip(pt.tolist(), ph.tolist())]
    assert gains.tolist() == alone
    assert (gains > 0).sum() > 20  # words do cross in the draw
    # the matrix: Han windows of real lines, every cell the pair's own score
    lefts = [t for t in texts if lexicon._cjk_tail(t)][:120]
    rights = [t for t in texts if lexicon._cjk_head(t)][:120]
    m = lexicon._cjk_junction_matrix(lefts, rights)
    edge, where = lexicon._cjk_number_and_clause(lefts, [lexicon._cjk_head(r) for r in rights])
    want = np.array([[lexicon._cjk_junction(lexicon._cjk_tail(a), lexicon._cjk_head(b)) for b in rights]
                     for a in lefts])
    assert np.array_equal(m, np.where(where, edge, want))
    assert (want > 0.6).sum() > 10  # crossing pairs among them


def test_frequency_dict_is_wordfreqs_dict():
    """Built a bucket at a time, it is wordfreq's own dict: every entry, value and the order."""
    from wordfreq import get_frequency_dict

    from broadsheet.reflow.lexicon import _frequency_dict
    for lang in ("de", "fr"):
        assert list(_frequency_dict(lang).items()) == list(get_frequency_dict(lang).items())
    assert _frequency_dict("de")["und"] > _frequency_dict("de")["politik"] > 0
