"""Evidence for a block's story: its text against whole provisional stories."""
import numpy as np

from broadsheet.reflow.stories import provisional_stories, story_contrast, story_fit


def test_provisional_stories_follow_each_heads_chain():
    # 2 heads, 4 blocks: head 0 -> 0 -> 1, head 1 -> 2; block 3 headless
    succ = np.array([0, 2, 1, -1, -1, -1])
    story, hd = provisional_stories(succ, 2)
    assert hd == [[0, 1], [2]]
    assert story.tolist() == [0, 0, 1, -1]


def test_a_candidate_fits_the_story_it_names_not_the_one_it_was_given():
    # head 0 (Zhaoqing) -> block 0; head 1 (Beijing) -> block 1 -> block 2, a Zhaoqing
    # paragraph the first assignment put under Beijing
    own = ["肇庆高新区精准招商", "北京经开区信创园",
           "肇庆高新区改变招商方式，瞄准新能源汽车产业。",
           "北京经开区信创园正式开园，将建设信创产业基地。",
           "肇庆高新区还为小鹏汽车新能源项目提供用地。"]
    succ = np.array([0, 1, -1, 2, -1])  # heads 0, 1; blocks 0, 1, 2 (block 1 -> block 2)
    tails = [(2,), (3, 4), (4,)]
    _, hd = provisional_stories(succ, 2)
    fit, story = story_fit(own, hd, tails, "cjk")
    assert story.tolist() == [0, 1, 1]
    # block 2's own story (1) is read without it: it fits story 0 better
    assert fit[2, 0] > fit[2, 1]
    c = story_contrast(fit, story, 2)
    rows = {"head 0": 0, "block 0": 2, "block 1": 3}
    assert c[rows["block 0"], 2] > 0 > c[rows["block 1"], 2]
    assert c[rows["head 0"], 2] > 0


def test_no_contrast_for_a_headless_row_or_a_single_story():
    fit = np.array([[0.2, 0.1], [0.0, 0.3]])
    story = np.array([0, -1])
    c = story_contrast(fit, story, 2)
    assert np.all(c[3] == 0)  # row of block 1: headless chain
    assert np.all(story_contrast(fit[:, :1], story, 1) == 0)


def test_a_word_across_the_break_is_favoured_but_never_penalised():
    # candidate 0 fits story 1 three times better than story 0: a row of story 0 pays ...
    fit = np.array([[0.03, 0.15], [0.2, 0.01]])
    story = np.array([0, 1])
    c = story_contrast(fit, story, 2, unit=3.0, floor=0.03)
    assert c[0, 0] < -0.9  # head 0 -> block 0
    keep = np.zeros((4, 2), bool)
    keep[0, 0] = True  # ... unless the pair's text runs on into a word
    kept = story_contrast(fit, story, 2, unit=3.0, floor=0.03, keep=keep)
    assert kept[0, 0] == 0.0
    assert kept[1, 0] == c[1, 0] > 0.9  # the favoured side is untouched


def test_story_contrast_per_story_is_the_row_by_row_contrast_to_the_bit():
    # computed once per story and spread over its rows: the same numbers as computed per row
    # (headless rows 0, ties between stories, a candidate's own story its best)
    from broadsheet.reflow.stories import story_contrast
    rng = np.random.default_rng(5)
    for _ in range(50):
        G, T = int(rng.integers(2, 7)), int(rng.integers(1, 12))
        fit = rng.choice([0.0, 0.01, 0.2, 0.35, 0.9], size=(T, G))
        story = rng.integers(-1, G, T)
        got = story_contrast(fit, story, G, 3.0, 0.03)
        rows = np.concatenate([np.arange(G), story])
        want = np.zeros((G + T, T))
        for r, s in enumerate(rows):
            if s < 0:
                continue
            for k in range(T):
                others = [fit[k, g] for g in range(G) if g != s]
                want[r, k] = np.clip(np.log((fit[k, s] + 0.03) / (max(others) + 0.03)) / np.log(3.0), -1.0, 1.0)
        assert np.array_equal(got, want)
        assert (got[G:][story < 0] == 0).all()


def test_a_run_of_one_story_set_into_another_ends_in_its_own_story():
    # head 0 (Zhaoqing) -> block 0; head 1 (Beijing) -> block 1 -> blocks 2, 3, 4, where a far
    # link put Zhaoqing's blocks 2-4 under Beijing: block 4, stopping mid-sentence, judges its
    # candidates by Zhaoqing's story, read from its own run up the chain (blocks 2-4, `story_run` 3)
    from broadsheet.reflow.articles import end_story
    from broadsheet.reflow.stitch import StitchConfig
    own = ["肇庆高新区精准招商", "北京经开区信创园",
           "肇庆高新区改变招商方式，瞄准新能源汽车产业。",
           "北京经开区信创园正式开园，将建设信创产业基地。",
           "肇庆高新区还为小鹏汽车新能源项目提供用地，",
           "小鹏汽车在肇庆高新区建设新能源汽车产业园。",
           "肇庆高新区招商引资项目用地得到保障，",
           "城市副中心"]
    succ = np.array([0, 1, -1, 2, 3, 4, -1, -1])  # heads 0, 1; blocks 0..5; block 5 headless
    _, hd = provisional_stories(succ, 2)
    backs = [(2,), (3,), (3, 4), (3, 4, 5), (4, 5, 6), (7,)]
    fit, story = story_fit(own, hd, backs, "cjk")
    assert story.tolist() == [0, 1, 1, 1, 1, -1]
    open_ = np.full(6, 0.9)
    ends = end_story(fit, story, open_, StitchConfig())
    # blocks 2 and 3 are read with Beijing's block 1 above them: not clearly another story
    assert ends.tolist() == [0, 1, 1, 1, 0, -1]
    assert end_story(fit, story, open_, StitchConfig(story_end_ratio=1e6)).tolist() == story.tolist()
    # a block that closes its sentence keeps its provisional story
    closed = open_.copy()
    closed[4] = 0.1
    assert end_story(fit, story, closed, StitchConfig()).tolist() == story.tolist()
