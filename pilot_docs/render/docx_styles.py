"""The DOCX side of GB/T 9704: East Asian fonts everywhere, the line grid, paragraph styles, pages and footers."""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.enum.section import WD_ORIENTATION, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from .docx_xml import element, put, set_char_spacing, set_fonts, set_indent, strip_theme_fonts, tiny_paragraph
from .geometry import (
    BODY_PT,
    FIGURE_CAPTION_PT,
    LINE_PT,
    LINE_TWIPS,
    MASTHEAD_MAX_PT,
    RED,
    SMALL4_PT,
    SMALL_TABLE_PT,
    TITLE_PT,
    PageGeometry,
)
from .vocabulary import FANGSONG, HEITI, KAITI, SONGTI, XIAOBIAOSONG

TOC_NUMBER_CHARS = 3  # the page-number column of a 目录, in characters (gongwen.css: `table.toc td + td`)

CENTER, RIGHT, LEFT, BOTH = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT, \
    WD_ALIGN_PARAGRAPH.JUSTIFY


@dataclass(frozen=True)
class StyleSpec:
    """A paragraph style: font, size, alignment, indents in characters, spacing in lines or points."""

    name: str
    font: str = FANGSONG
    size: float = BODY_PT
    align: WD_ALIGN_PARAGRAPH = BOTH
    first_chars: float = 0  # first-line indent; negative = hanging
    left_chars: float = 0
    right_chars: float = 0
    before_pt: float = 0
    line_pt: float | None = LINE_PT  # exact line height; None = single (a line as tall as what it holds)
    color: str | None = None
    keep_next: bool = False
    outline: int | None = None
    char_spacing: float | None = None  # points; None = inherit (-0.25 pt from Normal)
    off_grid: bool = False  # never snapped to the line grid (which would round its top down to the next grid line)


STYLES: dict[str, StyleSpec] = {spec.name: spec for spec in (
    StyleSpec("GW Masthead", XIAOBIAOSONG, MASTHEAD_MAX_PT, CENTER, before_pt=35 * 72 / 25.4,
              line_pt=MASTHEAD_MAX_PT * 1.2, color=RED, char_spacing=0),
    StyleSpec("GW Doc Number", align=CENTER, before_pt=2 * LINE_PT),
    StyleSpec("GW Title", XIAOBIAOSONG, TITLE_PT, CENTER, keep_next=True, outline=0),
    StyleSpec("GW Recipient", align=LEFT, before_pt=LINE_PT),
    StyleSpec("GW Body", first_chars=2),
    StyleSpec("GW Heading 2", HEITI, first_chars=2, keep_next=True, outline=1),
    StyleSpec("GW Heading 3", KAITI, first_chars=2, keep_next=True, outline=2),
    # Outline levels (Word's navigation pane, LibreOffice's navigator and its PDF bookmarks) as the PDF's
    # bookmark-level in gongwen.css: 标题 1, 一、 2, （一） 3; 1. headings are body text there.
    StyleSpec("GW Heading 4", FANGSONG, first_chars=2, keep_next=True),
    StyleSpec("GW Attachment Note", left_chars=5, first_chars=-3, before_pt=LINE_PT),
    StyleSpec("GW Issuer", align=RIGHT, right_chars=2, keep_next=True),
    StyleSpec("GW Date", align=RIGHT, right_chars=4),
    StyleSpec("GW Attachment Label", HEITI, align=LEFT, keep_next=True),
    StyleSpec("GW Rule", size=1, line_pt=9.3, char_spacing=0),  # empty line carrying the rule as its border
    StyleSpec("GW Table Text", size=SMALL4_PT, align=LEFT, line_pt=20),
    StyleSpec("GW Table Head", HEITI, SMALL4_PT, CENTER, line_pt=20),
    StyleSpec("GW Table Text Small", size=SMALL_TABLE_PT, align=LEFT, line_pt=15),
    StyleSpec("GW Table Head Small", HEITI, SMALL_TABLE_PT, CENTER, line_pt=15),
    StyleSpec("GW Caption", HEITI, align=CENTER, keep_next=True),
    # 目录 entries: 3号仿宋 on the grid, lines kept out of the page-number column (docx._Writer.toc)
    StyleSpec("GW TOC", align=LEFT, right_chars=TOC_NUMBER_CHARS),
    # A paragraph holding one inline picture: single spacing, so the line is as tall as the picture; 1 pt type,
    # so the paragraph mark adds next to nothing under it.
    StyleSpec("GW Figure", size=1, align=CENTER, line_pt=None, char_spacing=0),
    StyleSpec("GW Figure Caption", HEITI, FIGURE_CAPTION_PT, CENTER, off_grid=True),  # right under the picture
    StyleSpec("GW Colophon", size=SMALL4_PT, align=LEFT, left_chars=1, right_chars=1),
    StyleSpec("GW Page Number", SONGTI, SMALL4_PT, RIGHT, line_pt=SMALL4_PT, char_spacing=0),
)}


def setup_styles(document: Document) -> None:
    """Document defaults, Normal and the GW paragraph styles; theme fonts removed everywhere."""
    styles_element = document.styles.element
    strip_theme_fonts(styles_element)
    defaults = styles_element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, FANGSONG)
    put(rpr, element("w:sz", val=str(round(BODY_PT * 2))))
    put(rpr, element("w:szCs", val=str(round(BODY_PT * 2))))
    put(rpr, element("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    put(ppr, element("w:widowControl"))
    # No extra space between CJK and Latin text or digits (Word and LibreOffice add it; print does not).
    put(ppr, element("w:autoSpaceDE", val="0"))
    put(ppr, element("w:autoSpaceDN", val="0"))
    put(ppr, element("w:spacing", after="0", line=str(LINE_TWIPS), lineRule="exact"))

    normal = document.styles["Normal"]
    normal_ppr = normal.element.get_or_add_pPr()
    put(normal_ppr, element("w:autoSpaceDE", val="0"))
    put(normal_ppr, element("w:autoSpaceDN", val="0"))
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element.get_or_add_rPr(), FANGSONG)
    set_char_spacing(normal.element.get_or_add_rPr(), -0.25)
    fmt = normal.paragraph_format
    fmt.alignment = BOTH
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    for spec in STYLES.values():
        _add_style(document, spec)


def _add_style(document: Document, spec: StyleSpec) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    style = document.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    rpr = style.element.get_or_add_rPr()
    set_fonts(rpr, spec.font)
    style.font.size = Pt(spec.size)
    if spec.color:
        style.font.color.rgb = RGBColor.from_string(spec.color)
    if spec.char_spacing is not None:
        set_char_spacing(rpr, spec.char_spacing)
    fmt = style.paragraph_format
    fmt.alignment = spec.align
    fmt.space_before = Pt(spec.before_pt)
    fmt.space_after = Pt(0)
    if spec.line_pt is None:
        fmt.line_spacing = 1.0  # w:line="240" w:lineRule="auto"
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(spec.line_pt)
    fmt.keep_with_next = spec.keep_next
    set_indent(style.element.get_or_add_pPr(), spec.size, spec.first_chars, spec.left_chars, spec.right_chars)
    if spec.off_grid or spec.line_pt != LINE_PT or spec.size > BODY_PT:
        # Off the grid, or type larger than 3号: LibreOffice would give such lines two grid pitches.
        put(style.element.get_or_add_pPr(), element("w:snapToGrid", val="0"))
    if spec.outline is not None:
        put(style.element.get_or_add_pPr(), element("w:outlineLvl", val=str(spec.outline)))


def apply_geometry(section: Section, geometry: PageGeometry) -> None:
    """Page size, orientation, margins, footer distance and the 22-line grid of a section."""
    landscape = geometry.width > geometry.height
    section.orientation = WD_ORIENTATION.LANDSCAPE if landscape else WD_ORIENTATION.PORTRAIT
    section.page_width, section.page_height = Mm(geometry.width), Mm(geometry.height)
    section.top_margin, section.bottom_margin = Mm(geometry.top), Mm(geometry.bottom)
    section.left_margin, section.right_margin = Mm(geometry.left), Mm(geometry.right)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(round(geometry.footer_distance_mm, 2))
    section.gutter = 0
    put(section._sectPr, element("w:docGrid", type="lines", linePitch=str(LINE_TWIPS)))


def new_section(document: Document, geometry: PageGeometry) -> None:
    """End the current section at the last paragraph and start a new page with another geometry.

    Unlike python-docx's add_section this adds no empty paragraph (which could spill onto a page of its own)
    unless the document ends with a table; the new section keeps the footers of the one before.
    """
    body = document.element.body
    sentinel = body.get_or_add_sectPr()
    last = sentinel.getprevious()
    if last is None or last.tag != qn("w:p"):
        last = body.add_p()
        tiny_paragraph(last)
    last.set_sectPr(sentinel.clone())
    for reference in sentinel.xpath("w:headerReference|w:footerReference"):
        sentinel.remove(reference)
    section = document.sections[-1]
    section.start_type = WD_SECTION.NEW_PAGE
    apply_geometry(section, geometry)


def page_number_footers(document: Document) -> None:
    """"— N —" in 14 pt 宋体 with a PAGE field: odd pages right, even pages left, one character in."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align in ((section.footer, RIGHT), (section.even_page_footer, LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["GW Page Number"]
        paragraph.alignment = align
        ppr = paragraph._p.get_or_add_pPr()
        set_indent(ppr, SMALL4_PT, left=1 if align == LEFT else 0, right=1 if align == RIGHT else 0)
        paragraph.add_run("— ")
        _page_field(paragraph)
        paragraph.add_run(" —")
        for run in paragraph.runs:
            set_fonts(run._r.get_or_add_rPr(), SONGTI)


def _page_field(paragraph: Paragraph) -> None:
    """A PAGE field as begin / instruction / separate / "1" / end runs."""
    for kind in ("begin", "instr", "separate", "text", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            instr = element("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        elif kind == "text":
            run.text = "1"
        else:
            run._r.append(element("w:fldChar", fldCharType=kind))
