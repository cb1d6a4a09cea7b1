"""The agencies' own year-end summaries in the compiled volume (source/summaries/, issue 15 item 5): files checked
as returns are, each one a part after our summary with its bookmark, 目录 entry and our page numbers, composed
into the DOCX volume with its styles; who sent none listed; the volume rebuilt when a file changes."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from pypdf import PdfReader, PdfWriter

from pilot_docs.build.pipeline import build
from pilot_docs.documents.own_summaries import find_summaries
from pilot_docs.errors import SourceError
from pilot_docs.render import docx_text, normalize
from pilot_docs.render.typst import ENGINES
from pilot_docs.source.project import find_project, load_model
from tests.helpers import REPO, pdf_outline

VOLUME = "summary/年度汇编合订本-2009"
DOCX_TITLE = "江门市安全生产监督管理局2009年度安全生产应急管理工作总结"
PDF_TITLE = "蓬江区2009年度应急管理工作总结"


def seed_copy(root: Path) -> Path:
    shutil.copytree(REPO / "source", root / "source", ignore=shutil.ignore_patterns("summaries"))
    shutil.copy(REPO / "pilot-docs.toml", root / "pilot-docs.toml")
    (root / "source" / "summaries").mkdir()
    return root


def make_docx(path: Path, title: str, paragraphs: int = 30) -> None:
    """A real Word document with a style of its own (总结正文, 楷体 14 pt) that the DOCX volume must keep."""
    document = Document()
    style = document.styles.add_style("总结正文", 1)
    style.font.size = Pt(14)
    style.font.name = "楷体"
    document.add_heading(title, 1)
    for n in range(paragraphs):
        document.add_paragraph(f"第{n + 1}段：今年以来，我局认真落实应急管理综合试点各项任务，成效明显。" * 3,
                               style="总结正文")
    document.save(path)


def make_pdf(path: Path, title: str, marker: str = "全区应急管理工作稳步推进") -> None:
    """A real PDF of three pages (the third landscape), as an agency's own export would be."""
    from weasyprint import HTML

    HTML(string=f"""<html><head><style>@page wide {{ size: A4 landscape }} body {{ font-family: 'Noto Sans CJK SC' }}
        </style></head><body><h1>{title}</h1>{f'<p>{marker}。</p>' * 8}
        <p style="break-before: page">第二页正文。</p><p style="page: wide">横排的统计表。</p></body></html>""").write_pdf(path)


def encrypted_pdf(path: Path) -> None:
    buffer = io.BytesIO()
    from weasyprint import HTML

    HTML(string="<p>secret</p>").write_pdf(buffer)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    writer.encrypt("password")
    writer.write(path)


def zip_bomb(path: Path) -> None:
    """A .docx whose document part inflates to 60 MB of zeros from a few dozen KB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (60 * 2**20))


def entity_bomb(path: Path) -> None:
    """A .docx (otherwise real) whose document part declares entities."""
    buffer = io.BytesIO()
    make_docx(buffer, "x", 1)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>', 1)
            target.writestr(info, data)


def test_files_are_named_by_agency_and_hostile_ones_refused(tmp_path: Path) -> None:
    root = seed_copy(tmp_path)
    folder = root / "source" / "summaries"
    make_docx(folder / "市安监局.docx", DOCX_TITLE, 2)  # short name
    make_pdf(folder / "江门市蓬江区人民政府.pdf", PDF_TITLE)  # full name
    make_docx(folder / "市司法局(普法办).docx", "司法局总结", 1)  # an alias
    zip_bomb(folder / "市公安局.docx")
    encrypted_pdf(folder / "市财政局.pdf")
    (folder / "市建设局.pdf").write_text("this is not a PDF", encoding="utf-8")
    (folder / "市教育局.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    entity_bomb(folder / "市质监局.docx")
    make_pdf(folder / "市安监局.pdf", "second")  # a second file for one agency
    make_pdf(folder / "市安检局ZZ.pdf", "unknown")  # no such agency
    (folder / "说明.txt").write_text("notes", encoding="utf-8")
    (folder / "~$安监局.docx").write_bytes(b"lock")  # Word's lock file: not looked at
    project = find_project(root)
    model, _ = load_model(project)
    warnings: list = []
    own = find_summaries(project, model, warnings)
    assert own is not None
    assert [(s.agency, s.format) for s in own.parts] == [("蓬江区人民政府", "pdf"), ("市安监局", "docx"),
                                                         ("市司法局", "docx")]
    assert own.parts[1].file == "source/summaries/市安监局.docx"
    assert set(own.refused) == {"市公安局", "市财政局", "市建设局", "市教育局", "市质监局"}
    assert set(own.refused) <= set(own.missing) and "市安监局" not in own.missing
    assert len(own.missing) == len(model.agencies) - 3
    said = {str(w.location).rsplit("/", 1)[-1]: w.message for w in warnings}
    assert all(w.severity == "warning" and "\n" not in str(w) for w in warnings)
    assert "zip bomb" in said["市公安局.docx"]
    assert "password-protected (encrypted) PDF" in said["市财政局.pdf"]
    assert "not a PDF document: it is a text file" in said["市建设局.pdf"]
    assert "old Word .doc" in said["市教育局.docx"]
    assert "entity bomb" in said["市质监局.docx"]
    assert "second summary of 市安监局" in said["市安监局.pdf"]
    assert "names no agency of the table" in said["市安检局ZZ.pdf"]
    assert "not a .docx or .pdf" in said["说明.txt"]
    assert "~$安监局.docx" not in said
    assert find_summaries(find_project(seed_copy(tmp_path / "none")), model, []).parts == []
    shutil.rmtree(tmp_path / "none" / "source" / "summaries")
    assert find_summaries(find_project(tmp_path / "none"), model, []) is None  # no folder: the volume as it was


def test_a_docx_summary_without_libreoffice_is_an_error_naming_it(monkeypatch) -> None:
    from pilot_docs.render import external

    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(external, "_CONVERTED", {})
    with pytest.raises(SourceError) as raised:
        external.docx_to_pdf(b"PK...", "source/summaries/市安监局.docx")
    message = str(raised.value.format_message() if hasattr(raised.value, "format_message") else raised.value)
    assert "source/summaries/市安监局.docx" in message and "soffice is not installed" in message
    assert "\n" not in message


@pytest.fixture(scope="module", params=ENGINES)
def built(tmp_path_factory, request: pytest.FixtureRequest) -> tuple[Path, Path, object]:
    """The seed with two agencies' own summaries (a .docx and a .pdf) and a bad file, built with each PDF engine."""
    root = seed_copy(tmp_path_factory.mktemp("own"))
    with (root / "pilot-docs.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[render]\npdf_engine = "{request.param}"\n')
    folder = root / "source" / "summaries"
    make_docx(folder / "市安监局.docx", DOCX_TITLE)
    make_pdf(folder / "江门市蓬江区人民政府.pdf", PDF_TITLE)
    (folder / "市建设局.pdf").write_bytes(b"GIF89a not a pdf")
    out = root / "build"
    result = build(root, out, only=("volume", "index"))
    return root, out, result


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def number_box(pdf: Path, page: int) -> tuple[float, float]:
    """Where the page number "— N —" of a page sits (x of its first dash, y of its baseline box), in points."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)<', html)
    for i, (_x, _y, word) in enumerate(words[:-2]):
        if word == "—" and words[i + 1][2] == str(page) and words[i + 2][2] == "—":
            return float(words[i][0]), float(words[i][1])
    raise AssertionError(f"no page number on page {page}")


def test_volume_pdf_takes_each_summary_as_a_part(built) -> None:
    _, out, result = built
    pdf = out / f"{VOLUME}.pdf"
    marks = pdf_outline(pdf)
    parts = [t for t, level, _ in marks if level == 1][1:]
    assert parts == ["第一部分　年度总结", "第二部分　各单位年度总结", "第三部分　任务责任分解表",
                     "第四部分　各单位进度反馈"]
    own = [(t, p) for t, level, p in marks if t.endswith("年度工作总结")]
    assert [t for t, _ in own] == ["蓬江区人民政府年度工作总结", "市安监局年度工作总结"]
    pages = page_texts(pdf)
    for title, page in own:
        assert page % 2 == 1  # each part starts on a right-hand page
    assert PDF_TITLE in pages[own[0][1] - 1] and DOCX_TITLE in normalize(pages[own[1][1] - 1])
    assert own[1][1] - own[0][1] >= 3  # the PDF's three pages (and a blank one to start on an odd page)
    # page numbers run on through the foreign pages; a blank page before a part carries none
    for n, text in enumerate(pages, 1):
        found = re.findall(r"—\s*(\d+)\s*—", text)
        assert (found and found[-1] == str(n)) or not text.strip(), n
    # stamped exactly where ours are: same side, same place (odd right, even left)
    ours_odd, ours_even = number_box(pdf, own[0][1] - 2), number_box(pdf, 2)
    first = own[0][1]
    assert number_box(pdf, first) == pytest.approx(ours_odd, abs=0.6)
    assert number_box(pdf, first + 1) == pytest.approx(ours_even, abs=0.6)
    reader = PdfReader(pdf)
    wide = reader.pages[first + 1]
    assert float(wide.mediabox.width) > float(wide.mediabox.height)  # the agency's landscape page stays so
    annex = next(p for t, _, p in marks if t == "第三部分　任务责任分解表")
    assert number_box(pdf, first + 2)[1] == pytest.approx(number_box(pdf, annex + (annex % 2 == 0))[1], abs=0.6)
    # the 目录 names each part on its bookmark's page
    flat = normalize(pages[1] + pages[2])
    for title, page in own:
        assert re.search(re.escape(normalize(title)) + r"(\d+)", flat).group(1) == str(page)
    # who sent none, and the file that could not be taken
    overview = normalize(pages[next(p for t, _, p in marks if t == "第二部分　各单位年度总结") - 1])
    assert "未报送年度工作总结的单位" in overview and "市建设局" in overview and "江海区人民政府" in overview
    assert "市建设局报送的文件无法读取" in overview
    assert any("市建设局.pdf" in str(w) and "not taken into the volume" in str(w) for w in result.warnings)


def test_volume_docx_composes_the_summaries_with_their_styles(built) -> None:
    _, out, _ = built
    data = (out / f"{VOLUME}.docx").read_bytes()
    text = docx_text(data)
    start = text.index("本部分收录")  # after the 目录
    assert start < text.index("市安监局年度工作总结", start) < text.index(DOCX_TITLE) < text.index("第三部分", start)
    assert text.count("今年以来，我局认真落实应急管理综合试点各项任务") == 90
    assert "江门市蓬江区人民政府报送的年度工作总结为PDF文件，收录于本汇编的PDF本" in text
    document = Document(io.BytesIO(data))
    body = [p for p in document.paragraphs if p.text.startswith("第1段")]
    assert body and body[0].style.name == "总结正文" and body[0].style.font.size == Pt(14)
    # the agency's text sits in the portrait section of its part, not in the landscape annex's
    section_of = _sections_by_paragraph(document)
    assert section_of[body[0]._p] == section_of[_heading(document, "市安监局年度工作总结")]
    assert section_of[body[0]._p] != section_of[_heading(document, "第三部分　任务责任分解表")]


def _heading(document, text: str):
    return next(p._p for p in document.paragraphs if p.text == text)


def _sections_by_paragraph(document) -> dict:
    from docx.oxml.ns import qn

    out, section = {}, 0
    for p in document.element.body.iter(qn("w:p")):
        out[p] = section
        ppr = p.find(qn("w:pPr"))
        if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
            section += 1
    return out


def test_index_lists_who_sent_no_summary(built) -> None:
    _, out, _ = built
    index = (out / "index.html").read_text(encoding="utf-8")
    line = re.search(r'<li id="own-summaries">(.*?)</li>', index).group(1)
    assert "收录2份" in line and "市建设局" in line and "江海区人民政府" in line and "市安监局" not in line


def test_a_new_or_changed_summary_rebuilds_the_volume_same_bytes_otherwise(built, tmp_path: Path) -> None:
    root, out, _ = built
    again = build(root, out, only=("volume",))
    assert again.rendered == []  # nothing changed: nothing laid out again
    fresh = build(root, tmp_path / "fresh", only=("volume",))
    assert sorted(fresh.rendered) == [f"{VOLUME}.docx", f"{VOLUME}.pdf"]
    for fmt in ("pdf", "docx"):  # same input, same bytes (LibreOffice's layout included)
        assert (tmp_path / "fresh" / f"{VOLUME}.{fmt}").read_bytes() == (out / f"{VOLUME}.{fmt}").read_bytes()
    make_pdf(root / "source" / "summaries" / "江门市蓬江区人民政府.pdf", PDF_TITLE, "第二稿修改后的内容")
    changed = build(root, tmp_path / "fresh", only=("volume",))
    assert sorted(changed.rendered) == [f"{VOLUME}.docx", f"{VOLUME}.pdf"]
    assert "第二稿修改后的内容" in normalize("".join(page_texts(tmp_path / "fresh" / f"{VOLUME}.pdf")))
