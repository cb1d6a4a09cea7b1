"""The year-end summary (DOCX and PDF) and the compiled volume (PDF): 目录 page numbers, bookmarks, parity."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from pilot_docs.build.pipeline import build
from pilot_docs.render import docx_text, normalize, pdf_text
from pilot_docs.render.typst import ENGINES
from tests.helpers import REPO, assert_same_words
from tests.helpers import pdf_outline as outline


@pytest.fixture(scope="module", params=ENGINES)
def summary(tmp_path_factory, request: pytest.FixtureRequest) -> Path:
    """The seed's summary and volume, made with each PDF engine."""
    out = tmp_path_factory.mktemp("summary")
    result = build(REPO, out, only=("summary", "volume"), pdf_engine=request.param)
    assert result.count("summary") == 1 and result.count("volume") == 1
    return out / "summary"


def page_numbers(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [re.findall(r"—\s*(\d+)\s*—", page)[-1] for page in text.split("\f") if page.strip()]


def toc(text: str, titles: list[str]) -> dict[str, int]:
    """Page numbers the 目录 gives each title (the entry, then its number)."""
    flat = normalize(text)
    return {t: int(m.group(1)) for t in titles if (m := re.search(re.escape(normalize(t)) + r"(\d+)", flat))}


def test_summary_toc_matches_its_bookmarks(summary: Path) -> None:
    pdf = summary / "年度总结汇编-2009.pdf"
    marks = outline(pdf)
    titles = [t for t, level, _ in marks if level >= 2]
    assert titles[:3] == ["一、总体情况", "二、各项任务完成情况", "（一）推进安全生产应急指挥机构建设"]
    assert titles[-2:] == ["三、各单位完成情况", "四、未完成事项"]
    pages = toc(pdf_text(pdf.read_bytes()), titles)
    assert pages == {t: p for t, _, p in marks if t in titles}  # every 目录 number is the bookmark's page
    docx = (summary / "年度总结汇编-2009.docx").read_bytes()
    assert toc(docx_text(docx), titles) == pages


def test_summary_says_the_same_in_both_formats(summary: Path) -> None:
    docx = (summary / "年度总结汇编-2009.docx").read_bytes()
    pdf = (summary / "年度总结汇编-2009.pdf").read_bytes()
    assert_same_words(docx, pdf, "年度总结汇编")
    text = docx_text(docx)
    assert "截至2009年12月31日" in text and "指挥中心已挂牌运作" in text  # the units' own words from the ledger


def test_volume_parts_bookmarks_and_continuous_pages(summary: Path) -> None:
    pdf = summary / "年度汇编合订本-2009.pdf"
    marks = outline(pdf)
    parts = [(t, p) for t, level, p in marks if t.startswith("第") and "部分" in t]
    assert [t for t, _ in parts] == ["第一部分　年度总结", "第二部分　任务责任分解表", "第三部分　各单位进度反馈"]
    reader = PdfReader(pdf)
    annex_page = reader.pages[parts[1][1] - 1]
    assert float(annex_page.mediabox.width) > float(annex_page.mediabox.height)  # the annex part is landscape
    numbers = page_numbers(pdf)
    assert numbers == [str(n) for n in range(1, len(reader.pages) + 1)]
    agencies = [t for t, level, _ in marks if level == 2 and t.endswith(("局", "办", "部", "政府"))]
    assert len(agencies) == 41 and agencies[0] == "蓬江区人民政府"
    # the volume has a DOCX too (issue 15 item 5), saying what the PDF says
    assert_same_words((summary / "年度汇编合订本-2009.docx").read_bytes(), pdf.read_bytes(), "年度汇编合订本")


def words_in(pdf: Path, page: int, rect) -> str:
    """The words pdftotext finds inside a rectangle (PDF points from the lower left) of a page, in order."""
    text = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', text).group(1))
    x0, y0, x1, y1 = (float(v) for v in rect)
    found = []
    for xmin, ymin, xmax, ymax, word in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', text):
        middle_y = height - (float(ymin) + float(ymax)) / 2  # pdftotext counts from the top
        if x0 <= (float(xmin) + float(xmax)) / 2 <= x1 and y0 <= middle_y <= y1:
            found.append(word)
    return "".join(found)


@pytest.mark.parametrize("name", ["年度总结汇编-2009.pdf", "年度汇编合订本-2009.pdf"])
def test_toc_entries_are_links_to_their_bookmarks_pages(summary: Path, name: str) -> None:
    """Issue 13 item 5: each 目录 row of the PDF is a link to the page of the heading it names (the outline's),
    though the PDF is laid out part by part and joined; the outline stays."""
    pdf = summary / name
    marks = outline(pdf)
    reader = PdfReader(pdf)
    links = []
    for number, page in enumerate(reader.pages, 1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                links.append((number, annotation["/Rect"], reader.get_page_number(annotation["/Dest"][0]) + 1))
    entries = [(t, p) for t, level, p in marks if level >= 2 or "部分" in t]
    assert len(links) == len(entries) > 10
    pages = dict(entries)
    for number, rect, target in links:
        assert number <= 4  # on the 目录's pages
        row = normalize(words_in(pdf, number, rect))
        entry, printed = re.fullmatch(r"(.*?)(\d+)", row).groups()
        title = next(t for t in pages if normalize(t) == entry)
        assert target == pages[title] == int(printed), (row, target)
