"""A tiny generator-format page (``broadsheet.gt/1``) for harness tests: headline + two columns, two articles."""
import json

import pytest

# GT order: 0 head(a) | 1-3 column 1 (a) | 4-6 column 2 (b); article a continues "赣" → "州"
_GT_LINES = [
    ([10, 0, 390, 30], "大标题", "a", 0),
    ([10, 50, 190, 64], "第一栏第一行", "a", 1),
    ([10, 70, 190, 84], "第一栏第二行与赣", "a", 1),
    ([10, 90, 190, 104], "州经开区签约", "a", 2),
    ([210, 50, 390, 64], "乙文第一行", "b", 3),
    ([210, 70, 390, 84], "乙文第二行", "b", 3),
    ([210, 90, 390, 104], "乙文第三行", "b", 3),
]
# lines.json order (shuffled): input index i is gt line id i; gt ids are assigned so
_SHUFFLE = [3, 0, 5, 1, 6, 2, 4]     # gt id k is GT-order line _SHUFFLE[k]


def make_gt_page(folder, name="tiny"):
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for k, src in enumerate(_SHUFFLE):
        box, text, art, block = _GT_LINES[src]
        lines.append({"id": k, "box": box, "text": text, "article": art, "role": "body",
                      "frame": None, "block": block, "order": src})
    gt = {
        "schema": "broadsheet.gt/1", "name": name, "lang": "zh", "width": 400, "height": 120,
        "image": "page.png", "scan": None, "scan_transform": None, "lines": lines,
        "articles": [
            {"id": "a", "kicker": None, "title": "大标题", "subtitle": None, "byline": None,
             "paragraphs": [{"text": "第一栏第一行第一栏第二行与赣州经开区签约", "role": "body"}],
             "captions": [], "frames": ["A1", "A2"], "must_read": ["第二行与赣州经开区"]},
            {"id": "b", "kicker": None, "title": None, "subtitle": None, "byline": None,
             "paragraphs": [{"text": "乙文第一行乙文第二行乙文第三行", "role": "body"}],
             "captions": [], "frames": ["B1"], "must_read": []},
        ],
        "joins": [{"from": "A1", "to": "A2", "article": "a", "left": "…与赣", "right": "州经开…"}],
    }
    (folder / "gt.json").write_text(json.dumps(gt, ensure_ascii=False), encoding="utf-8")
    doc = {"width": 400, "height": 120, "lines": [{"box": d["box"], "text": d["text"]} for d in lines]}
    (folder / "lines.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture
def gt_page_dir(tmp_path):
    return make_gt_page(tmp_path / "pages" / "tiny")
