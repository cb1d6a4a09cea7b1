"""HTML tables as Word tables: the cell grid with gridSpan and vMerge, fixed column widths, repeated heads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from .docx_styles import STYLES
from .docx_xml import add_runs, border, element, put
from .flow import Run, cell_paragraphs
from .vocabulary import Element, column_percent, font_of

# Styles: (head, body) paragraph style names, by table class.
STYLE_NAMES = {False: ("表头", "表格文字"), True: ("表头（五号）", "表格文字（五号）")}


@dataclass
class Cell:
    """A <td>/<th> placed on the grid."""

    element: Element
    row: int
    col: int
    rowspan: int
    colspan: int


@dataclass
class Grid:
    """The table's rows (with whether each is a head row), its cells by start position, and its width."""

    rows: list[tuple[Element, bool]]
    starts: dict[tuple[int, int], Cell]
    covered: dict[tuple[int, int], Cell]
    columns: int


def place_cells(table: Element) -> Grid:
    """Lay the cells on a grid as HTML does: rowspans end with their row group (thead, tbody)."""
    groups: list[tuple[list[Element], bool]] = []
    loose: list[Element] = []
    for child in table.elements():
        if child.tag == "tr":
            loose.append(child)
            continue
        if loose:
            groups.append((loose, False))
            loose = []
        if child.tag in ("thead", "tbody"):
            groups.append((child.elements(), child.tag == "thead"))
    if loose:
        groups.append((loose, False))

    rows: list[tuple[Element, bool]] = []
    starts: dict[tuple[int, int], Cell] = {}
    covered: dict[tuple[int, int], Cell] = {}
    columns = 0
    for group_rows, head in groups:
        last = len(rows) + len(group_rows) - 1
        for tr in group_rows:
            r = len(rows)
            rows.append((tr, head))
            c = 0
            for td in tr.elements():
                while (r, c) in covered:
                    c += 1
                rowspan = min(int(td.attrs.get("rowspan", "1")), last - r + 1)
                colspan = int(td.attrs.get("colspan", "1"))
                cell = Cell(td, r, c, rowspan, colspan)
                starts[(r, c)] = cell
                for dr in range(rowspan):
                    for dc in range(colspan):
                        covered[(r + dr, c + dc)] = cell
                c += colspan
                columns = max(columns, c)
    return Grid(rows, starts, covered, columns)


def column_widths(table: Element, columns: int, width_twips: int) -> list[int]:
    """Column widths in twips from <col style="width: NN%">, the rest shared equally, scaled to the text width."""
    percents: list[float | None] = []
    for group in (e for e in table.elements() if e.tag == "colgroup"):
        percents += [column_percent(col) for col in group.elements()]
    percents = (percents + [None] * columns)[:columns]
    given = sum(p for p in percents if p is not None)
    missing = [i for i, p in enumerate(percents) if p is None]
    share = max(100 - given, 0) / len(missing) if missing else 0
    values = [p if p is not None else (share or 100 / columns) for p in percents]
    total = sum(values) or 1
    widths = [round(width_twips * v / total) for v in values]
    widths[-1] += width_twips - sum(widths)
    return widths


def build_table(table: Element, width_twips: int, style_id: Callable[[str], str]) -> BaseOxmlElement:
    """The w:tbl for a <table> (caption left to the caller)."""
    grid = place_cells(table)
    widths = column_widths(table, grid.columns, width_twips) if grid.columns else []
    head_style, body_style = STYLE_NAMES[table.has("small")]

    tbl = element("w:tbl")
    tbl_pr = put(tbl, element("w:tblPr"))
    put(tbl_pr, element("w:tblW", w=str(width_twips), type="dxa"))
    put(tbl_pr, element("w:jc", val="center"))
    borders = element("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(border(f"w:{side}", 0.5 * 25.4 / 72))
    put(tbl_pr, borders)
    put(tbl_pr, element("w:tblLayout", type="fixed"))
    margins = element("w:tblCellMar")
    # The PDF's padding (2 pt, 4 pt: gongwen.css) plus half of each collapsed 0.5 pt border, which in CSS takes
    # its room from the cell's content: the same width of text a line, so a narrow cell breaks where the PDF does.
    for side, twips in (("top", 40), ("left", 85), ("bottom", 40), ("right", 85)):
        margins.append(element(f"w:{side}", w=str(twips), type="dxa"))
    put(tbl_pr, margins)
    put(tbl_pr, element("w:tblLook", val="0000", firstRow="0", lastRow="0", firstColumn="0", lastColumn="0",
                          noHBand="1", noVBand="1"))
    tbl_grid = element("w:tblGrid")
    for width in widths:
        tbl_grid.append(element("w:gridCol", w=str(width)))
    tbl.append(tbl_grid)

    for r, (_, head) in enumerate(grid.rows):
        tr = element("w:tr")
        tr_pr = put(tr, element("w:trPr"))
        put(tr_pr, element("w:cantSplit"))
        if head:
            put(tr_pr, element("w:tblHeader"))
        c = 0
        while c < grid.columns:
            cell = grid.covered.get((r, c))
            span = cell.colspan if cell else 1
            tc = _cell(sum(widths[c:c + span]), span)
            tc_pr = tc.find(qn("w:tcPr"))
            if cell is None:
                tc.append(element("w:p"))  # a short row: Word needs the cell, HTML draws nothing
            elif cell.row != r:
                put(tc_pr, element("w:vMerge"))  # continues the merge started above
                tc.append(element("w:p"))
            else:
                if cell.rowspan > 1:
                    put(tc_pr, element("w:vMerge", val="restart"))
                name = head_style if cell.element.tag == "th" else body_style
                _fill(tc, cell.element, style_id(name), STYLES[name].font)
            tr.append(tc)
            c += span
        tbl.append(tr)
    return tbl


def _cell(width: int, span: int) -> BaseOxmlElement:
    """An empty w:tc with its width, span and vertical centring."""
    tc = element("w:tc")
    tc_pr = put(tc, element("w:tcPr"))
    put(tc_pr, element("w:tcW", w=str(width), type="dxa"))
    if span > 1:
        put(tc_pr, element("w:gridSpan", val=str(span)))
    put(tc_pr, element("w:vAlign", val="center"))
    return tc


def _fill(tc: BaseOxmlElement, cell: Element, style: str, style_font: str) -> None:
    """The paragraphs of a cell, each in the cell's style (runs name a font only if it is not the style's);
    alignment from p.center / p.right."""
    font = font_of(cell)
    paragraphs: list[tuple[Element | None, list[Run]]] = cell_paragraphs(cell) or [(None, [])]
    for p_element, runs in paragraphs:
        p = element("w:p")
        ppr = p.get_or_add_pPr()
        put(ppr, element("w:pStyle", val=style))
        if p_element is not None:
            for cls, align in (("center", "center"), ("right", "right")):
                if p_element.has(cls):
                    put(ppr, element("w:jc", val=align))
        run_font = font_of(p_element, font) if p_element is not None else font
        add_runs(p, runs, None if run_font == style_font else run_font)
        tc.append(p)
