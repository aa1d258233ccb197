"""Evidence *for* a block's story: each candidate successor's text against whole provisional
stories, as a contrast between the story of the end it would join and its best alternative.

A per-pair score cannot say where a block belongs: a veto on one wrong partner hands the block
to the next wrong one. Here every provisional story (headline group + the blocks the
assignment gave it, after `articles.regroup_fragments`) is one text; a candidate start block — read with its own provisional run
below it — is compared with each story, its own contribution left out of its own story's text.
A row (a headline, or a block ending somewhere in story s) then gains where the candidate fits
s better than any other story and pays where another story fits it clearly better; the page is
solved again with that term, until the stories stop changing (`articles._by_whole_stories`).
On Latin pages it speaks only between an open end and an open start, at half weight, for a
candidate whose best story rests on two words of its own (`articles.latin_story_contrast`; docs/results.md, session 7).
"""
from __future__ import annotations

import numpy as np

from .similarity import PartReads, concat_similarity_split
from .stitch import chains

#: cosines of short texts are small; a floor keeps two near-zero fits from making a large ratio
STORY_FLOOR = 0.03


def provisional_stories(succ: np.ndarray, n_heads: int) -> tuple[np.ndarray, list[list[int]]]:
    """(T,) story index per text block (its head, or -1 in a headless chain), and per head its
    chain of text blocks."""
    hd, _ = chains(succ, n_heads)
    return _story_index(hd, len(succ) - n_heads), hd


def _story_index(hd: list[list[int]], n_blocks: int) -> np.ndarray:
    """(n_blocks,) the head whose chain (``hd``) holds each text block, -1 for none."""
    story = np.full(n_blocks, -1)
    for g, ch in enumerate(hd):
        story[np.asarray(ch, np.int64)] = g
    return story


def story_fit(own: list[str], hd: list[list[int]], tails: list[tuple[int, ...]],
              script: str, reads: PartReads | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(T, G) cosine of each candidate's text (its run ``tails[k]``, indices into ``own``: the
    G headline texts, then the T block texts) against each provisional story (``hd``: per
    head its text blocks), the candidate's own run taken out of its own story; and (T,) each
    block's provisional story (-1: none). ``reads``: `similarity.read_parts(own, script)`, made
    once for the story pass's rounds."""
    G = len(hd)
    story = _story_index(hd, len(tails))
    segs = [(g,) + tuple(G + k for k in ch) for g, ch in enumerate(hd)]
    # the own story without the candidate's run: one extra text per candidate that has a story
    mine = np.nonzero(story >= 0)[0]
    own_segs = [tuple(i for i in segs[story[k]] if i not in tails[k]) for k in mine]
    # (T, G), and of the (T, len(mine)) block of the own stories only each candidate's own entry
    fit, own_fit = concat_similarity_split(own, tails, segs, own_segs, mine, script, reads)
    fit[mine, story[mine]] = own_fit
    # where the own story is nothing but its headline without the candidate's run, it cannot
    # speak against the candidate: its fit there counts as its best
    bare = np.array([len(sg) <= 1 for sg in own_segs], bool)
    fit[mine[bare], story[mine[bare]]] = np.maximum(fit[mine[bare], story[mine[bare]]], fit[mine[bare]].max(axis=1))
    return fit, story


def story_contrast(fit: np.ndarray, story: np.ndarray, n_heads: int, unit: float = 3.0,
                   floor: float = STORY_FLOOR, keep: np.ndarray | None = None) -> np.ndarray:
    """(G+T, T) log-ratio of a candidate's fit to the row's story over its best other story,
    in units of log ``unit``, clipped to −1…1; 0 where the row has no story (a headless chain) or
    the page fewer than two stories. ``keep`` (G+T, T): pairs it may favour but not penalise
    (a sentence running on into a word across the break: "…周边中" + "央大街…")."""
    T, G = fit.shape
    out = np.zeros((G + T, T))
    if G < 2 or T == 0:
        return out
    row_story = np.concatenate([np.arange(G), story])
    has = row_story >= 0
    # a row's contrast depends on its story alone: computed per story (G, T), then spread
    # over the rows (each entry the same arithmetic as when computed row by row)
    f = fit.T  # (G, T): fit of candidate (column) to each story
    # best other story per (row story, candidate): the best, or the runner-up where the best is it
    order = np.argsort(-fit, axis=1, kind="stable")
    best, second = order[:, 0], order[:, 1] if G > 1 else order[:, 0]
    fb = fit[np.arange(T), best]
    fs = fit[np.arange(T), second]
    alt = np.where(np.arange(G)[:, None] == best[None, :], fs[None, :], fb[None, :])
    c = np.clip(np.log((f + floor) / (alt + floor)) / np.log(unit), -1.0, 1.0)
    out[has] = c[row_story[has]]
    if keep is not None:
        out = np.where(keep, np.maximum(out, 0.0), out)
    return out
