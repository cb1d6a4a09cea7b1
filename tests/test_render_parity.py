"""Both formats carry the same words: DOCX text == PDF text, page numbers and repeated table heads aside."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pilot_docs.render import docx_repeated_headers, docx_text, normalize, pdf_text, render_docx
from pilot_docs.render.text import pdf_pages
from tests.render_fixtures import (
    FIXTURES,
    chart_png,
    compilation_docx,
    compilation_pdf,
    default_fonts,
    drawn_images,
    figure,
    figure_docx,
    figure_pdf,
    letter_docx,
    letter_pdf,
    pdf_outline,
    render_pdf,
    small_html,
)


@pytest.mark.usefixtures("pdf_engine")
def test_letter_docx_and_pdf_carry_the_same_words() -> None:
    docx = letter_docx()
    heads = docx_repeated_headers(docx)
    assert heads == ["序号阶段时间安排责任单位开始结束", "序号工作任务工作内容责任单位完成时间"]
    assert normalize(docx_text(docx)) == normalize(pdf_text(letter_pdf(), heads))


@pytest.mark.usefixtures("pdf_engine")
def test_the_pdf_really_repeats_heads_and_numbers_pages() -> None:
    pages = [normalize(p) for p in pdf_pages(letter_pdf())]
    head = "序号阶段时间安排责任单位开始结束"
    assert sum(p.startswith(head) for p in pages) >= 2  # the head repeats on a continuation page
    # every page numbered but a page the 版记 has alone, and a blank page before it (GB/T 9704 7.5)
    assert all(f"—{n}—" in p for n, p in enumerate(pages, 1) if p and not p.startswith("抄送"))
    assert len(pages) % 2 == 0
    stripped = normalize(pdf_text(letter_pdf(), [head]))
    assert stripped.count(head) == 1 and "—1—" not in stripped


def test_text_starts_with_the_masthead_and_ends_with_the_colophon() -> None:
    text = docx_text(letter_docx())
    assert text.startswith("江门市安全生产委员会文件\n江安委〔2009〕12号")
    assert normalize(text).endswith("江门市安全生产委员会办公室2009年6月30日印发")


def test_merged_cells_are_counted_once() -> None:
    text = normalize(docx_text(letter_docx()))
    assert text.count("动员部署阶段") == 1
    assert text.count("推进安全生产应急指挥机构建设") == 1


@pytest.mark.usefixtures("pdf_engine")
@pytest.mark.parametrize("body", [
    "<p>各地、各部门\n要认真<strong>贯彻</strong> 落实 <em>Word</em> PDF<br>第二行</p>",
    '<table class="small"><tr><td rowspan="2">一</td><td>甲</td></tr><tr><td>乙<br>丙</td></tr></table>',
    ('<footer class="colophon"><p class="cc">抄送：市委办公室。</p>'
     '<p class="printed"><span class="printer">办公室</span> <span class="print-date">2009年6月30日印发</span></p>'
     "</footer>"),
    ('<table class="toc"><caption>目录</caption><tr><td>一、<strong>总体</strong>情况</td><td>3</td></tr>'
     '<tr><td class="toc-sub">（一）关于进一步加强安全生产应急管理工作的主要做法和经验体会</td><td>12</td></tr>'
     "<tr><td>二、附表</td><td></td></tr></table>"),
])
def test_small_documents_carry_the_same_words(body: str) -> None:
    html = small_html(body)
    docx = render_docx(html, source_name="t.html")
    pdf = render_pdf(html, base_url=FIXTURES, fonts=default_fonts(), source_name="t.html")
    assert normalize(docx_text(docx)) == normalize(pdf_text(pdf, docx_repeated_headers(docx)))


def test_normalize_removes_all_white_space() -> None:
    assert normalize(" 江门\n市\t安委\u3000会 ") == "江门市安委会"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_docx(tmp_path: Path) -> None:
    source = tmp_path / "letter.docx"
    source.write_bytes(letter_docx())
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)], capture_output=True, text=True, timeout=180, check=False)
    converted = tmp_path / "letter.pdf"
    assert result.returncode == 0 and converted.exists(), result.stderr
    words = normalize(pdf_text(converted.read_bytes(), docx_repeated_headers(letter_docx())))
    # LibreOffice's own fonts and spacing, but the same words in the same order.
    assert words == normalize(docx_text(letter_docx()))



@pytest.mark.usefixtures("pdf_engine")
def test_figure_captions_count_in_both_formats_and_alt_text_in_neither() -> None:
    docx, pdf = figure_docx(), figure_pdf()
    words = normalize(docx_text(docx))
    assert words == normalize(pdf_text(pdf, docx_repeated_headers(docx)))
    assert "图1各项任务完成情况（按责任单位计）" in words
    assert words.count("各项任务完成情况") == 1  # the caption; the alt text (各项任务完成情况) is not shown


@pytest.mark.usefixtures("pdf_engine")
def test_figures_in_landscape_attachments_carry_the_same_words() -> None:
    html = small_html(f'<p>正文</p>\n<section class="attachment landscape"><p class="attachment-label">附件</p>\n'
                      f'{figure("图2　<strong>横向</strong>页面中的图", png=chart_png(300, 1500))}\n'
                      f'{figure(caption="")}</section>')
    docx = render_docx(html, source_name="t.html", fonts=default_fonts())
    pdf = render_pdf(html, base_url=FIXTURES, fonts=default_fonts(), source_name="t.html")
    assert normalize(docx_text(docx)) == normalize(pdf_text(pdf, docx_repeated_headers(docx))) == "正文附件图2横向页面中的图"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_places_the_picture_in_the_type_area(tmp_path: Path) -> None:
    tall = chart_png(300, 1500)
    html = small_html("<h2>一、总体进展情况</h2>\n" + figure() + "\n<h2>二、图</h2>\n" + figure("图2　很高的图", png=tall))
    source = tmp_path / "figure.docx"
    source.write_bytes(render_docx(html, source_name="t.html"))
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)], capture_output=True, text=True, timeout=180, check=False)
    converted = tmp_path / "figure.pdf"
    assert result.returncode == 0 and converted.exists(), result.stderr
    images = drawn_images(converted.read_bytes())
    assert [number for number, *_ in images] == [1, 2]  # the tall one moves to page 2, with its heading
    (_, _, left, _, width, height), (_, _, tall_left, _, tall_width, tall_height) = images
    assert abs(left - 28) < 0.2 and abs(width - 156) < 0.2 and abs(height - 60) < 0.2
    assert abs(tall_height - 202) < 0.2 and abs(tall_left + tall_width / 2 - 106) < 0.2
    pages = pdf_pages(converted.read_bytes())
    assert "图2很高的图" in normalize(pages[1]) and "二、图" in pages[1]  # heading, picture and caption together


@pytest.mark.usefixtures("pdf_engine")
def test_compilation_toc_and_parts_carry_the_same_words() -> None:
    docx, pdf = compilation_docx(), compilation_pdf()
    heads = docx_repeated_headers(docx)
    words = normalize(docx_text(docx))
    assert words == normalize(pdf_text(pdf, heads))
    # The 目录 counts in both, entry then number; the dot leaders add nothing (a tab in the DOCX is white space).
    assert words.startswith("目录一、2009年江门市安全生产应急管理综合试点工作总结2一、基本情况2二、主要做法2")
    assert ".." not in words and "…" not in words


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_the_outline_and_numbers_pages_on(tmp_path: Path) -> None:
    source = tmp_path / "compilation.docx"
    source.write_bytes(compilation_docx())
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)], capture_output=True, text=True, timeout=180, check=False)
    converted = (tmp_path / "compilation.pdf").read_bytes()
    assert result.returncode == 0, result.stderr
    # The heading styles' outline levels are LibreOffice's bookmarks too: the same titles and levels as the PDF's.
    # (a title broken between words, titles.py, is one bookmark; LibreOffice reads its line break as a space)
    assert [(normalize(t), level) for t, level, _ in pdf_outline(converted)] == [
        (t, level) for t, level, _ in pdf_outline(compilation_pdf())]
    pages = [normalize(p) for p in pdf_pages(converted)]
    # through the parts and the landscape section, but for the 版记 alone on its even page, and a blank page
    assert all(f"—{n}—" in p for n, p in enumerate(pages, 1) if p and not p.startswith("抄送"))
    # The 目录 page: the words of the PDF's, and a leader per entry (LibreOffice draws dots, which pdftotext reads).
    assert len(re.findall(r"\.{2,}", pages[0])) == 8
    assert re.sub(r"\.{2,}|—1—", "", pages[0]) == re.sub(r"—1—", "", normalize(pdf_pages(compilation_pdf())[0]))
