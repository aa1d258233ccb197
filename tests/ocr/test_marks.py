"""Half-width marks in Han text made full width."""
from broadsheet.ocr import OcrConfig, run_ocr
from broadsheet.ocr.marks import full_width_marks
from broadsheet.ocr.types import OcrLine
import numpy as np


def _line(text: str) -> OcrLine:
    return OcrLine(((0.0, 0.0), (100.0, 0.0), (100.0, 20.0), (0.0, 20.0)), text, 0.9,
                   tuple((float(i), 0.0, float(i + 1), 20.0) for i in range(len(text))))


def test_half_width_marks_between_han_text_become_full_width():
    lines = [_line("云南普洱:"), _line("他笑着说:“这就是"), _line("一笔账:发射前后,他的"), _line("好吗?")]
    out = full_width_marks(lines)
    assert [ln.text for ln in out] == ["云南普洱：", "他笑着说：“这就是", "一笔账：发射前后，他的", "好吗？"]
    assert all(len(o.chars) == len(o.text) and o.chars == i.chars for o, i in zip(out, lines))


def test_marks_beside_latin_or_digits_stay():
    lines = [_line("CEO:张三"), _line("时间10:30"), _line("Basel, Zürich"), _line("营收1000,")]
    assert all(o is i for o, i in zip(full_width_marks(lines), lines))


def test_run_ocr_full_width_switch():
    class _Eng:
        name = "fake"

        def version(self):
            return "0"

        def recognize(self, image):
            return [_line("海南文昌:")]
    img = np.full((40, 120), 255, np.uint8)
    cfg = dict(deskew=False, recover=False, split=False, merge=False, fix_quotes=False, tighten=False, spaces=False)
    assert run_ocr(img, engine=_Eng(), config=OcrConfig(**cfg)).lines[0].text == "海南文昌："
    assert run_ocr(img, engine=_Eng(), config=OcrConfig(**cfg, full_width=False)).lines[0].text == "海南文昌:"
