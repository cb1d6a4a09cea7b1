"""Small WordprocessingML helpers: elements in schema order, fonts, indents, borders, runs."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.text.run import Run as DocxRun

from .flow import Run
from .vocabulary import LIGHT_COLORS

_RUN_CONTROLS = frozenset("\t\r\n")  # what python-docx's run.text turns into w:tab and w:br
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# Child order the schema requires (python-docx keeps these sequences private).
SEQUENCES = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
           "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
           "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
           "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
           "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl "
           "cs em lang eastAsianLayout specVanish oMath",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
             "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "tbl": "tblPr tblGrid tr",
    "tr": "tblPrEx trPr tc",
    "tc": "tcPr p tbl",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
              "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid",
    "pBdr": "top left bottom right between bar",
}
SEQUENCES = {parent: tuple(names.split()) for parent, names in SEQUENCES.items()}


def element(tag: str, **attrs: str) -> BaseOxmlElement:
    """A new w: element with w: attributes, e.g. element("w:jc", val="center")."""
    node = OxmlElement(tag)
    for name, value in attrs.items():
        node.set(qn(f"w:{name}"), value)
    return node


def put(parent: BaseOxmlElement, child: BaseOxmlElement) -> BaseOxmlElement:
    """Add or replace `child` in `parent` at the place the schema wants it (python-docx knows the order)."""
    existing = parent.find(child.tag)
    if existing is not None:
        parent.replace(existing, child)
        return child
    sequence = SEQUENCES.get(parent.tag.rsplit("}", 1)[-1], ())
    name = child.tag.rsplit("}", 1)[-1]
    if name in sequence:
        later = {qn(f"w:{n}") for n in sequence[sequence.index(name) + 1:]}
        for index, sibling in enumerate(parent):
            if sibling.tag in later:
                parent.insert(index, child)
                return child
    parent.append(child)
    return child


def set_fonts(rpr: BaseOxmlElement, font: str) -> None:
    """Name the font for every script, East Asian included, with no theme font overriding it."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = put(rpr, element("w:rFonts"))
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), font)
    rfonts.set(qn("w:hint"), "eastAsia")


def strip_theme_fonts(root: BaseOxmlElement) -> None:
    """Remove theme font attributes, which would override the named East Asian fonts."""
    for rfonts in root.iter(qn("w:rFonts")):
        for attr in _THEME_ATTRS:
            rfonts.attrib.pop(qn(attr), None)


def set_char_spacing(rpr: BaseOxmlElement, points: float) -> None:
    """Character spacing (w:spacing in twentieths of a point), e.g. -0.25 pt for 28 characters a line."""
    put(rpr, element("w:spacing", val=str(round(points * 20))))


def set_indent(ppr: BaseOxmlElement, size: float, first: float = 0, left: float = 0, right: float = 0) -> None:
    """Indents in characters (Word's *Chars attributes), with the twips equivalent for other readers."""
    ind = element("w:ind")
    twips = size * 20
    for attr, chars in (("left", left), ("right", right)):
        ind.set(qn(f"w:{attr}"), str(round(chars * twips)))
        ind.set(qn(f"w:{attr}Chars"), str(round(chars * 100)))
    if first >= 0:  # written when 0 too: 正文's first-line indent is not inherited
        ind.set(qn("w:firstLine"), str(round(first * twips)))
        ind.set(qn("w:firstLineChars"), str(round(first * 100)))
    else:
        ind.set(qn("w:firstLineChars"), "0")
        ind.set(qn("w:hanging"), str(round(-first * twips)))
        ind.set(qn("w:hangingChars"), str(round(-first * 100)))
    put(ppr, ind)


def set_spacing(ppr: BaseOxmlElement, before_pt: float | None = None, line_pt: float | None = None) -> None:
    """Space before and an exact line height, in points."""
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        spacing = put(ppr, element("w:spacing"))
    if before_pt is not None:
        spacing.set(qn("w:before"), str(round(before_pt * 20)))
        spacing.set(qn("w:beforeLines"), "0")
    spacing.set(qn("w:after"), "0")
    if line_pt is not None:
        spacing.set(qn("w:line"), str(round(line_pt * 20)))
        spacing.set(qn("w:lineRule"), "exact")


def border(tag: str, size_mm: float, color: str = "000000", space: int = 0) -> OxmlElement:
    """A single-line border element (w:top, w:bottom, …) of a width in millimetres."""
    eighths = max(2, round(size_mm * 72 / 25.4 * 8))
    return element(tag, val="single", sz=str(eighths), space=str(space), color=color)


def tiny_paragraph(p: CT_P) -> None:
    """Make an empty paragraph 1 pt high: it only carries a break, a section end or an anchor."""
    ppr = p.get_or_add_pPr()
    put(ppr, element("w:snapToGrid", val="0"))
    put(ppr, element("w:spacing", before="0", after="0", line="20", lineRule="exact"))
    rpr = put(ppr, element("w:rPr"))
    rpr.append(element("w:sz", val="2"))


def add_runs(p: CT_P, runs: list[Run], font: str | None = None, size_pt: float | None = None,
             color: str | None = None) -> None:
    """Append runs to a paragraph, formatted only where they differ from the paragraph's style: a font (when the
    text is not in the style's font), a size, a colour; bold and italic from <strong> and <em>."""
    for run in runs:
        r = p.add_r()
        if font is not None:
            set_fonts(r.get_or_add_rPr(), font)
        wrapper = DocxRun(r, None)  # type: ignore[arg-type] - formatting needs no part
        if run.bold:
            wrapper.bold = True
        if run.italic:
            wrapper.italic = True
        if size_pt is not None:
            wrapper.font.size = Pt(size_pt)
        light = next((LIGHT_COLORS[c] for c in run.classes if c in LIGHT_COLORS), None) if "light" in run.classes \
            else None
        if light is not None or color is not None:  # a light (span.light red|yellow|green) is its own colour
            wrapper.font.color.rgb = RGBColor.from_string(light or color)
        text = "\n" if run.brk else run.text
        if text and not _RUN_CONTROLS.intersection(text):
            r.add_t(text)  # what r.text = text makes of plain text (one w:t), without its walk through each character
        else:
            r.text = text
