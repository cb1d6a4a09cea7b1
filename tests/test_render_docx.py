"""DOCX: GB/T 9704 page setup, East Asian fonts, odd/even page numbers, tables, sections, reproducibility."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENTATION, WD_SECTION
from docx.oxml.ns import qn
from lxml import etree

from pilot_docs.errors import FontError
from pilot_docs.render import render_docx
from tests.render_fixtures import (
    chart_png,
    compilation_docx,
    default_fonts,
    figure,
    figure_docx,
    letter_docx,
    small_html,
)

SOURCE = "templates/letter.html.j2"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def doc() -> DocxDocument:
    """The fixture letter opened with python-docx."""
    return Document(io.BytesIO(letter_docx()))


def _xml(data: bytes, part: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(part).decode("utf-8")


def test_portrait_margins(doc: DocxDocument) -> None:
    section = doc.sections[0]
    assert section.orientation == WD_ORIENTATION.PORTRAIT
    assert abs(section.page_width.mm - 210) < 0.5 and abs(section.page_height.mm - 297) < 0.5
    assert abs(section.top_margin.mm - 37) < 0.5
    assert abs(section.left_margin.mm - 28) < 0.5
    assert abs(section.right_margin.mm - 26) < 0.5
    assert abs(section.bottom_margin.mm - 35) < 0.5
    # The 14 pt page-number line: its middle 7 mm below the type area, i.e. 28 mm above the page edge.
    assert abs(section.footer_distance.mm + 14 / 2 * 25.4 / 72 - 28) < 0.5


def test_line_grid(doc: DocxDocument) -> None:
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"
    spacing = doc.styles["Normal"].element.find(f"{W}pPr/{W}spacing")
    assert spacing.get(qn("w:line")) == "579" and spacing.get(qn("w:lineRule")) == "exact"
    assert doc.styles["Normal"].element.find(f"{W}rPr/{W}spacing").get(qn("w:val")) == "-5"


def test_landscape_attachment_is_its_own_section(doc: DocxDocument) -> None:
    orientations = [s.orientation for s in doc.sections]
    assert orientations == [WD_ORIENTATION.PORTRAIT, WD_ORIENTATION.LANDSCAPE, WD_ORIENTATION.PORTRAIT]
    landscape = doc.sections[1]
    assert landscape.page_width > landscape.page_height
    assert abs(landscape.top_margin.mm - 28) < 0.5 and abs(landscape.left_margin.mm - 35) < 0.5


def test_fonts_come_from_the_styles_not_the_runs() -> None:
    data = letter_docx()
    styles = _xml(data, "word/styles.xml")
    assert "eastAsiaTheme" not in styles and "asciiTheme" not in styles
    defaults = styles.split("<w:rPrDefault>")[1].split("</w:rPrDefault>")[0]
    assert 'w:eastAsia="仿宋_GB2312"' in defaults and 'w:ascii="仿宋_GB2312"' in defaults
    for name, font, size in (("Title", "方正小标宋简体", 44), ("Heading1", "黑体", 32), ("Heading2", "楷体_GB2312", 32),
                             ("Normal", "仿宋_GB2312", 32), ("Footer", "宋体", 28), ("Colophon", "仿宋_GB2312", 28),
                             ("Masthead", "方正小标宋简体", 72), ("TableHead", "黑体", 28)):
        style = styles.split(f'w:styleId="{name}"')[1].split("</w:style>")[0]
        assert f'w:eastAsia="{font}"' in style and f'w:ascii="{font}"' in style, name
        assert f'<w:sz w:val="{size}"/>' in style, name
    document = _xml(data, "word/document.xml")
    assert document.count("<w:r>") > 100
    assert "w:rFonts" not in document  # no run names a font: "select all → font" keeps the headings' fonts
    assert "w:sz " not in document.replace('<w:sz w:val="2"/>', "")  # nor a size (the tiny anchors aside)
    for footer in ("word/footer1.xml", "word/footer2.xml"):
        assert "w:rFonts" not in _xml(data, footer)


def test_font_table_names_the_fonts_used_with_their_substitutes() -> None:
    table = etree.fromstring(_xml(letter_docx(), "word/fontTable.xml").encode())
    fonts = {f.get(qn("w:name")): f for f in table.iter(f"{W}font")}
    assert list(fonts) == ["仿宋_GB2312", "楷体_GB2312", "方正小标宋简体", "黑体", "宋体"]
    alt = {name: f.find(f"{W}altName").get(qn("w:val")) for name, f in fonts.items()}
    assert alt == {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体", "黑体": "SimHei",
                   "宋体": "SimSun"}
    for f in fonts.values():
        assert f.find(f"{W}charset").get(qn("w:val")) == "86"  # GB2312
        assert len(f.find(f"{W}panose1").get(qn("w:val"))) == 20
    # A document without 楷体 and 小标宋 names neither.
    small = _xml(render_docx(small_html("<p>正文</p>"), source_name=SOURCE), "word/fontTable.xml")
    assert "楷体" not in small and "方正小标宋简体" not in small and "仿宋_GB2312" in small


def test_masthead_red_and_headings_in_their_fonts() -> None:
    document = _xml(letter_docx(), "word/document.xml")
    masthead = document.split("江门市安全生产委员会文件")[0].rsplit("<w:p>", 1)[1]
    assert 'w:pStyle w:val="Masthead"' in masthead
    styles = _xml(letter_docx(), "word/styles.xml")
    masthead_style = styles.split('w:styleId="Masthead"')[1].split("</w:style>")[0]
    assert 'w:color w:val="FF0000"' in masthead_style and 'w:eastAsia="方正小标宋简体"' in masthead_style
    heading = document.split("一、总体要求")[0].rsplit("<w:p>", 1)[1]
    assert 'w:pStyle w:val="Heading1"' in heading
    rule = document.split('w:val="Rule"')[1].split("</w:p>")[0]
    assert 'w:bottom w:val="single"' in rule and 'w:color="FF0000"' in rule


def test_odd_and_even_footers_with_page_field(doc: DocxDocument) -> None:
    settings = _xml(letter_docx(), "word/settings.xml")
    assert "<w:evenAndOddHeaders/>" in settings
    section = doc.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        xml = footer._element.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert footer.paragraphs[0].text.replace("1", "N") == "— N —"
        jc = footer.paragraphs[0]._p.find(f"{W}pPr/{W}jc")
        assert jc.get(qn("w:val")) == align
        assert 'w:pStyle w:val="Footer"' in xml


def test_tables_repeat_heads_and_merge_cells() -> None:
    document = Document(io.BytesIO(letter_docx())).element.body
    tables = [t for t in document.iter(f"{W}tbl") if t.find(f"{W}tblPr/{W}tblpPr") is None]
    assert len(tables) == 2
    first = tables[0]
    rows = first.findall(f"{W}tr")
    heads = [r for r in rows if r.find(f"{W}trPr/{W}tblHeader") is not None]
    assert len(heads) == 2  # the two <thead> rows
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    spans = [s.get(qn("w:val")) for s in first.iter(f"{W}gridSpan")]
    assert spans == ["2"]  # 时间安排 over 开始 and 结束
    merges = [m.get(qn("w:val")) for m in first.iter(f"{W}vMerge")]
    assert merges.count("restart") == 3 + 4  # 序号, 阶段, 责任单位 in the head; four 阶段 groups
    assert len(merges) == 2 * 3 + 20  # a restart or a continuation in every row the merges cover
    widths = [int(c.get(qn("w:w"))) for c in first.iter(f"{W}gridCol")]
    assert abs(sum(widths) - round(156 * 72 / 25.4 * 20)) <= 1
    assert abs(widths[0] / sum(widths) - 0.09) < 0.005


def test_colophon_floats_at_the_foot_with_rules() -> None:
    document = Document(io.BytesIO(letter_docx())).element.body
    colophon = next(t for t in document.iter(f"{W}tbl") if t.find(f"{W}tblPr/{W}tblpPr") is not None)
    position = colophon.find(f"{W}tblPr/{W}tblpPr")
    assert position.get(qn("w:vertAnchor")) == "margin" and position.get(qn("w:tblpYSpec")) == "bottom"
    borders = colophon.find(f"{W}tblPr/{W}tblBorders")
    sizes = {b.tag.split("}")[1]: b.get(qn("w:sz")) for b in borders}
    assert sizes["top"] == sizes["bottom"] == "8" and sizes["insideH"] == "6"  # 0.35 mm, 0.25 mm
    text = "".join(t.text for t in colophon.iter(f"{W}t"))
    assert text == "抄送：省安委办，市委办公室，市人大常委会办公室，市政府办公室，市政协办公室。江门市安全生产委员会办公室2009年6月30日印发"


def test_same_html_same_bytes_and_a_tidy_zip() -> None:
    html = small_html('<header class="masthead">江门市安全生产委员会文件</header><p>正文。</p>')
    first = render_docx(html, source_name=SOURCE)
    assert first == render_docx(html, source_name=SOURCE)
    archive = zipfile.ZipFile(io.BytesIO(first))
    names = archive.namelist()
    assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "docProps/thumbnail.jpeg" not in names
    core = archive.read("docProps/core.xml").decode()
    assert "1980-01-01T00:00:00Z" in core and "<dc:title>测试</dc:title>" in core


def test_date_sets_the_core_properties() -> None:
    import datetime as dt

    data = render_docx(small_html("<p>正文</p>"), source_name=SOURCE, date=dt.date(2009, 6, 30))
    assert "2009-06-30T00:00:00Z" in _xml(data, "docProps/core.xml")


def test_glyph_check_when_fonts_are_given() -> None:
    html = small_html("<p>正文\ue000</p>")
    render_docx(html, source_name=SOURCE)  # no font map: Word picks the fonts
    with pytest.raises(FontError, match="U\\+E000"):
        render_docx(html, source_name=SOURCE, fonts=default_fonts())


def test_attachment_section_starts_a_new_page() -> None:
    html = small_html('<p>正文</p><section class="attachment"><p class="attachment-label">附件</p></section>')
    body = Document(io.BytesIO(render_docx(html, source_name=SOURCE))).element.body
    label = next(p for p in body.iter(f"{W}p") if "附件" in "".join(t.text for t in p.iter(f"{W}t")))
    assert label.find(f"{W}pPr/{W}pageBreakBefore") is not None


# -- figures ---------------------------------------------------------------------------------------------------

WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
EMU_PER_MM = 36000


def _pictures(data: bytes) -> list[tuple[etree._Element, etree._Element]]:
    """(paragraph, wp:inline) of every picture in the body."""
    body = Document(io.BytesIO(data)).element.body
    return [(p, inline) for p in body.iter(f"{W}p") for inline in p.iter(f"{WP}inline")]


def _extent(inline: etree._Element) -> tuple[int, int]:
    extent = inline.find(f"{WP}extent")
    return int(extent.get("cx")), int(extent.get("cy"))


def test_figure_is_one_inline_picture_as_wide_as_the_text() -> None:
    data = figure_docx()
    pictures = _pictures(data)
    assert len(pictures) == 1
    p, inline = pictures[0]
    cx, cy = _extent(inline)
    section = Document(io.BytesIO(data)).sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert cx == 156 * EMU_PER_MM and abs(cx - text_width) < 635  # the text width, margins rounded to twips
    assert cy == round(cx * 240 / 624)  # the aspect ratio of the 624 x 240 px image
    assert {inline.get(s) for s in ("distT", "distB", "distL", "distR")} == {"0"}  # LibreOffice reads 3.2 mm
    assert inline.find(f"{WP}docPr").get("descr") == "各项任务完成情况"
    ppr = p.find(f"{W}pPr")
    assert ppr.find(f"{W}keepNext") is not None  # kept with the caption
    styles = Document(io.BytesIO(data)).styles
    figure_style = styles[ppr.find(f"{W}pStyle").get(qn("w:val")).replace("GWFigure", "GW Figure")]
    assert figure_style.paragraph_format.alignment == 1  # centred
    assert not figure_style.paragraph_format.first_line_indent
    spacing = figure_style.element.find(f"{W}pPr/{W}spacing")
    assert spacing.get(qn("w:lineRule")) == "auto"  # an exact line height would clip the picture
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.read("word/media/image1.png") == chart_png()


def test_figure_caption_is_centred_heiti_without_indent() -> None:
    data = figure_docx()
    doc = Document(io.BytesIO(data))
    paragraphs = doc.paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p._p.find(f".//{WP}inline") is not None)
    caption = paragraphs[index + 1]
    assert caption.text == "图1　各项任务完成情况（按责任单位计）"
    assert caption.style.name == "图题"
    fmt = caption.style.paragraph_format
    assert fmt.alignment == 1 and not fmt.first_line_indent
    assert caption.style.font.size.pt == 14
    assert 'w:eastAsia="黑体"' in etree.tostring(caption.style.element, encoding="unicode")


def test_figure_on_a_landscape_page_uses_its_text_width() -> None:
    html = small_html(f'<p>正文</p>\n<section class="attachment landscape">{figure()}</section>')
    (_, inline), = _pictures(render_docx(html, source_name=SOURCE))
    cx, cy = _extent(inline)
    assert cx == 225 * EMU_PER_MM and cy == round(cx * 240 / 624)


@pytest.mark.parametrize(("body_class", "cap_mm"), [("report", 202), ("landscape", 130.5)])
def test_a_tall_figure_shrinks_to_fit_the_type_area(body_class: str, cap_mm: float) -> None:
    html = small_html(figure(png=chart_png(300, 1500)), body_class)
    (_, inline), = _pictures(render_docx(html, source_name=SOURCE))
    cx, cy = _extent(inline)
    assert cy == round(cap_mm * EMU_PER_MM)  # type area (225 / 156 mm) less two grid lines and 2 mm
    assert cx == round(cap_mm * 300 / 1500 * EMU_PER_MM)


def test_same_figure_html_same_docx_bytes() -> None:
    html = small_html(figure() + figure("图2　同一图片再用一次") + figure("图3", png=chart_png(200, 100, "JPEG")))
    first = render_docx(html, source_name=SOURCE)
    assert first == render_docx(html, source_name=SOURCE)
    names = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert [n for n in names if n.startswith("word/media/")] == ["word/media/image1.png", "word/media/image2.jpg"]
    ids = [inline.find(f"{WP}docPr").get("id") for _, inline in _pictures(first)]
    assert ids == ["1", "2", "3"]


# -- compilations: 目录, outline levels, parts -------------------------------------------------------------------

TEXT_WIDTH_TWIPS = str(round(156 * 72 / 25.4 * 20))


def _text(p: etree._Element) -> str:
    """The text of a paragraph's runs, tabs as "\t" (the tab stops of w:pPr left out)."""
    return "".join("\t" if node.tag == f"{W}tab" else node.text or ""
                   for r in p.iter(f"{W}r") for node in r.iterchildren(f"{W}t", f"{W}tab"))  # links too


def _style(p: etree._Element) -> str | None:
    style = p.find(f"{W}pPr/{W}pStyle")
    return style.get(qn("w:val")) if style is not None else None


def test_toc_is_a_paragraph_per_row_with_a_dot_leader_and_no_borders() -> None:
    data = compilation_docx()
    body = Document(io.BytesIO(data)).element.body
    entries = [p for p in body.iter(f"{W}p") if _style(p) in ("TOC1", "TOC2")]
    assert [_text(p) for p in entries][:3] == ["一、2009年江门市安全生产应急管理综合试点工作总结\t2", "一、基本情况\t2",
                                               "二、主要做法\t2"]
    assert len(entries) == 8
    for p in entries:
        ppr = p.find(f"{W}pPr")
        tab, = ppr.findall(f"{W}tabs/{W}tab")  # the number at the right edge of the type area, dots before it
        assert (tab.get(qn("w:val")), tab.get(qn("w:leader")), tab.get(qn("w:pos"))) == ("right", "dot",
                                                                                        TEXT_WIDTH_TWIPS)
        assert ppr.find(f"{W}pBdr") is None and _text(p).count("\t") == 1
    # The 目录 is no table and has no borders: the only tables are the statistics table and the 版记.
    assert len(body.findall(f".//{W}tbl")) == 2
    subs = [p for p in entries if _style(p) == "TOC2"]
    assert len(subs) == 5
    styles = Document(io.BytesIO(data)).styles
    for name, left in (("toc 1", "0"), ("toc 2", "200")):
        toc_style = styles[name].element
        ind = toc_style.find(f"{W}pPr/{W}ind")
        # no right indent: Word 2013+ and LibreOffice would ignore the tab stop at the edge beyond it
        assert (ind.get(qn("w:leftChars")), ind.get(qn("w:rightChars"))) == (left, "0")
        assert toc_style.find(f"{W}pPr/{W}jc").get(qn("w:val")) == "left"
        assert toc_style.find(f"{W}pPr/{W}keepLines") is not None  # a row never splits
        assert 'w:eastAsia="仿宋_GB2312"' in etree.tostring(toc_style, encoding="unicode")
        assert styles[name].font.size.pt == 16


def test_toc_caption_and_landscape_stop() -> None:
    html = small_html('<section class="landscape"><table class="toc"><caption>目录</caption>'
                      "<tr><td>一、总体情况</td><td>3</td></tr></table></section>")
    body = Document(io.BytesIO(render_docx(html, source_name=SOURCE))).element.body
    paragraphs = [p for p in body.iter(f"{W}p") if _text(p)]
    assert [(_style(p), _text(p)) for p in paragraphs] == [("Caption", "目录"), ("TOC1", "一、总体情况\t3")]
    stop = paragraphs[1].find(f"{W}pPr/{W}tabs/{W}tab").get(qn("w:pos"))
    assert stop == str(round(225 * 72 / 25.4 * 20))  # the landscape type area


def test_headings_carry_outline_levels_as_the_pdf_bookmarks() -> None:
    styles = Document(io.BytesIO(letter_docx())).styles
    levels = {}
    for name in ("Title", "heading 1", "heading 2", "heading 3", "Normal", "发文机关标志", "发文字号", "署名",
                 "成文日期", "附件标识"):
        outline = styles[name].element.find(f"{W}pPr/{W}outlineLvl")
        levels[name] = None if outline is None else int(outline.get(qn("w:val")))
    # 标题 1, 一、 2, （一） 3 as the PDF's bookmarks; 1. (heading 3) body text (9), as the PDF makes no bookmark.
    assert levels == {"Title": 0, "heading 1": 1, "heading 2": 2, "heading 3": 9, "Normal": None,
                      "发文机关标志": None, "发文字号": None, "署名": None, "成文日期": None, "附件标识": None}
    body = Document(io.BytesIO(letter_docx())).element.body
    assert "outlineLvl" not in etree.tostring(body, encoding="unicode")  # from the styles only: no text changed


def test_parts_start_new_pages_and_page_numbers_run_on() -> None:
    data = compilation_docx()
    doc = Document(io.BytesIO(data))
    body = doc.element.body
    titles = [p for p in body.iter(f"{W}p") if _style(p) == "Title"]
    assert [_text(p) for p in titles] == ["目录", "2009年江门市安全生产应急管理综合试点工作总结",
                                          "市安监局2009年度安全生产应急管理工作总结", "2009年试点工作任务完成情况统计表"]
    breaks = [p.find(f"{W}pPr/{W}pageBreakBefore") is not None for p in titles]
    assert breaks == [False, True, True, False]  # the landscape part starts a section of its own instead
    assert [s.orientation for s in doc.sections] == [WD_ORIENTATION.PORTRAIT, WD_ORIENTATION.LANDSCAPE,
                                                     WD_ORIENTATION.PORTRAIT]
    assert [s.start_type for s in doc.sections][1:] == [WD_SECTION.NEW_PAGE, WD_SECTION.NEW_PAGE]
    document = _xml(data, "word/document.xml")
    assert "pgNumType" not in document  # no section restarts (or reformats) the page numbers
    for section in doc.sections[1:]:  # later sections show the first one's "— N —" footers
        assert section.footer.is_linked_to_previous and section.even_page_footer.is_linked_to_previous


def test_part_without_landscape_follows_the_body() -> None:
    html = small_html('<p>正文</p><section class="part"><p>第二部分</p></section>', "landscape")
    doc = Document(io.BytesIO(render_docx(html, source_name=SOURCE)))
    assert [s.orientation for s in doc.sections] == [WD_ORIENTATION.LANDSCAPE]
    part = next(p for p in doc.element.body.iter(f"{W}p") if _text(p) == "第二部分")
    assert part.find(f"{W}pPr/{W}pageBreakBefore") is not None


@pytest.mark.parametrize("every", [1, 2, 3, 7])
def test_blocks_written_out_early_give_the_same_bytes(monkeypatch: pytest.MonkeyPatch, every: int) -> None:
    """Long documents leave python-docx's tree as they are written (docx._Writer.spill): same document, to the byte,
    through section changes, keep-with-next, the 版记, pictures and the 目录."""
    import pilot_docs.render.docx as docx_module
    from tests.render_fixtures import compilation_html, figure_html, letter_html, small_html

    pictures = figure_html().replace("</body>", "".join(f"<p>第{n}段</p>" for n in range(12)) + "</body>")
    many = small_html("".join(f"<h2>{n}、标题</h2><p>正文{n}</p>" for n in range(30)))
    for html in (letter_html(), compilation_html(), pictures, many):
        whole = render_docx(html, source_name="x.html")
        monkeypatch.setattr(docx_module, "SPILL_EVERY", every)
        early = render_docx(html, source_name="x.html")
        monkeypatch.setattr(docx_module, "SPILL_EVERY", 10**9)
        assert early == whole
        xml = zipfile.ZipFile(io.BytesIO(early)).read("word/document.xml")
        assert b"pilot-docs spilled" not in xml


# -- styles and the package (Word's built-in styles, a clean package) ------------------------------------------

def _styles(data: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(_xml(data, "word/styles.xml").encode())
    return {s.get(qn("w:styleId")): s for s in root.iter(f"{W}style")}


def test_built_in_styles_for_what_they_are_made_for_and_chinese_names_for_the_rest() -> None:
    styles = _styles(letter_docx())
    names = {sid: s.find(f"{W}name").get(qn("w:val")) for sid, s in styles.items()}
    assert {k: names[k] for k in ("Normal", "Title", "Heading1", "Heading2", "Heading3", "Caption", "Footer")} == {
        "Normal": "Normal", "Title": "Title", "Heading1": "heading 1", "Heading2": "heading 2",
        "Heading3": "heading 3", "Caption": "caption", "Footer": "footer"}
    custom = {names[sid] for sid, s in styles.items() if s.get(qn("w:customStyle")) == "1"}
    assert {"发文机关标志", "发文字号", "主送机关", "附件说明", "署名", "成文日期", "版记"} <= custom
    assert all(not name.isascii() for name in custom)  # every style of our own has a Chinese name
    for sid in ("Title", "Heading1", "Heading2", "Heading3", "Recipient", "Date"):
        assert styles[sid].find(f"{W}next").get(qn("w:val")) == "Normal", sid  # Enter after a heading: 正文
    assert styles["Issuer"].find(f"{W}next").get(qn("w:val")) == "Date"
    # The body text is 正文 itself: no w:pStyle on a body paragraph.
    body = Document(io.BytesIO(letter_docx())).element.body
    text = next(p for p in body.iter(f"{W}p") if _text(p).startswith("为贯彻落实国家安全监管总局"))
    assert text.find(f"{W}pPr/{W}pStyle") is None


def test_only_the_styles_a_document_uses_are_in_it_and_in_the_gallery() -> None:
    styles = _styles(render_docx(small_html("<h2>一、标题</h2><p>正文</p>"), source_name=SOURCE))
    assert set(styles) == {"DefaultParagraphFont", "TableNormal", "NoList", "Normal", "Heading1", "Footer"}
    gallery = {sid for sid, s in styles.items() if s.find(f"{W}qFormat") is not None}
    assert gallery == {"Normal", "Heading1", "Footer"}
    latent = etree.fromstring(_xml(letter_docx(), "word/styles.xml").encode()).find(f"{W}latentStyles")
    assert latent.get(qn("w:defQFormat")) == "0" and len(latent) == 0  # no other built-in style in the gallery


def test_a_clean_package_for_word_2013_and_later() -> None:
    data = letter_docx()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sorted(names) == sorted([
        "[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "word/_rels/document.xml.rels",
        "word/document.xml", "word/fontTable.xml", "word/footer1.xml", "word/footer2.xml", "word/settings.xml",
        "word/styles.xml", "word/theme/theme1.xml"])
    for part in ("[Content_Types].xml", "word/_rels/document.xml.rels"):
        xml = _xml(data, part)
        assert "stylesWithEffects" not in xml and "customXml" not in xml and "numbering" not in xml
    settings = etree.fromstring(_xml(data, "word/settings.xml").encode())
    mode, = [s for s in settings.iter(f"{W}compatSetting") if s.get(qn("w:name")) == "compatibilityMode"]
    assert mode.get(qn("w:val")) == "15"
    assert settings.find(f"{W}themeFontLang").get(qn("w:eastAsia")) == "zh-CN"
    assert settings.find(f"{W}rsids") is None
    theme = _xml(data, "word/theme/theme1.xml")
    assert '<a:ea typeface="黑体"/>' in theme and '<a:ea typeface="宋体"/>' in theme
    app = _xml(data, "docProps/app.xml")
    assert "<Application>pilot-docs</Application>" in app
    assert "Microsoft" not in app and "<Pages>" not in app and "Normal.dotm" not in app
    styles = _xml(data, "word/styles.xml")
    assert "ja-JP" not in styles + _xml(data, "word/settings.xml") and 'w:eastAsia="zh-CN"' in styles


def test_the_word_template_has_every_style_and_the_page_setup() -> None:
    from pilot_docs.render.docx import render_dotx
    from pilot_docs.render.docx_styles import STYLES

    data = render_dotx()
    assert data == render_dotx()
    types = _xml(data, "[Content_Types].xml")
    assert "wordprocessingml.template.main+xml" in types and "document.main+xml" not in types
    styles = _styles(data)
    assert {s.style_id for s in STYLES.values()} <= set(styles)
    assert all(styles[s.style_id].find(f"{W}qFormat") is not None for s in STYLES.values())  # in the gallery
    document = _xml(data, "word/document.xml")
    assert 'w:top="2098"' in document and "<w:t>" not in document  # 37 mm 天头; no text
    assert "PAGE" in _xml(data, "word/footer1.xml")


def test_colophon_on_a_page_of_its_own_starts_an_even_page_without_a_number() -> None:
    html = small_html("<p>正文。</p>" + '<footer class="colophon"><p class="cc">抄送：省安委办。</p></footer>')
    assert len(Document(io.BytesIO(render_docx(html, source_name=SOURCE))).sections) == 1  # it fits: stays
    doc = Document(io.BytesIO(render_docx(html, source_name=SOURCE, colophon_page=True)))
    assert len(doc.sections) == 2
    last = doc.sections[-1]
    assert last.start_type == WD_SECTION.EVEN_PAGE and last.orientation == WD_ORIENTATION.PORTRAIT
    for footer in (last.footer, last.even_page_footer):
        assert not footer.is_linked_to_previous and "PAGE" not in footer._element.xml  # no page number
    assert "PAGE" in doc.sections[0].footer._element.xml
    body = doc.element.body
    colophon = next(t for t in body.iter(f"{W}tbl") if t.find(f"{W}tblPr/{W}tblpPr") is not None)
    assert body.index(colophon) > body.index(next(p for p in body.iter(f"{W}p") if p.find(f".//{W}sectPr") is not None))


def test_header_block_is_as_tall_as_the_pdfs() -> None:
    """Masthead line box ending 35 mm + one line of its type below the type area's top, as gongwen.css; the red rule
    1.72 mm under the 发文字号's line (4 mm under its glyphs)."""
    styles = _styles(letter_docx())
    spacing = styles["Masthead"].find(f"{W}pPr/{W}spacing")
    before, line = int(spacing.get(qn("w:before"))) / 20, int(spacing.get(qn("w:line"))) / 20
    assert abs(before + line - (35 * 72 / 25.4 + 36)) < 0.1
    rule = int(styles["Rule"].find(f"{W}pPr/{W}spacing").get(qn("w:line"))) / 20
    assert abs(rule - 1.72 * 72 / 25.4) < 0.1
    long_name = small_html('<header class="masthead">江门市安全生产委员会办公室江门市应急管理委员会文件</header>')
    masthead = Document(io.BytesIO(render_docx(long_name, source_name=SOURCE))).element.body.find(f"{W}p")
    spacing = masthead.find(f"{W}pPr/{W}spacing")
    size = int(masthead.find(f".//{W}r/{W}rPr/{W}sz").get(qn("w:val"))) / 2
    assert size < 36
    assert abs(int(spacing.get(qn("w:before"))) / 20 + int(spacing.get(qn("w:line"))) / 20 - (35 * 72 / 25.4 + size)) < 0.1


def test_toc_is_a_field_whose_entries_link_to_bookmarked_headings() -> None:
    """The 目录 is Word's TOC field (更新域 rebuilds it), its result the entries with the PDF's page numbers cached in
    PAGEREF fields, each a link to a bookmark on its heading: it reads right before any update and is clickable."""
    body = Document(io.BytesIO(compilation_docx())).element.body
    instructions = [t.text.strip() for t in body.iter(f"{W}instrText")]
    assert instructions[0].startswith("TOC ") and "\\h" in instructions[0]
    entries = [p for p in body.iter(f"{W}p") if _style(p) in ("TOC1", "TOC2")]
    kinds = [c.get(qn("w:fldCharType")) for p in entries for c in p.iter(f"{W}fldChar")]
    assert kinds[0] == "begin" and kinds[-1] == "end" and kinds.count("begin") == kinds.count("end") == 1 + 8
    marks = {b.get(qn("w:name")): b.getparent() for b in body.iter(f"{W}bookmarkStart")}
    for p in entries:
        link = p.find(f"{W}hyperlink")
        name = link.get(qn("w:anchor"))
        heading = marks[name]  # the bookmark is on the heading the entry names
        assert _style(heading) in ("Title", "Heading1")
        entry, page = _text(p).split("\t")
        assert entry.endswith(_text(heading)), entry
        pageref = [t.text for t in link.iter(f"{W}instrText")]
        assert pageref == [f" PAGEREF {name} \\h "] and page.isdigit()
    assert len(marks) == 8


def test_the_prepared_package_is_copied_never_changed() -> None:
    """Each document starts from a copy of the package prepared once per process: a document made after others
    (portrait and landscape, with a table and a 版记) has the bytes it has when made first."""
    from pilot_docs.render.docx import _prepared

    portrait = small_html("<p>正文</p>")
    first = render_docx(portrait, source_name=SOURCE)
    before = etree.tostring(_prepared(False).element) + etree.tostring(_prepared(False).styles.element)
    render_docx(small_html("<table><tbody><tr><td>甲</td></tr></tbody></table>", "annex landscape"),
                source_name=SOURCE)
    render_docx(small_html("<h1>标题</h1><p>二</p>"), source_name=SOURCE, colophon_page=True)
    assert render_docx(portrait, source_name=SOURCE) == first
    assert etree.tostring(_prepared(False).element) + etree.tostring(_prepared(False).styles.element) == before
