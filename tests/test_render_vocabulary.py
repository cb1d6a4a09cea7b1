"""The HTML vocabulary: what the writers accept, what they refuse (naming template and line), white space."""

from __future__ import annotations

import tracemalloc

import pytest

from pilot_docs.errors import FontError, TemplateError
from pilot_docs.render import render_docx, vocabulary
from pilot_docs.render.flow import cell_paragraphs, inline_runs, plain_text
from pilot_docs.render.vocabulary import (
    CHUNK,
    Element,
    column_percent,
    image_of,
    join_cjk_lines,
    parse,
    parse_blocks,
    text_by_font,
)
from tests.render_fixtures import chart_png, compilation_html, data_uri, figure_html, letter_html, small_html

SOURCE = "templates/letter.html.j2"


def _error(body: str) -> str:
    with pytest.raises(TemplateError) as info:
        render_docx(small_html(body), source_name=SOURCE)
    return str(info.value)


def test_fixture_letter_is_in_the_vocabulary() -> None:
    root = parse(letter_html(), "letter.html")
    assert root.find("body").has("letter")


def test_unknown_element_names_template_and_line() -> None:
    message = _error("<p>正文</p>\n<blink>闪</blink>")
    assert message == f"{SOURCE}: line 6: unknown element <blink>"


def test_unknown_class_names_template_and_line() -> None:
    message = _error('<p class="shout">正文</p>')
    assert message.startswith(f"{SOURCE}: line 5: unknown class \"shout\" on <p>")


def test_known_class_on_the_wrong_element_is_refused() -> None:
    assert 'class "masthead" on <p>' in _error('<p class="masthead">江门市</p>')


def test_unknown_attribute_is_refused() -> None:
    assert "unknown attribute style= on <p>" in _error('<p style="color: red">正文</p>')


def test_data_attributes_are_ignored() -> None:
    render_docx(small_html('<p data-source="B3">正文</p>'), source_name=SOURCE)


def test_element_in_the_wrong_place_is_refused() -> None:
    assert "<table> is not allowed inside <p>" in _error("<p>正文<table></table></p>")


def test_loose_text_in_body_is_refused_not_dropped() -> None:
    assert "directly inside <body>" in _error("正文")


def test_unclosed_and_misnested_elements_are_refused() -> None:
    assert "line 6: </div> does not close <p> opened on line 6" in _error('<div class="signature">\n<p>江门</div>')
    with pytest.raises(TemplateError, match="line 6: </html> does not close <section> opened on line 5"):
        render_docx(small_html("<section>").replace("</body>\n", ""), source_name=SOURCE)
    with pytest.raises(TemplateError, match="line 2: <p> is never closed"):
        render_docx("<html><body>\n<p>正文", source_name=SOURCE)


def test_only_percent_column_widths() -> None:
    assert 'only "width: NN%"' in _error('<table><colgroup><col style="width: 30mm"></colgroup></table>')


def test_rowspan_must_be_a_number() -> None:
    assert 'rowspan="two"' in _error('<table><tr><td rowspan="two">一</td></tr></table>')


def test_column_percent() -> None:
    root = parse(small_html('<table><colgroup><col style="width: 12.5%"><col></colgroup></table>'), SOURCE)
    cols = root.find("colgroup").elements()
    assert [column_percent(c) for c in cols] == [12.5, None]


def test_white_space_collapses_like_css() -> None:
    root = parse(small_html("<p>  各地、\n  各部门 <strong> 要 </strong>  认真\t落实 <br>  第二行  </p>"), SOURCE)
    text = plain_text(inline_runs(root.find("p")))
    # The break between 、 and 各 falls between wide characters and goes; other runs of spaces become one.
    assert text == "各地、各部门 要 认真 落实\n第二行"


def test_cjk_line_joining_keeps_latin_spaces() -> None:
    assert join_cjk_lines("安全\n  生产") == "安全生产"
    assert join_cjk_lines("2009\n年") == "2009\n年"
    assert join_cjk_lines("Word\nPDF") == "Word\nPDF"
    assert join_cjk_lines("“一盘棋”\n的") == "“一盘棋”\n的"  # curly quotes are ambiguous width


def test_ideographic_space_is_text() -> None:
    root = parse(small_html("<p>附件：\u3000名称</p>"), SOURCE)
    assert plain_text(inline_runs(root.find("p"))) == "附件：\u3000名称"


def test_cell_paragraphs_split_loose_text_and_p() -> None:
    root = parse(small_html("<table><tr><td>甲<br>乙<p>丙</p> 丁 </td></tr></table>"), SOURCE)
    paragraphs = cell_paragraphs(root.find("td"))
    assert [plain_text(runs) for _, runs in paragraphs] == ["甲\n乙", "丙", "丁"]


def test_text_by_font_follows_the_stylesheet() -> None:
    body = ('<header class="masthead">标志</header><h2>黑体</h2><h3>楷体</h3><p>仿宋</p>'
            '<p class="attachment-label">附件</p><table><thead><tr><th>表头</th></tr></thead></table>')
    fonts = {name: "".join(text for text, _ in pieces) for name, pieces in text_by_font(parse(small_html(body),
                                                                                           SOURCE)).items()}
    assert fonts["方正小标宋简体"] == "标志"
    assert fonts["黑体"] == "黑体附件表头"
    assert fonts["楷体_GB2312"] == "楷体"
    assert "仿宋" in fonts["仿宋_GB2312"]
    assert fonts["宋体"] == "— 0123456789"


# -- figures ---------------------------------------------------------------------------------------------------


def test_figure_is_in_the_vocabulary() -> None:
    root = parse(figure_html(), SOURCE)
    figure_el = root.find("figure")
    assert figure_el.has("chart")
    assert [c.tag for c in figure_el.elements()] == ["img", "figcaption"]
    image = image_of(root.find("img"))
    assert (image.content_type, image.width, image.height) == ("image/png", 624, 240)
    assert image.data == chart_png()
    parse(small_html(f'<figure><img src="{data_uri(chart_png())}" alt="图"></figure>'), SOURCE)  # no class, no caption


def test_jpeg_images_are_allowed() -> None:
    jpeg = chart_png(kind="JPEG")
    root = parse(small_html(f'<figure><img src="{data_uri(jpeg, "image/jpeg")}" alt="图"></figure>'), SOURCE)
    assert image_of(root.find("img")).content_type == "image/jpeg"


@pytest.mark.parametrize("src", ["charts/figure1.png", "http://example.com/chart.png", "file:///tmp/chart.png",
                                 "data:image/svg+xml;base64,PHN2Zz4=", "data:image/png,raw"])
def test_img_src_must_carry_png_or_jpeg_data(src: str) -> None:
    message = _error(f'<p>正文</p>\n<figure class="chart">\n<img src="{src}" alt="图"></figure>')
    assert message.startswith(f'{SOURCE}: line 7: src="{src}" on <img>: only data:image/png;base64, and '
                              "data:image/jpeg;base64, URIs are allowed"), message


def test_img_src_data_must_be_the_image_it_says() -> None:
    assert "line 5: <img> src: the base64 data does not decode" in _error(
        '<figure><img src="data:image/png;base64,iVBOR%%" alt="图"></figure>')
    assert "line 5: <img> src: the data is not a readable PNG image" in _error(
        f'<figure><img src="{data_uri("不是图片".encode())}" alt="图"></figure>')
    jpeg_as_png = data_uri(chart_png(kind="JPEG"), "image/png")
    assert "the data is image/jpeg, not image/png" in _error(f'<figure><img src="{jpeg_as_png}" alt="图"></figure>')


def test_img_needs_src_and_alt() -> None:
    src = data_uri(chart_png())
    assert _error(f'<figure>\n<img src="{src}"></figure>') == (
        f'{SOURCE}: line 6: <img> needs alt="…" (a description of the picture)')
    assert 'line 5: <img> needs alt="…"' in _error(f'<figure><img src="{src}" alt=" "></figure>')
    assert 'line 5: <img> needs src="…"' in _error('<figure><img alt="图"></figure>')


def test_img_outside_a_figure_is_refused() -> None:
    src = data_uri(chart_png())
    assert _error(f'<p>正文</p>\n<img src="{src}" alt="图">') == (
        f"{SOURCE}: line 6: <img> is not allowed inside <body>; put it in a <figure>")
    assert "line 5: <img> is not allowed inside <p>" in _error(f'<p>正文<img src="{src}" alt="图"></p>')
    assert "<figcaption> is not allowed inside <body>" in _error("<figcaption>图1</figcaption>")


def test_figure_holds_one_img_then_a_caption() -> None:
    img = f'<img src="{data_uri(chart_png())}" alt="图">'
    assert "line 6: <figure> opened on line 5 has no <img>" in _error("<figure>\n</figure>")
    assert "<figcaption> out of place" in _error(f"<figure><figcaption>图1</figcaption>{img}</figure>")
    assert "<img> out of place" in _error(f"<figure>{img}{img}</figure>")
    assert "<figcaption> out of place" in _error(f"<figure>{img}<figcaption>一</figcaption><figcaption>二</figcaption>"
                                                 "</figure>")
    assert "directly inside <figure>; wrap it in <figcaption>" in _error(f"<figure>{img}图1</figure>")
    assert "<p> is not allowed inside <figure>" in _error(f"<figure>{img}<p>图1</p></figure>")
    assert "<figure> is not allowed inside <td>" in _error(f"<table><tr><td><figure>{img}</figure></td></tr></table>")


def test_img_takes_no_size_and_figure_only_the_chart_class() -> None:
    src = data_uri(chart_png())
    assert "unknown attribute width= on <img>" in _error(f'<figure><img src="{src}" alt="图" width="100"></figure>')
    assert 'unknown class "wide" on <figure> (allowed: chart)' in _error(
        f'<figure class="wide"><img src="{src}" alt="图"></figure>')


def test_figure_captions_are_set_in_heiti() -> None:
    fonts = text_by_font(parse(figure_html(), SOURCE))
    assert "图1　各项任务完成情况（按责任单位计）" in [text for text, _ in fonts["黑体"]]
    assert not any("各项任务完成情况" == text for name in fonts for text, _ in fonts[name])  # alt is not text



# -- compilations: 目录, parts ---------------------------------------------------------------------------------

TOC_ROW = "<tr><td>一、总体情况</td><td>3</td></tr>"


def test_compilation_is_in_the_vocabulary() -> None:
    root = parse(compilation_html(), SOURCE)
    toc = root.find("table")
    assert toc.has("toc")
    assert [td.has("toc-sub") for td in toc.find("tbody").elements()[1].elements()] == [True, False]
    sections = [e for e in root.find("body").elements() if e.tag == "section"]
    assert [s.classes for s in sections] == [("part",), ("part",), ("part", "landscape")]


def test_toc_entries_are_set_in_fangsong() -> None:
    fonts = text_by_font(parse(small_html(f'<table class="toc"><caption>目录</caption>{TOC_ROW}</table>'), SOURCE))
    assert [t for t, _ in fonts["仿宋_GB2312"] if t in ("一、总体情况", "3")] == ["一、总体情况", "3"]
    assert "目录" in [t for t, _ in fonts["黑体"]]


def test_toc_accepts_caption_tbody_loose_rows_inline_text_and_an_empty_number() -> None:
    parse(small_html('<table class="toc"><caption>目录</caption><tbody>'
                     '<tr><td>一、<strong>总体</strong>情况<br>续</td><td></td></tr>'
                     '<tr><td class="toc-sub">（一）目标</td><td>3</td></tr></tbody>'
                     f"{TOC_ROW}</table>"), SOURCE)


@pytest.mark.parametrize(("body", "message"), [
    ('<table class="toc">\n<tr><td>一、总体情况</td><td>3</td><td>4</td></tr></table>',
     'line 6: a row of a table of contents (class "toc") has two <td>: the entry and its page number'),
    ('<table class="toc">\n<tr><td>一、总体情况</td></tr></table>', "line 6: a row of a table of contents"),
    ('<table class="toc">\n<tr><th>一、总体情况</th><td>3</td></tr></table>', "line 6: a row of a table of contents"),
    ('<table class="toc">\n<thead><tr><td>标题</td><td>页码</td></tr></thead></table>',
     'line 6: <thead> in a table of contents (class "toc")'),
    ('<table class="toc">\n<colgroup><col style="width: 90%"></colgroup></table>',
     'line 6: <colgroup> in a table of contents (class "toc")'),
    ('<table class="toc">\n<tr><td colspan="2">一、总体情况</td></tr>\n</table>', "line 6: a row of a table of contents"),
    (f'<table class="toc">{TOC_ROW}\n<tr><td rowspan="2">一、总体情况</td><td>3</td></tr>\n</table>',
     'line 6: rowspan= on a cell of a table of contents (class "toc")'),
    ('<table class="toc">\n<tr><td>\n<p>一、总体情况</p></td><td>3</td></tr></table>',
     'line 7: <p> in a cell of a table of contents (class "toc"): write the text directly in the <td>'),
    ('<table class="toc">\n<tr><td>一、总体情况</td><td class="toc-sub">3</td></tr></table>',
     'line 6: class "toc-sub" on a page number'),
    ('<table class="toc small">\n<tr><td>一、总体情况</td><td>3</td></tr></table>',
     'line 5: classes "toc" and "small" on one <table>'),
    ('<table>\n<tr><td class="toc-sub">一、总体情况</td><td>3</td></tr></table>',
     'line 6: class "toc-sub" on a cell of a table that is not class "toc"'),
])
def test_toc_is_rows_of_an_entry_and_a_page_number(body: str, message: str) -> None:
    assert f"{SOURCE}: {message}" in _error(body)


def test_toc_and_part_classes_only_where_they_belong() -> None:
    assert 'class "toc" on <p>' in _error('<p class="toc">目录</p>')
    assert 'class "toc-sub" on <th>' in _error('<table><tr><th class="toc-sub">一</th></tr></table>')
    assert 'class "part" on <div>' in _error('<div class="part"><p>正文</p></div>')
    assert 'unknown class "toc-2" on <tr>' in _error('<table class="toc"><tr class="toc-2"><td>一</td><td>1</td></tr>'
                                                     "</table>")
    assert "(allowed: attachment, landscape, part)" in _error('<section class="chapter"><p>正文</p></section>')


LIGHTS_HTML = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head><body>
<p>状态：<span class="{cls}">●逾期</span>。</p></body></html>"""


def test_vocabulary_light_needs_one_colour() -> None:
    parse(LIGHTS_HTML.format(cls="light red"), "t.html")
    for cls, message in (("light", "needs one colour"), ("light red green", "needs one colour"),
                         ("red", 'only with "light"'), ("light blue", 'unknown class "blue"')):
        with pytest.raises(TemplateError, match=message):
            parse(LIGHTS_HTML.format(cls=cls), "t.html")


def _events_of_tree(parent: Element) -> list[tuple[str, object]]:
    """What parse_blocks should yield of a flow container parsed whole: its sections opened and closed around
    their blocks, every other block whole."""
    events: list[tuple[str, object]] = []
    for child in parent.elements():
        if child.tag == "section":
            events.append(("open", (child.classes, child.line)))
            events += _events_of_tree(child)
            events.append(("close", (child.classes, child.line)))
        else:
            events.append(("block", child))
    return events


def _long_document(paragraphs: int) -> str:
    """A long body: nested parts, tables, a signature, texts with entities, CJK line breaks and half-width text
    (so that the reading's pieces end in every kind of place)."""
    blocks = []
    for n in range(paragraphs):
        if n % 500 == 0:
            blocks.append('<section class="part"><section class="part landscape">')
        blocks.append(f"<p>第{n}项&amp;说明：中\n文 Latin &lt;{n}&gt; 字</p>" if n % 7 else
                      f"<table><tr><th>序号</th><td>{n}</td></tr></table>")
        if n % 500 == 499:
            blocks.append("</section></section>")
    blocks.append('<div class="signature"><p>某某办公室</p><p>2009年6月30日</p></div>')
    return small_html("\n".join(blocks))


@pytest.mark.parametrize("chunk", [CHUNK, 40])
def test_parse_blocks_reads_what_parse_reads(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocabulary, "CHUNK", chunk)
    html = _long_document(6_000)
    assert len(html) > 3 * CHUNK  # read in several pieces
    whole = parse(html, SOURCE)
    events = list(parse_blocks(html, SOURCE))
    assert events[0][0] == "start"
    body = whole.find("html").find("body")
    got = [(kind, (e.classes, e.line) if kind != "block" else e) for kind, e in events[1:]]
    assert got == _events_of_tree(body)
    start = events[0][1]
    assert start.find("html").find("head") == whole.find("html").find("head")
    assert start.find("html").find("body").children == []  # what was yielded left the tree


def test_parse_blocks_holds_one_block_at_a_time() -> None:
    html = _long_document(20_000)

    def peak(read) -> int:
        tracemalloc.start()
        read()
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return top

    whole = peak(lambda: parse(html, SOURCE))
    streamed = peak(lambda: [None for _ in parse_blocks(html, SOURCE)])
    assert streamed * 5 < whole, (streamed, whole)


@pytest.mark.parametrize("body", [
    "<p>正文</p>\n<blink>闪</blink>",
    '<section class="part">\n<p class="shout">正文</p></section>',
    '<div class="signature">\n<p>江门</div>',
    "<section><p>正文</p>",
    "正文",
])
def test_parse_blocks_refuses_what_parse_refuses(body: str) -> None:
    html = small_html(body) if body != "<section><p>正文</p>" else small_html(body).replace("</body>\n", "")
    with pytest.raises(TemplateError) as whole:
        parse(html, SOURCE)
    with pytest.raises(TemplateError) as streamed:
        list(parse_blocks(html, SOURCE))
    assert str(streamed.value) == str(whole.value)
    with pytest.raises(TemplateError) as docx:
        render_docx(html, source_name=SOURCE)
    assert str(docx.value) == str(whole.value)


def test_the_docx_writer_checks_glyphs_as_check_glyphs_does() -> None:
    """Read block by block, the DOCX writer raises the same first problem as a check of the whole tree: the first
    font (in their order) with a character none of its chain has, at that character's first line."""
    from pilot_docs.render.glyphs import check_glyphs
    from tests.render_fixtures import default_fonts

    html = small_html("<h2>一、\U00020000</h2>\n<p>正文</p>\n<p>私用区\ue000字</p>\n<p>又\ue000</p>")
    with pytest.raises(FontError) as whole:
        check_glyphs(parse(html, SOURCE), default_fonts(), SOURCE)
    with pytest.raises(FontError) as docx:
        render_docx(html, source_name=SOURCE, fonts=default_fonts())
    assert str(docx.value) == str(whole.value)
    assert "line 7: character '\ue000'" in str(docx.value)  # 仿宋's problem before 黑体's, though later
