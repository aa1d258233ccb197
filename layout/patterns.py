"""Text patterns that name a block's role, for Chinese and Latin-script papers.

Each pattern is anchored on what newspapers print: Chinese bylines open with 本报记者 /
通讯员 (Economic Daily, People's Daily house style), photo credits end in 摄, captions open
with 图为; Latin bylines open with By/Von/Par, credits with Foto/Photo/Bild.
"""
from __future__ import annotations

import re

import numpy as np

# Marks that close a sentence (or a quotation closing one), CJK and Latin; a line ending in one
# is not left open. With the pause marks, what cannot end a subhead either.
SENTENCE_END = frozenset("。！？!?…”」』．.;；:：\"»«)）")
SENTENCE_END_OR_PAUSE = SENTENCE_END | frozenset("，,、")

# OCR of a degraded scan drops word spaces ("VonSamuel Rüfenacht"): the mixed-case openers take
# a capital straight after them too (no word begins By/Von/Par + capital); the all-caps ones do
# not ("BYRON", "PARIS").
BYLINE = re.compile(
    r"^\s*(本报记者|本报通讯员|本报特约记者|特约记者|记者|通讯员|新华社记者|本报讯|文/|文／|"
    r"By\s*[A-Z]|BY\s+[A-Z]|Von\s*[A-ZÄÖÜ]|VON\s+[A-ZÄÖÜ]|Par\s*[A-ZÉ]|PAR\s+[A-ZÉ]|De notre|Von unserem|From our)"
)
# a wire or correspondent line in brackets over a dispatch: "(PAR FIL SPÉCIAL)", "(DE NOTRE
# CORRESPONDANT PARTICULIER)", "(Von unserem Korrespondenten)", "(By cable)" — part of the text
WIRE = re.compile(
    r"^\s*[(（]\s*(PAR|Par|DE NOTRE|De notre|D'UN|D'un|VON|Von|VOM|Vom|FROM|From|BY|By)\s"
    r"[^()（）]{2,50}[)）]\s*\.?\s*$"
)
BRACKETED = re.compile(r"^\s*[(（][^()（）]{2,50}[)）]\s*\.?\s*$")  # a whole line in brackets
CREDIT = re.compile(
    r"(摄影?\s*([（(][^）)]{0,12}[）)])?\s*$)|(^\s*(Foto|Photo|Bild|Fotos|Photos|Image|Photograph|Photographs|Picture|Illustration)\s*[:：/])"
)
CAPTION = re.compile(r"^\s*(图为|图：|图:|上图|下图|左图|右图|[（(]图|Bild:|Photo:|Foto:|Abb\.|Fig\.)")
FOOTER = re.compile(
    r"^\s*(本版编辑|责任编辑|版式设计|美术编辑|美编|校对|本版责编|Redaktion\s*:|Rédaction\s*:|"
    r"Page editor\s*:|Edited by\s|"
    # the imprint at the foot of the page: the gérant, the printer, the publisher
    r"L[ea]s? [Gg][ée]rants?\b|Imprimerie\b|Verantwortliche[rn]? Redakt|Druck und Verlag|"
    r"Printed and published by)"
)
# (every alternative opens with a literal character, so `re` skips to those in C: a class such as
# "[Cc]ontinued" at the front makes it try every alternative at every position, 2× slower per line)
JUMP = re.compile(
    r"转第\s*\S{1,3}\s*版|接第\s*\S{1,3}\s*版|下转第|上接第|续第\s*\S{1,3}\s*版|"
    r"Continued (?:on|from) [Pp]age|continued (?:on|from) [Pp]age|"
    r"Fortsetzung (?:auf|von) [Ss]eite|fortsetzung (?:auf|von) [Ss]eite|"
    r"Suite (?:en|de la) page|suite (?:en|de la) page"
)
HEADER = re.compile(
    r"(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|星期[一二三四五六日天]|第\s*\d+\s*版|"
    r"\b(Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b|"
    r"\b(Seite|Page|Nr\.|No\.)\s*\d+)"
)


def matches(pattern: re.Pattern, text: str) -> bool:
    return bool(pattern.search(text))


def per_char(texts: list[str], fn, dtype=float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The texts' characters as code points (joined), each text's length, and ``fn`` of every
    character; ``fn`` runs once per distinct character of the page (a table by code point)."""
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    cp = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    present = np.bincount(cp) if len(cp) else np.zeros(1, np.int64)
    seen = np.nonzero(present)[0]
    table = np.zeros(len(present), dtype)
    table[seen] = [fn(chr(c)) for c in seen.tolist()]
    return cp, lens, table[cp]


def char_em(c: str) -> float:
    """Advance of one character in em: Han/kana/hangul and full-width marks 1, a space 0.28,
    a capital or digit 0.62, anything else 0.5."""
    if "\u2e80" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" or "\uff00" <= c <= "\uffef" or c in "“”‘’、。，：；！？（）《》—":
        return 1.0
    if c.isspace():
        return 0.28
    if c.isupper() or c.isdigit():
        return 0.62
    return 0.5


def em_counts(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per text: `char_em` summed over its stripped characters, left to right, and the share
    of those characters that are Han; each distinct character is classified once per page.

    The sums run column by column over the texts sorted by length (the j-th characters of all
    texts at least j+1 long in one vector add), so each text's sum is built in the same order
    as a loop over its characters would build it, with the same float roundings.
    """
    stripped = [t.strip() for t in texts]
    n = len(stripped)
    cp, lens, em = per_char(stripped, char_em)
    is_han = (cp >= 0x3400) & (cp <= 0x9FFF)
    starts = np.cumsum(lens) - lens
    order = np.argsort(-lens, kind="stable")
    run_len, run_start = lens[order], starts[order]
    acc = np.zeros(n)
    longer = np.searchsorted(-run_len, -np.arange(run_len[0] if n else 0), side="left")  # per j: texts longer than j
    for j, k in enumerate(longer.tolist()):
        acc[:k] += em[run_start[:k] + j]
    ems = np.empty(n)
    ems[order] = acc
    han_count = np.bincount(np.repeat(np.arange(n), lens), weights=is_han, minlength=n)
    han = np.where(lens > 0, han_count / np.maximum(lens, 1), 0.0)
    return ems, han


def mostly_cjk(texts: list[str]) -> bool:
    """Is most of the page's text Han/kana/hangul (glyphs that fill their em box)? Layout needs
    the script before reflow."""
    joined = "".join(texts)
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n_cjk = int((((cp >= 0x3400) & (cp <= 0x9FFF)) | ((cp >= 0xAC00) & (cp <= 0xD7AF))).sum())
    count = np.bincount(cp) if len(cp) else np.zeros(1, np.int64)  # per code point: no loop over characters
    seen = np.nonzero(count)[0]
    n_all = int(count[seen[[chr(c).isalpha() for c in seen.tolist()]]].sum()) if len(seen) else 0
    return n_all > 0 and n_cjk >= 0.3 * n_all
