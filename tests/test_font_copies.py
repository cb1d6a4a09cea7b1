"""Working copies of the fonts (GB 2312): same names, metrics and glyphs; pages identical; rare characters still drawn."""

from __future__ import annotations

import io
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

import pilot_docs.render.pdf as pdf_module
from pilot_docs.render.font_copies import cache_folders, covers, repertoire, working_copy
from pilot_docs.render.glyphs import cmap
from pilot_docs.render.vocabulary import FANGSONG, HEITI, KAITI, XIAOBIAOSONG
from tests.render_fixtures import FIXTURES, default_fonts, letter_html, small_html


@pytest.fixture
def fresh_copies(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Working copies made anew in a folder of the test's own."""
    monkeypatch.setenv("PILOT_DOCS_CACHE", str(tmp_path / "cache"))
    working_copy.cache_clear()
    yield tmp_path / "cache" / "fonts"
    working_copy.cache_clear()


def test_the_repertoire_is_gb2312_and_the_punctuation_of_documents() -> None:
    have = repertoire()
    assert len(have) > 7400
    for char in "中华人民共和国江门市安全生产监督管理局，。：；（）〔〕《》、“”—…①Ⅰ０Ａａ％A1é":
        assert ord(char) in have, char
    assert covers(["江府办〔2009〕12号", "2009年6月30日", "— 3 —"])
    assert not covers(["王堃同志"])  # 堃 (U+5803) is GBK, not GB 2312
    assert not covers(["\U0002C317"])


def test_a_working_copy_keeps_names_and_metrics_and_only_the_repertoire(fresh_copies: Path) -> None:
    original = default_fonts().faces(FANGSONG)[0]
    copy = working_copy(original)
    assert Path(copy.path).parent == fresh_copies and copy.index == 0
    assert Path(copy.path).stat().st_size < Path(original.path).stat().st_size / 3
    # every character of the repertoire the face has (and their mirror images, which HarfBuzz keeps), no other
    assert cmap(original) & repertoire() <= cmap(copy) <= cmap(original)
    source = TTFont(original.path, fontNumber=original.index, lazy=True)
    made = TTFont(copy.path, lazy=True)
    assert made["name"].getDebugName(1) == source["name"].getDebugName(1)
    assert made["name"].getDebugName(6) == source["name"].getDebugName(6)
    assert made["OS/2"].usWeightClass == source["OS/2"].usWeightClass
    assert made["head"].unitsPerEm == source["head"].unitsPerEm
    for char in "中，〔A":
        assert made["hmtx"][made.getBestCmap()[ord(char)]] == source["hmtx"][source.getBestCmap()[ord(char)]]
    # made once: a second process (here: a cleared cache) finds the file and does not write it again
    stamp = Path(copy.path).stat().st_mtime_ns
    working_copy.cache_clear()
    assert working_copy(original).path == copy.path and Path(copy.path).stat().st_mtime_ns == stamp


def test_an_unwritable_cache_folder_falls_back_to_the_temporary_folder(monkeypatch: pytest.MonkeyPatch,
                                                                        tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.delenv("PILOT_DOCS_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    working_copy.cache_clear()
    try:
        copy = working_copy(default_fonts().faces(HEITI)[0])
    finally:
        working_copy.cache_clear()
    assert Path(copy.path).parent == cache_folders()[1] and Path(copy.path).is_relative_to(tmp_path / "tmp")


def _pages(data: bytes, folder: Path, name: str) -> list[bytes]:
    (folder / f"{name}.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(folder / f"{name}.pdf"), str(folder / name)], check=True)
    return [p.read_bytes() for p in sorted(folder.glob(f"{name}-*.pgm"))]


def test_pages_laid_out_from_the_copies_are_those_of_the_fonts_themselves(monkeypatch: pytest.MonkeyPatch,
                                                                           tmp_path: Path) -> None:
    html = letter_html()  # masthead, title, headings, body, tables: every standard font
    used: list[bool] = []
    configuration = pdf_module.font_configuration
    monkeypatch.setattr(pdf_module, "font_configuration",
                        lambda fonts, copies=False: used.append(copies) or configuration(fonts, copies))
    fast = pdf_module.render_pdf(html, base_url=FIXTURES, fonts=default_fonts(), source_name="letter.html")
    monkeypatch.setattr(pdf_module, "covers", lambda texts: False)
    whole = pdf_module.render_pdf(html, base_url=FIXTURES, fonts=default_fonts(), source_name="letter.html")
    assert used == [True, False]
    assert len(fast) < len(whole)
    assert _pages(fast, tmp_path, "fast") == _pages(whole, tmp_path, "whole") != []
    text = [[page.extract_text() for page in PdfReader(io.BytesIO(d)).pages] for d in (fast, whole)]
    assert text[0] == text[1]
    fonts = [sorted(str(f["/BaseFont"]).split("+")[1] for page in PdfReader(io.BytesIO(d)).pages
                    for f in page["/Resources"]["/Font"].values()) for d in (fast, whole)]
    assert fonts[0] == fonts[1]


@pytest.mark.parametrize("font", [FANGSONG, XIAOBIAOSONG, KAITI])
def test_a_character_outside_gb2312_is_drawn_from_the_fonts_themselves(monkeypatch: pytest.MonkeyPatch,
                                                                        font: str) -> None:
    used: list[bool] = []
    configuration = pdf_module.font_configuration
    monkeypatch.setattr(pdf_module, "font_configuration",
                        lambda fonts, copies=False: used.append(copies) or configuration(fonts, copies))
    body = {FANGSONG: "<p>王堃同志</p>", XIAOBIAOSONG: "<h1>王堃同志</h1>", KAITI: "<h3>王堃同志</h3>"}[font]
    data = pdf_module.render_pdf(small_html(body), base_url=FIXTURES, fonts=default_fonts(), source_name="x.html")
    assert used == [False]
    assert "王堃同志" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_text_that_css_prints_counts_and_only_collapsible_space_is_passed_over(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not covers(["第一\u1680第二"])  # a space character outside the repertoire is drawn: not passed over
    used: list[bool] = []
    configuration = pdf_module.font_configuration
    monkeypatch.setattr(pdf_module, "font_configuration",
                        lambda fonts, copies=False: used.append(copies) or configuration(fonts, copies))
    html = small_html("<p>正文</p>").replace("</head>", '<style>p::after { content: "堃" }</style></head>')
    assert "<style>" in html
    pdf_module.render_pdf(html, base_url=FIXTURES, fonts=default_fonts(), source_name="x.html")
    pdf_module.render_pdf(small_html("<p>正文</p>"), base_url=FIXTURES, fonts=default_fonts(), source_name="x.html")
    assert used == [False, True]
