"""The DOCX side of GB/T 9704: the styles that carry fonts and formats, the line grid, pages and footers.

Word's built-in styles are used for what they are made for (Word shows them by its own Chinese names: Normal 正文,
Title 标题, heading 1–3 标题 1–3, toc 1–3 目录 1–3, caption 题注, footer 页脚), redefined with the 公文 formats;
the 公文 parts Word has no style for get styles with Chinese names (发文机关标志, 发文字号, 主送机关, 附件说明, 署名,
成文日期, 版记, …). Every style names its East Asian and Latin font and its size, so runs carry no font of their
own: changing 正文 changes the body, and a heading keeps its 黑体 or 楷体. `styles_element` writes them all (the
.dotx template); a document keeps those it uses (`prune_styles`), so its style gallery shows only those.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.enum.section import WD_ORIENTATION, WD_SECTION
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from .docx_xml import element, put, set_char_spacing, set_fonts, set_indent, tiny_paragraph
from .geometry import (
    BODY_PT,
    CHAR_SPACING_PT,
    FIGURE_CAPTION_PT,
    LINE_PT,
    LINE_TWIPS,
    MASTHEAD_MAX_PT,
    MM,
    RED,
    RED_RULE_GAP_MM,
    SMALL4_PT,
    SMALL_TABLE_PT,
    TITLE_PT,
    PageGeometry,
    masthead_space_pt,
)
from .vocabulary import FANGSONG, HEITI, KAITI, SONGTI, XIAOBIAOSONG

TOC_NUMBER_CHARS = 3  # the page-number column of a 目录, in characters (gongwen.css: `table.toc td + td`)

CENTER, RIGHT, LEFT, BOTH = "center", "right", "left", "both"
NORMAL = "Normal"


@dataclass(frozen=True)
class StyleSpec:
    """A paragraph style: its name and id, font, size, alignment, indents in characters, spacing in points."""

    name: str  # Word's name: a built-in's English name (Word shows its Chinese one) or a Chinese name
    style_id: str
    font: str = FANGSONG
    size: float = BODY_PT
    align: str = BOTH
    first_chars: float = 0  # first-line indent; negative = hanging
    left_chars: float = 0
    right_chars: float = 0
    before_pt: float = 0
    line_pt: float | None = LINE_PT  # exact line height; None = single (a line as tall as what it holds)
    color: str | None = None
    keep_next: bool = False
    keep_lines: bool = False
    outline: int | None = None
    char_spacing: float = CHAR_SPACING_PT  # points
    off_grid: bool = False  # never snapped to the line grid (which would round its top down to the next grid line)
    next: str | None = None  # the style Enter gives after it (None: the same style)
    builtin: bool = False
    priority: int | None = None  # Word's uiPriority of a built-in style (its place in lists)


STYLES: dict[str, StyleSpec] = {spec.name: spec for spec in (
    # 正文: the body text, 3号仿宋 on the 22-line grid, first line two characters in
    StyleSpec(NORMAL, "Normal", first_chars=2, builtin=True, priority=0),
    StyleSpec("Title", "Title", XIAOBIAOSONG, TITLE_PT, CENTER, keep_next=True, outline=0, next=NORMAL,
              builtin=True, priority=10),
    # Outline levels (Word's navigation pane and TOC fields, LibreOffice's navigator) as the PDF's bookmark levels
    # in gongwen.css: 标题 1, 一、 2, （一） 3; 1. is body text (level 9), as the PDF makes no bookmark of it.
    StyleSpec("heading 1", "Heading1", HEITI, first_chars=2, keep_next=True, outline=1, next=NORMAL, builtin=True,
              priority=9),
    StyleSpec("heading 2", "Heading2", KAITI, first_chars=2, keep_next=True, outline=2, next=NORMAL, builtin=True,
              priority=9),
    StyleSpec("heading 3", "Heading3", FANGSONG, first_chars=2, keep_next=True, outline=9, next=NORMAL, builtin=True,
              priority=9),
    # 目录 entries: 3号仿宋 on the grid, the number at a right tab stop at the type area's edge (docx._Writer.toc).
    # No right indent: Word 2013+ (compatibilityMode 15) and LibreOffice ignore a tab stop beyond it.
    StyleSpec("toc 1", "TOC1", align=LEFT, keep_lines=True, next=NORMAL, builtin=True, priority=39),
    StyleSpec("toc 2", "TOC2", align=LEFT, left_chars=2, keep_lines=True, next=NORMAL, builtin=True, priority=39),
    StyleSpec("toc 3", "TOC3", align=LEFT, left_chars=4, keep_lines=True, next=NORMAL, builtin=True, priority=39),
    # 表题: a table's caption, 3号黑体 centred above it
    StyleSpec("caption", "Caption", HEITI, align=CENTER, keep_next=True, builtin=True, priority=35),
    # 页码 "— N —": 4号宋体, the footers align it right (odd pages) or left (even)
    StyleSpec("footer", "Footer", SONGTI, SMALL4_PT, RIGHT, line_pt=SMALL4_PT, char_spacing=0, builtin=True,
              priority=99),
    StyleSpec("发文机关标志", "Masthead", XIAOBIAOSONG, MASTHEAD_MAX_PT, CENTER,
              before_pt=masthead_space_pt(MASTHEAD_MAX_PT), line_pt=MASTHEAD_MAX_PT * 1.2, color=RED, char_spacing=0, next="发文字号"),
    StyleSpec("发文字号", "DocNumber", align=CENTER, before_pt=2 * LINE_PT, next=NORMAL),
    # an empty line, the rule its bottom border, 4 mm under the 发文字号's glyphs as in the PDF
    StyleSpec("分隔线", "Rule", size=1, line_pt=round(RED_RULE_GAP_MM * MM, 1), char_spacing=0, next="Title"),
    StyleSpec("主送机关", "Recipient", align=LEFT, before_pt=LINE_PT, next=NORMAL),
    StyleSpec("附件说明", "AttachmentNote", left_chars=5, first_chars=-3, before_pt=LINE_PT),
    StyleSpec("署名", "Issuer", align=RIGHT, right_chars=2, keep_next=True, next="成文日期"),
    StyleSpec("成文日期", "Date", align=RIGHT, right_chars=4, next=NORMAL),
    StyleSpec("附件标识", "AttachmentLabel", HEITI, align=LEFT, keep_next=True, next="Title"),
    StyleSpec("版记", "Colophon", size=SMALL4_PT, align=LEFT, left_chars=1, right_chars=1),
    StyleSpec("表格文字", "TableText", size=SMALL4_PT, align=LEFT, line_pt=20),
    StyleSpec("表头", "TableHead", HEITI, SMALL4_PT, CENTER, line_pt=20),
    StyleSpec("表格文字（五号）", "TableTextSmall", size=SMALL_TABLE_PT, align=LEFT, line_pt=15),
    StyleSpec("表头（五号）", "TableHeadSmall", HEITI, SMALL_TABLE_PT, CENTER, line_pt=15),
    # A paragraph holding one inline picture: single spacing, so the line is as tall as the picture; 1 pt type,
    # so the paragraph mark adds next to nothing under it.
    StyleSpec("图片", "Figure", size=1, align=CENTER, line_pt=None, char_spacing=0, next="图题"),
    StyleSpec("图题", "FigureCaption", HEITI, FIGURE_CAPTION_PT, CENTER, off_grid=True, next=NORMAL),  # under it
)}

DEFAULT_STYLES = ("DefaultParagraphFont", "TableNormal", "NoList")  # Word's defaults, always kept


def style_id(name: str) -> str:
    """The style id of a style name."""
    return STYLES[name].style_id


def _rpr(font: str, size: float, color: str | None = None, char_spacing: float | None = None):
    rpr = element("w:rPr")
    set_fonts(rpr, font)
    if color:
        put(rpr, element("w:color", val=color))
    if char_spacing is not None:
        set_char_spacing(rpr, char_spacing)
    half_points = str(round(size * 2))
    put(rpr, element("w:sz", val=half_points))
    put(rpr, element("w:szCs", val=half_points))
    return rpr


def _style_element(spec: StyleSpec):
    """The w:style of a paragraph style, complete in itself (fonts, size, indents, spacing, alignment)."""
    style = element("w:style", type="paragraph", styleId=spec.style_id)
    if spec.name == NORMAL:
        style.set(qn("w:default"), "1")
    if not spec.builtin:
        style.set(qn("w:customStyle"), "1")
    style.append(element("w:name", val=spec.name))
    if spec.name != NORMAL:
        style.append(element("w:basedOn", val="Normal"))
    style.append(element("w:next", val=style_id(spec.next or spec.name)))
    if spec.priority is not None:
        style.append(element("w:uiPriority", val=str(spec.priority)))
    style.append(element("w:qFormat"))
    ppr = element("w:pPr")
    if spec.keep_next:
        put(ppr, element("w:keepNext"))
    if spec.keep_lines:
        put(ppr, element("w:keepLines"))
    if spec.name == NORMAL:  # as the document defaults: some readers take only the styles
        put(ppr, element("w:widowControl"))
        put(ppr, element("w:overflowPunct", val="0"))
        put(ppr, element("w:autoSpaceDE", val="0"))
        put(ppr, element("w:autoSpaceDN", val="0"))
    if spec.off_grid or spec.line_pt != LINE_PT or spec.size > BODY_PT:
        # Off the grid, or type larger than 3号: LibreOffice would give such lines two grid pitches.
        put(ppr, element("w:snapToGrid", val="0"))
    spacing = put(ppr, element("w:spacing", before=str(round(spec.before_pt * 20)), after="0"))
    if spec.line_pt is None:
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
    else:
        spacing.set(qn("w:line"), str(round(spec.line_pt * 20)))
        spacing.set(qn("w:lineRule"), "exact")
    set_indent(ppr, spec.size, spec.first_chars, spec.left_chars, spec.right_chars)
    put(ppr, element("w:jc", val=spec.align))
    if spec.outline is not None:
        put(ppr, element("w:outlineLvl", val=str(spec.outline)))
    style.append(ppr)
    style.append(_rpr(spec.font, spec.size, spec.color, spec.char_spacing))
    return style


def _defaults():
    """w:docDefaults: 3号仿宋 (East Asian and Latin), zh-CN, widow/orphan control, no CJK–Latin autospace."""
    defaults = element("w:docDefaults")
    rpr = _rpr(FANGSONG, BODY_PT)
    put(rpr, element("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    defaults.append(element("w:rPrDefault"))
    defaults[-1].append(rpr)
    ppr = element("w:pPr")
    put(ppr, element("w:widowControl"))
    # Every line on the 28-character grid, as in print (and our PDF): no punctuation hanging past the right margin
    # (Word's and LibreOffice's default for Chinese text, which would fit 29 characters on some lines).
    put(ppr, element("w:overflowPunct", val="0"))
    # No extra space between CJK and Latin text or digits (Word adds it; print does not; LibreOffice ignores it).
    put(ppr, element("w:autoSpaceDE", val="0"))
    put(ppr, element("w:autoSpaceDN", val="0"))
    put(ppr, element("w:spacing", after="0", line=str(LINE_TWIPS), lineRule="exact"))
    defaults.append(element("w:pPrDefault"))
    defaults[-1].append(ppr)
    return defaults


def _word_defaults() -> list:
    """Word's default character, table and list styles (every document has them)."""
    character = element("w:style", type="character", default="1", styleId="DefaultParagraphFont")
    for child in (element("w:name", val="Default Paragraph Font"), element("w:uiPriority", val="1"),
                  element("w:semiHidden"), element("w:unhideWhenUsed")):
        character.append(child)
    table = element("w:style", type="table", default="1", styleId="TableNormal")
    for child in (element("w:name", val="Normal Table"), element("w:uiPriority", val="99"),
                  element("w:semiHidden"), element("w:unhideWhenUsed")):
        table.append(child)
    tbl_pr = element("w:tblPr")
    tbl_pr.append(element("w:tblInd", w="0", type="dxa"))
    margins = element("w:tblCellMar")
    for side, twips in (("top", 0), ("left", 108), ("bottom", 0), ("right", 108)):
        margins.append(element(f"w:{side}", w=str(twips), type="dxa"))
    tbl_pr.append(margins)
    table.append(tbl_pr)
    numbering = element("w:style", type="numbering", default="1", styleId="NoList")
    for child in (element("w:name", val="No List"), element("w:uiPriority", val="99"),
                  element("w:semiHidden"), element("w:unhideWhenUsed")):
        numbering.append(child)
    return [character, table, numbering]


def fill_styles(styles_root) -> None:
    """Replace the content of a w:styles element with ours: defaults, no built-in style in the gallery unless
    defined here, Word's default styles, then every paragraph style of STYLES."""
    for child in list(styles_root):
        styles_root.remove(child)
    styles_root.append(_defaults())
    # Word's built-in styles not defined here stay out of the gallery and the recommended list.
    styles_root.append(element("w:latentStyles", defLockedState="0", defUIPriority="99", defSemiHidden="1",
                               defUnhideWhenUsed="1", defQFormat="0", count="376"))
    for style in _word_defaults():
        styles_root.append(style)
    for spec in STYLES.values():
        styles_root.append(_style_element(spec))


def prune_styles(styles_root, used: set[str]) -> None:
    """Keep the styles a document uses (by id), the styles they name as based-on or next, and Word's defaults."""
    by_id = {s.get(qn("w:styleId")): s for s in styles_root.iter(qn("w:style"))}
    keep = set(DEFAULT_STYLES) | {NORMAL}
    todo = list(used | {NORMAL})
    while todo:
        sid = todo.pop()
        if sid not in by_id:
            continue
        keep.add(sid)
        for tag in ("w:basedOn", "w:next"):
            ref = by_id[sid].find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) not in keep and tag == "w:basedOn":
                todo.append(ref.get(qn("w:val")))
    for sid, style in by_id.items():
        if sid not in keep:
            styles_root.remove(style)
        else:
            nxt = style.find(qn("w:next"))
            if nxt is not None and nxt.get(qn("w:val")) not in keep:
                # Enter after it gives 正文 when the next style it would give is not in this document
                nxt.set(qn("w:val"), "Normal")


def setup_styles(document: Document) -> None:
    """Our styles in the document's styles part (python-docx's template styles replaced)."""
    fill_styles(document.styles.element)


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
    """"— N —" in the footer style (14 pt 宋体) with a PAGE field: odd pages right, even pages left, one character
    in."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align in ((section.footer, RIGHT), (section.even_page_footer, LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        ppr = paragraph._p.get_or_add_pPr()
        put(ppr, element("w:pStyle", val=style_id("footer")))
        set_indent(ppr, SMALL4_PT, left=1 if align == LEFT else 0, right=1 if align == RIGHT else 0)
        put(ppr, element("w:jc", val=align))
        paragraph.add_run("— ")
        _page_field(paragraph)
        paragraph.add_run(" —")


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
