"""Re-create small_zh.png (checked in): a 1000×700 Chinese page with a quoted headline, two body
columns 16 px apart (the detector tends to merge across that gutter) and a Latin line.

    .venv/bin/python tests/ocr/data/make_small_zh.py
"""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONTS = Path("/usr/share/fonts/opentype/noto")
HEADLINE = "赣州经开区交出“硬核”答卷"
LEFT = ["今年，广东肇庆高新区改变", "往年以举办大型活动为主的", "招商方式，瞄准重点产业、", "重点区域、重点项目。"]
RIGHT = ["北京经开区是首都高精尖产", "业主阵地，已集聚一批龙头", "企业，形成完整的产业链条", "和创新生态。"]
LATIN = "Economic Daily, 2020 - page 7"


def main() -> None:
    img = Image.new("L", (1000, 700), 255)
    d = ImageDraw.Draw(img)
    head = ImageFont.truetype(str(FONTS / "NotoSansCJK-Bold.ttc"), 66, index=2)
    body = ImageFont.truetype(str(FONTS / "NotoSerifCJK-Regular.ttc"), 34, index=2)
    latin = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 30)
    d.text((40, 30), HEADLINE, font=head, fill=0)
    x_right = 40 + int(body.getlength(LEFT[0])) + 16  # 16 px gutter
    for i, (a, b) in enumerate(zip(LEFT, RIGHT)):
        y = 190 + i * 56
        d.text((40, y), a, font=body, fill=0)
        d.text((x_right, y), b, font=body, fill=0)
    d.text((40, 440), LATIN, font=latin, fill=0)
    img.save(Path(__file__).with_name("small_zh.png"), optimize=True)


if __name__ == "__main__":
    main()
