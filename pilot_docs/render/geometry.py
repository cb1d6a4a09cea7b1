"""The GB/T 9704-2012 numbers both writers lay pages out by (templates/static/gongwen.css repeats them for PDF)."""

from __future__ import annotations

import math
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
FIGURE_CAPTION_PT = SMALL4_PT  # 图题: 4号黑体, one line of the grid


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
    def text_height_mm(self) -> float:
        """Height of the type area."""
        return self.height - self.top - self.bottom

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


RED_RULE_GAP_MM = 1.72  # under the 发文字号's line: 4 mm under its glyphs (gongwen.css: hr.red-rule margin-top)


def masthead_space_pt(size: float) -> float:
    """Space above the 发文机关标志 in the DOCX: its line box ends where the PDF's does (35 mm below the type area's
    top, plus one line as tall as the type: gongwen.css), though its exact line is 1.2 times the type (an exact
    line of the type's own size would clip the glyphs' tops in Word and LibreOffice)."""
    return 35 * MM - 0.2 * size


def masthead_pt(text: str, text_width_mm: float = PORTRAIT.text_width_mm) -> float:
    """Font size of the 发文机关标志: 小初 (36 pt) unless the name needs smaller type to fit on one line."""
    ems = sum(char_width(c) for c in text if not c.isspace()) or 1
    fit = text_width_mm * MM / ems
    return min(MASTHEAD_MAX_PT, int(fit * 2) / 2)


def figure_max_height_mm(geometry: PageGeometry) -> float:
    """The tallest a figure's image is drawn: the whole grid lines of the type area (LibreOffice lays out no more:
    22 portrait, 15 landscape) less two, one for the caption and one for a heading or attachment label kept with
    the figure, less 2 mm to spare; rounded down to half a millimetre. Portrait 202 mm, landscape 130.5 mm."""
    line_mm = LINE_PT / MM
    lines = int(geometry.text_height_mm / line_mm)
    return math.floor(((lines - 2) * line_mm - 2) * 2) / 2


def figure_size_mm(px_width: int, px_height: int, geometry: PageGeometry) -> tuple[float, float]:
    """Width and height an image is drawn at: the type area's width, its aspect ratio kept, no taller than
    `figure_max_height_mm` (a taller image shrinks, narrower, to fit; gongwen.css does the same)."""
    width = geometry.text_width_mm
    height = width * px_height / px_width
    cap = figure_max_height_mm(geometry)
    if height > cap:
        width, height = cap * px_width / px_height, cap
    return width, height
