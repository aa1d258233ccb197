"""Block roles: the names used in the page JSON, PAGE XML and ALTO exports.

One place for every role so that a misspelt role fails loudly (``check_role``).
Headline-group roles open an article; body-like roles carry its text.
"""
from __future__ import annotations

PAGE_HEADER = "page_header"      # folio line, paper name, date, page number
SECTION = "section"              # section banner (营造良好营商环境, "Feuilleton")
KICKER = "kicker"                # 引题: line above the title
TITLE = "title"                  # 主题: the headline
SUBTITLE = "subtitle"            # 副题: line below the title
BYLINE = "byline"                # 本报记者…, 通讯员…, "By …", "Von …"
SUBHEAD = "subhead"              # 小标题 inside the body
BODY = "body"
CAPTION = "caption"              # 图为…
CREDIT = "credit"                # …摄, "Photo: …"
JUMP = "jump"                    # 转第X版, "continued on page N"
FOOTER = "footer"                # 本版编辑…
ADVERTISEMENT = "advertisement"
OTHER = "other"

ALL_ROLES = (
    PAGE_HEADER, SECTION, KICKER, TITLE, SUBTITLE, BYLINE, SUBHEAD, BODY,
    CAPTION, CREDIT, JUMP, FOOTER, ADVERTISEMENT, OTHER,
)
HEADLINE_ROLES = (KICKER, TITLE, SUBTITLE, BYLINE)
TEXT_ROLES = (BODY, SUBHEAD)
PAGE_FURNITURE = (PAGE_HEADER, SECTION, FOOTER, ADVERTISEMENT, JUMP)


def check_role(role: str) -> str:
    """Return ``role`` if it is a known role name, else raise ValueError listing the choices."""
    if role not in ALL_ROLES:
        raise ValueError(f"unknown block role {role!r}; expected one of {', '.join(ALL_ROLES)}")
    return role
