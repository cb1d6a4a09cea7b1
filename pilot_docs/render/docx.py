"""DOCX: our own writer walking the vocabulary's HTML with python-docx, laid out per GB/T 9704."""

from __future__ import annotations

import copy
import datetime as dt
from functools import cache
from io import BytesIO

from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.shared import Emu
from docx.text.paragraph import Paragraph
from lxml import etree

from .docx_package import SPILL_MARK, package_bytes
from .docx_styles import (
    NORMAL,
    STYLES,
    apply_geometry,
    new_section,
    page_number_footers,
    prune_styles,
    setup_styles,
)
from .docx_tables import build_table, place_cells
from .docx_xml import add_runs, border, element, put, set_indent, set_spacing, tiny_paragraph
from .flow import Run, inline_runs
from .fonts import FontConfig
from .geometry import (
    LANDSCAPE,
    LINE_PT,
    MM,
    PORTRAIT,
    RED,
    PageGeometry,
    figure_size_mm,
    masthead_pt,
    masthead_space_pt,
)
from .glyphs import GlyphCheck
from .titles import issuer_names, title_lines
from .vocabulary import Element, font_of, image_of, parse_blocks

# Paragraph style of each kind of block (element, class); the 版记's paragraphs are written by colophon().
PARAGRAPH_STYLES = {
    "doc-number": "发文字号", "recipient": "主送机关", "attachment-note": "附件说明",
    "issuer": "署名", "date": "成文日期", "attachment-label": "附件标识",
}
# How much is written since the last spill before the older blocks leave the tree (see _Writer.spill): counted
# in HTML elements, so that a run of long tables spills as soon as a run of paragraphs would.
SPILL_EVERY = 2000

# 标题, 一、, （一）, 1.: Word's Title and heading 1–3.
HEADINGS = {"h1": "Title", "h2": "heading 1", "h3": "heading 2", "h4": "heading 3"}


def own_font(style: str, font: str) -> str | None:
    """The font a run names itself: none when the text is in its style's font (nearly always)."""
    return None if STYLES[style].font == font else font


@cache
def _prepared(landscape: bool):
    """python-docx's blank document with our styles, the first page's geometry and the page-number footers: made
    once per process and copied for each document (44 ms to make, 1.4 ms to copy; the copy is the same tree, so
    the same bytes)."""
    from docx import Document

    document = Document()
    setup_styles(document)
    apply_geometry(document.sections[0], LANDSCAPE if landscape else PORTRAIT)
    page_number_footers(document)
    return document


class _Writer:
    """Walks the body's blocks in order and appends paragraphs, tables and sections to a python-docx Document."""

    def __init__(self, landscape: bool, colophon_page: bool = False) -> None:
        self.document = copy.deepcopy(_prepared(landscape))  # a copy of the package set up once per process
        self.body_geometry = LANDSCAPE if landscape else PORTRAIT
        self.geometry = self.body_geometry
        self.body = self.document.element.body
        for stray in self.body.findall(qn("w:p")):  # the template's empty paragraph, if any
            self.body.remove(stray)
        self.previous: Element | None = None  # the last block written, for spacing that depends on it
        self.new_page = False
        self.space_before: float | None = None  # for the next paragraph (the signature's two blank lines)
        self.last_p: CT_P | None = None
        self.spilled: list[bytes] = []  # blocks already written out, each run of them marked in the tree
        self.unspilled = 0
        self.pending_toc: list[tuple[str, str]] = []  # 目录 entries whose heading is still to come, and bookmarks
        self.toc_bookmarks = 0
        self.bookmark_id = 0
        self.issuers: tuple[str, ...] = ()  # names kept whole in titles (the masthead's)
        self.colophon_page = colophon_page  # the 版记 on a page of its own, the next even one
        self.used_styles: set[str] = {STYLES["footer"].style_id}  # ids; the footers use the footer style

    def style_id(self, name: str) -> str:
        """The style id Word files use for a style name (noted as used: only those stay in the document)."""
        sid = STYLES[name].style_id
        self.used_styles.add(sid)
        return sid

    # -- pages -------------------------------------------------------------------------------------------------

    def place(self, geometry: PageGeometry) -> None:
        """Make sure the next block goes on a page of this geometry (a new section when it differs)."""
        if geometry != self.geometry:
            new_section(self.document, geometry)
            self.geometry = geometry
            self.new_page = False

    def paragraph(self, style: str, runs: list[Run], font: str) -> CT_P:
        """Append a paragraph in a style, with runs in a font; a pending page break goes on it."""
        p = self.body.add_p()
        ppr = p.get_or_add_pPr()
        if style != NORMAL:  # 正文 is the default: no w:pStyle
            put(ppr, element("w:pStyle", val=self.style_id(style)))
        if self.new_page:
            put(ppr, element("w:pageBreakBefore"))
            self.new_page = False
        if self.space_before is not None:
            set_spacing(ppr, before_pt=self.space_before)
            self.space_before = None
        add_runs(p, runs, own_font(style, font))
        self.last_p = p
        return p

    def keep_previous_with_next(self) -> None:
        """Keep the last paragraph on the page of the next one (the 署名 never stands alone)."""
        if self.last_p is not None:
            put(self.last_p.get_or_add_pPr(), element("w:keepNext"))

    # -- blocks ------------------------------------------------------------------------------------------------

    def blocks(self, parent: Element, geometry: PageGeometry) -> None:
        """Write the block children of body, a section or a div."""
        for child in parent.elements():
            self.block(child, geometry)

    def block(self, el: Element, geometry: PageGeometry) -> None:
        """Write one block element."""
        if el.tag == "section":
            self.blocks(el, self.open_section(el, geometry))
            return
        self.place(geometry)
        if el.tag == "div":
            if el.has("signature"):
                self.keep_previous_with_next()
                self.space_before = 2 * LINE_PT
            self.blocks(el, geometry)
        elif el.tag == "table":
            self.table(el)
        elif el.tag == "hr":
            self.rule(el)
        elif el.tag == "footer":
            self.colophon(el)
        elif el.tag == "figure":
            self.figure(el)
        else:
            self.text_block(el)
        self.previous = el
        self.unspilled += _size(el)
        if self.unspilled >= SPILL_EVERY:
            self.spill()

    def open_section(self, el: Element, geometry: PageGeometry) -> PageGeometry:
        """Where a section's blocks go, given the geometry around it: a new page for an attachment or a part, a
        new section of the document for another orientation. The geometry of its blocks."""
        inner = LANDSCAPE if el.has("landscape") else geometry
        if el.has("attachment") or el.has("part") or inner != self.geometry:
            if inner == self.geometry:
                self.new_page = True
            else:
                self.place(inner)
        return inner

    def spill(self) -> None:
        """Serialize the body's older blocks and leave a marker comment in their place (package_bytes puts them
        back): python-docx's tree of a province's summary took 290 MB, its XML takes 23 MB.

        Kept in the tree: the last two blocks and the last body paragraph (a section break or keep-with-next may
        still be added to them), and blocks holding a picture (python-docx numbers a new one from those it finds).
        """
        sentinel = self.body.get_or_add_sectPr()
        items = [c for c in self.body if c is not sentinel]
        stop = len(items) - 2
        if self.last_p is not None and self.last_p.getparent() is self.body:
            stop = min(stop, items.index(self.last_p))
        run: list = []

        def flush() -> None:
            if run:
                run[0].addprevious(etree.Comment(f"{SPILL_MARK}{len(self.spilled)}"))
                self.spilled.append(b"".join(self._serialize(e) for e in run))
                for e in run:
                    self.body.remove(e)
                run.clear()

        for child in items[:max(stop, 0)]:
            if not isinstance(child.tag, str) or child.find(".//" + qn("wp:docPr")) is not None:
                flush()
            else:
                run.append(child)
        flush()
        self.unspilled = 0

    def _serialize(self, block) -> bytes:
        """A body block's XML as it appears inside the whole document (its namespaces are declared at the root)."""
        if not hasattr(self, "_declarations"):
            probe = etree.SubElement(self.body, qn("w:p"))
            text = etree.tostring(probe, encoding="UTF-8")
            self.body.remove(probe)
            self._declarations = text[len(b"<w:p"):-len(b"/>")]
        return etree.tostring(block, encoding="UTF-8").replace(self._declarations, b"", 1)

    def text_block(self, el: Element) -> None:
        """A header, heading or paragraph."""
        runs = inline_runs(el)
        font = font_of(el)
        if el.has("masthead"):
            self.issuers = issuer_names("".join(r.text for r in runs))
            p = self.paragraph("发文机关标志", [], font)
            size = masthead_pt("".join(r.text for r in runs), self.geometry.text_width_mm)
            if size != STYLES["发文机关标志"].size:  # a long name: smaller type, on a line as much lower
                set_spacing(p.get_or_add_pPr(), before_pt=masthead_space_pt(size), line_pt=size * 1.2)
            add_runs(p, runs, own_font("发文机关标志", font),
                     size_pt=size if size != STYLES["发文机关标志"].size else None)
            return
        if el.tag == "h1" and runs and all(not (r.brk or r.bold or r.italic or r.classes) for r in runs):
            # a long title breaks between words, where the PDF breaks it (titles.py)
            lines = title_lines("".join(r.text for r in runs).strip(), self.geometry.text_width_mm, self.issuers)
            runs = [piece for n, line in enumerate(lines) for piece in ([Run(brk=True)] if n else []) + [Run(line)]]
        style = HEADINGS.get(el.tag) or next((PARAGRAPH_STYLES[c] for c in el.classes if c in PARAGRAPH_STYLES),
                                             NORMAL)
        if el.has("attachment-note"):
            self.keep_previous_with_next()
        p = self.paragraph(style, runs, font)
        self.bookmark(p, el)
        ppr = p.get_or_add_pPr()
        prev = self.previous
        if el.tag == "h1" and prev is not None and prev.tag == "hr":
            set_spacing(ppr, before_pt=2 * LINE_PT)
        elif el.tag == "h1" and prev is not None and prev.has("attachment-label"):
            set_spacing(ppr, before_pt=LINE_PT)
        if el.has("attachment-note") and prev is not None and prev.has("attachment-note"):
            set_spacing(ppr, before_pt=0)
            set_indent(ppr, 16, left=5)
        for cls, align in (("noindent", None), ("center", "center"), ("right", "right")):
            if el.has(cls):
                set_indent(ppr, 16)
                if align:
                    put(ppr, element("w:jc", val=align))

    def rule(self, el: Element) -> None:
        """<hr>: an empty paragraph whose bottom border is the rule (red, 0.5 mm, 4 mm under the number)."""
        p = self.paragraph("分隔线", [], font_of(el))
        red = el.has("red-rule")
        borders = put(p.get_or_add_pPr(), element("w:pBdr"))
        put(borders, border("w:bottom", 0.5 if red else 0.25, RED if red else "000000"))

    def table(self, el: Element) -> None:
        """A caption paragraph, then the table."""
        caption = next((c for c in el.elements() if c.tag == "caption"), None)
        if caption is not None:
            self.paragraph("caption", inline_runs(caption), font_of(caption))
        if el.has("toc"):
            self.toc(el)
            return
        if self.new_page:
            tiny_paragraph(self.paragraph(NORMAL, [], font_of(el)))
        width = round(self.geometry.text_width_mm * MM * 20)
        tbl = build_table(el, width, self.style_id)
        self.body.get_or_add_sectPr().addprevious(tbl)
        self.last_p = None

    def toc(self, el: Element) -> None:
        """目录: a paragraph per row, "entry<tab>number", as Word lays out its own tables of contents.

        A right tab stop with a dot leader at the right edge of the type area puts the number there, on the entry's
        last line. There is no right indent (Word 2013+ and LibreOffice ignore a tab stop beyond it), so a long
        entry's wrapped lines may run under the number, unlike the PDF's 3-character number cell. A `td.toc-sub`
        entry is two characters in. The tab is white space,
        so the words are those of the PDF, whose leader is drawn without text. A paragraph never splits, like a row.
        """
        stop = str(round(self.geometry.text_width_mm * MM * 20))
        rows = [row for row, _ in place_cells(el).rows]
        for n, tr in enumerate(rows):
            entry, number = tr.elements()  # checked by the vocabulary
            style = "toc 2" if entry.has("toc-sub") else "toc 1"
            p = self.paragraph(style, [], font_of(entry))
            tabs = put(p.get_or_add_pPr(), element("w:tabs"))
            tabs.append(element("w:tab", val="right", leader="dot", pos=stop))
            if n == 0:  # the TOC field begins: Word's 更新域 rebuilds the entries from the outline levels
                _field_start(p, ' TOC \\o "1-2" \\h \\z \\u ')
            text = "".join(r.text for r in inline_runs(entry)).strip()
            self.toc_bookmarks += 1
            name = f"_Toc{self.toc_bookmarks:08d}"
            self.pending_toc.append((text, name))
            link = element("w:hyperlink", anchor=name, history="1")
            p.append(link)
            add_runs(link, inline_runs(entry) + [Run("\t")], own_font(style, font_of(entry)))
            page = "".join(r.text for r in inline_runs(number)).strip()
            if page:  # the number the PDF gives, cached in a PAGEREF field (Word updates it)
                _field_start(link, f" PAGEREF {name} \\h ")
                add_runs(link, [Run(page)], own_font(style, font_of(number)))
                _field_end(link)
            if n == len(rows) - 1:
                _field_end(p)

    def bookmark(self, p: CT_P, el: Element) -> None:
        """A heading named in the 目录 gets the bookmark its entry links to (matched in order: an entry is the
        heading's text, or it with a number before it, as 一、 before a part's title)."""
        if not self.pending_toc or el.tag not in ("h1", "h2", "h3"):
            return
        text = "".join(r.text for r in inline_runs(el)).strip()
        entry, name = self.pending_toc[0]
        if text and (entry == text or entry.endswith(text)):
            self.pending_toc.pop(0)
            self.bookmark_id += 1
            ppr = p.find(qn("w:pPr"))
            start = element("w:bookmarkStart", id=str(self.bookmark_id), name=name)
            (ppr.addnext if ppr is not None else lambda e: p.insert(0, e))(start)
            p.append(element("w:bookmarkEnd", id=str(self.bookmark_id)))

    def figure(self, el: Element) -> None:
        """A centred paragraph holding the picture as wide as the type area (its aspect ratio kept, no taller than
        `figure_max_height_mm`), kept with the caption paragraph under it."""
        img = next(c for c in el.elements() if c.tag == "img")
        caption = next((c for c in el.elements() if c.tag == "figcaption"), None)
        image = image_of(img)
        width_mm, height_mm = figure_size_mm(image.width, image.height, self.geometry)
        p = self.paragraph("图片", [], font_of(el))
        if caption is not None:
            put(p.get_or_add_pPr(), element("w:keepNext"))
        run = Paragraph(p, self.document._body).add_run()
        # python-docx names the part /word/media/imageN.ext and numbers ids and rIds in order: deterministic.
        run.add_picture(BytesIO(image.data), width=Emu(round(width_mm * 36000)), height=Emu(round(height_mm * 36000)))
        inline = run._r.find(".//" + qn("wp:inline"))
        for side in ("distT", "distB", "distL", "distR"):  # LibreOffice reads missing ones as 0.125 in (3.2 mm)
            inline.set(side, "0")
        inline.docPr.set("descr", img.attrs["alt"])  # alt text: read aloud, never shown
        if caption is not None:
            self.paragraph("图题", inline_runs(caption), font_of(caption))

    def colophon(self, el: Element) -> None:
        """版记: a one-column table floating at the foot of the type area, rules thick, thin between, thick."""
        if self.colophon_page:
            self.colophon_section()
        width = round(self.geometry.text_width_mm * MM * 20)
        if self.last_p is None or self.last_p.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None:
            # Right after a section break: anchor the table in its own section (LibreOffice needs it).
            tiny_paragraph(self.paragraph(NORMAL, [], font_of(el)))
        tbl = element("w:tbl")
        tbl_pr = put(tbl, element("w:tblPr"))
        # Horizontally placed from the page edge: LibreOffice only floats a table that leaves room for text
        # beside it, measured against the page width in that case (against the text width it never would).
        put(tbl_pr, element("w:tblpPr", leftFromText="0", rightFromText="0", topFromText="0", bottomFromText="0",
                            vertAnchor="margin", horzAnchor="page", tblpX=str(round(self.geometry.left * MM * 20)),
                            tblpYSpec="bottom"))
        put(tbl_pr, element("w:tblOverlap", val="never"))
        put(tbl_pr, element("w:tblW", w=str(width), type="dxa"))
        borders = put(tbl_pr, element("w:tblBorders"))
        for side, size in (("top", 0.35), ("left", 0), ("bottom", 0.35), ("right", 0), ("insideH", 0.25),
                           ("insideV", 0)):
            borders.append(border(f"w:{side}", size) if size else element(f"w:{side}", val="nil"))
        put(tbl_pr, element("w:tblLayout", type="fixed"))
        margins = put(tbl_pr, element("w:tblCellMar"))
        for side in ("left", "right"):
            margins.append(element(f"w:{side}", w="0", type="dxa"))
        grid = put(tbl, element("w:tblGrid"))
        grid.append(element("w:gridCol", w=str(width)))
        for p_el in el.elements():
            tr = element("w:tr")
            put(put(tr, element("w:trPr")), element("w:cantSplit"))
            tc = element("w:tc")
            tc_pr = put(tc, element("w:tcPr"))
            put(tc_pr, element("w:tcW", w=str(width), type="dxa"))
            cell_margins = put(tc_pr, element("w:tcMar"))
            for side in ("left", "right"):
                cell_margins.append(element(f"w:{side}", w="0", type="dxa"))
            tc.append(self._colophon_paragraph(p_el, width))
            tr.append(tc)
            tbl.append(tr)
        self.body.get_or_add_sectPr().addprevious(tbl)
        # A floating table anchors to the paragraph after it.
        tiny_paragraph(self.paragraph(NORMAL, [], font_of(el)))

    def colophon_section(self) -> None:
        """A section of its own for the 版记, starting on the next even page (Word and LibreOffice add a blank page
        before it when the body ends on an even page), portrait, with empty footers: GB/T 9704 7.5 numbers neither
        the 版记 page nor a blank page before it."""
        new_section(self.document, PORTRAIT)
        self.geometry = PORTRAIT
        section = self.document.sections[-1]
        section.start_type = WD_SECTION.EVEN_PAGE
        for footer in (section.footer, section.even_page_footer):
            footer.is_linked_to_previous = False  # a footer of its own, empty
        self.last_p = None
        self.new_page = False

    def _colophon_paragraph(self, p_el: Element, width: int) -> CT_P:
        """抄送 with its wrapped lines after the colon; 印发机关 left and 印发日期 right on one line."""
        p = element("w:p")
        ppr = p.get_or_add_pPr()
        put(ppr, element("w:pStyle", val=self.style_id("版记")))
        font = own_font("版记", font_of(p_el))
        if p_el.has("cc"):
            set_indent(ppr, 14, left=4, right=1, first=-3)
            add_runs(p, inline_runs(p_el), font)
        elif p_el.has("printed"):
            tabs = put(ppr, element("w:tabs"))
            tabs.append(element("w:tab", val="right", pos=str(width - 280)))
            runs = [r for r in inline_runs(p_el) if r.brk or r.text.strip() or r.classes]
            left = [r for r in runs if "print-date" not in r.classes]
            right = [r for r in runs if "print-date" in r.classes]
            add_runs(p, left + ([Run("\t")] if right else []) + right, font)
        else:
            add_runs(p, inline_runs(p_el), font)
        return p


def _size(el: Element) -> int:
    """How many elements a block holds, itself included: what it adds to python-docx's tree, roughly (a table
    of 600 rows several thousand, a paragraph one or a few)."""
    return 1 + sum(_size(c) for c in el.children if isinstance(c, Element))


def _field_start(parent, instruction: str) -> None:
    """The runs that begin a field and hold its instruction, up to its result."""
    for kind in ("begin", "instr", "separate"):
        r = etree.SubElement(parent, qn("w:r"))
        if kind == "instr":
            instr = etree.SubElement(r, qn("w:instrText"))
            instr.set(qn("xml:space"), "preserve")
            instr.text = instruction
        else:
            etree.SubElement(r, qn("w:fldChar")).set(qn("w:fldCharType"), kind)


def _field_end(parent) -> None:
    etree.SubElement(etree.SubElement(parent, qn("w:r")), qn("w:fldChar")).set(qn("w:fldCharType"), "end")


def render_docx(html: str, *, source_name: str, fonts: FontConfig | None = None,
                date: dt.date | dt.datetime | None = None, colophon_page: bool = False) -> bytes:
    """The DOCX of a rendered template; same HTML and date give the same bytes (glyphs checked when fonts given).

    `colophon_page`: the 版记 goes on a page of its own, the next even one, unnumbered, as the PDF's layout decided
    (render_pdf's `layout`; the DOCX is meant to break pages where the PDF does)."""
    # read block by block, each written as it ends: the whole tree is never in memory (a 5,000-item volume's took
    # 350 MB); the glyphs are checked on the way, their first problem raised at the end as check_glyphs raises it
    check = GlyphCheck(fonts, source_name) if fonts is not None else None
    writer: _Writer | None = None
    title = ""
    geometries: list[PageGeometry] = []  # of the sections open
    for event, el in parse_blocks(html, source_name):
        if event == "start":
            html_el = el.find("html")
            assert html_el is not None
            body = html_el.find("body")
            assert body is not None
            title_el = html_el.find("title")
            title = "".join(c for c in title_el.children if isinstance(c, str)).strip() if title_el is not None else ""
            writer = _Writer(body.has("landscape"), colophon_page)
            geometries = [writer.body_geometry]
        elif event == "open":
            assert writer is not None
            geometries.append(writer.open_section(el, geometries[-1]))
        elif event == "close":
            geometries.pop()
        else:
            assert writer is not None
            if check is not None:
                check.add(el)
            writer.block(el, geometries[-1])
    if check is not None:
        check.done()
    assert writer is not None  # parse_blocks has refused a document without a body
    prune_styles(writer.document.styles.element, writer.used_styles)
    return package_bytes(writer.document, title=title, date=date, spilled=writer.spilled)


def render_dotx() -> bytes:
    """The Word template (.dotx) of our documents: every style (the gallery shows the 公文 ones), the A4 page with
    the 22-line grid and the "— N —" footers, one empty 正文 paragraph. Always the same bytes."""
    writer = _Writer(landscape=False)
    writer.body.get_or_add_sectPr().addprevious(element("w:p"))
    return package_bytes(writer.document, title="公文样式", date=None, spilled=[], template=True)
