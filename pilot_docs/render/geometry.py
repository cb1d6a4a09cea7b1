"""The GB/T 9704-2012 numbers both writers lay pages out by (templates/static/gongwen.css repeats them for PDF)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MM = 72 / 25.4  # points per millimetre
TWIPS_PER_PT = 20

BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
SMALL4_PT = 14.0  # 4号: tables, 版记, page numbers
SMALL_TABLE_PT = 10.5  # 五号: tables with class "small"
MASTHEAD_MAX_PT = 36.0  # 小初: the largest 发文机关标志 we set; longer names shrink to fit the line
LINE_PT = 28.95  # 22 lines in the 225 mm type area (579 twips)
LINE_TWIPS = 579
CHAR_SPACING_PT = -0.25  # 28 characters of 16 pt in 156 mm
RED = "FF0000"


@dataclass(frozen=True)
class PageGeometry:
    """A page size and its margins, in millimetres, with where the page number goes."""

    width: float
    height: float
    top: float
    right: float
    bottom: float
    left: float

    @property
    def text_width_mm(self) -> float:
        """Width of the type area (版心)."""
        return self.width - self.left - self.right

    @property
    def footer_distance_mm(self) -> float:
        """Page bottom to the bottom of a 14 pt footer line whose middle sits 7 mm below the type area."""
        return self.bottom - 7 - SMALL4_PT / 2 / MM


# Portrait: 天头 37, 订口 28; the type area is 156 x 225 mm.
PORTRAIT = PageGeometry(210, 297, top=37, right=26, bottom=35, left=28)
# Landscape pages turn the portrait page a quarter clockwise: the table head faces the binding edge, and the
# type area stays 225 x 156 mm.
LANDSCAPE = PageGeometry(297, 210, top=28, right=37, bottom=26, left=35)


def char_width(char: str) -> float:
    """Width of a character in ems: 1 for wide CJK characters, 0.5 for the rest."""
    return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.5


def masthead_pt(text: str, text_width_mm: float = PORTRAIT.text_width_mm) -> float:
    """Font size of the 发文机关标志: 小初 (36 pt) unless the name needs smaller type to fit on one line."""
    ems = sum(char_width(c) for c in text if not c.isspace()) or 1
    fit = text_width_mm * MM / ems
    return min(MASTHEAD_MAX_PT, int(fit * 2) / 2)
