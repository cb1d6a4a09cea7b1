"""Long titles break between words, never inside a 《》 name, in balanced lines, at the same places in PDF and DOCX."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from pilot_docs.render import render_docx, word_table
from pilot_docs.render.titles import break_titles_html, title_lines, words
from tests.render_fixtures import FIXTURES, default_fonts, render_pdf, small_html

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LETTER = "关于落实2009年江门市开展全国安全生产应急管理综合试点工作方案任务分工的通知"


def _ems(line: str) -> float:
    return sum(1 if ord(c) > 0x2E80 else 0.5 for c in line)


def test_a_title_that_fits_stays_one_line() -> None:
    assert title_lines("关于做好安全生产工作的通知", 156) == ["关于做好安全生产工作的通知"]


def test_a_long_title_breaks_between_words_in_balanced_lines_growing_downwards() -> None:
    lines = title_lines(LETTER, 156)
    assert "".join(lines) == LETTER and len(lines) == 2
    assert lines == ["关于落实2009年江门市开展全国安全生产", "应急管理综合试点工作方案任务分工的通知"]
    assert all(_ems(line) <= 20 for line in lines)  # 20 characters of 2号 fill the 156 mm line
    assert _ems(lines[0]) <= _ems(lines[1]) <= _ems(lines[0]) + 2  # 梯形, near even


def test_numbers_keep_their_unit_and_names_stay_whole() -> None:
    assert "2009年" in words("2009年江门市开展全国安全生产应急管理综合试点")
    title = "关于转发《安全生产应急管理工作规定》和加强全市安全生产应急管理综合试点工作的通知"
    lines = title_lines(title, 156)
    assert len(lines) > 1 and any("《安全生产应急管理工作规定》" in line for line in lines)
    kept = title_lines("江门市安全生产委员会办公室关于江门市安全生产委员会试点工作的通报", 156,
                       ("江门市安全生产委员会办公室", "江门市安全生产委员会"))
    assert all(line.count("江门市安全生产委员会") == ("江门市安全生产委员会" in line) for line in kept)
    assert not any(line.endswith("江门市安全") or line.startswith("生产委员会") for line in kept)


def test_a_name_longer_than_a_line_breaks_between_its_words() -> None:
    title = "关于印发《江门市安全生产应急管理综合试点工作实施方案》的通知"
    lines = title_lines(title, 156)
    assert "".join(lines) == title and all(_ems(line) <= 20 for line in lines)
    assert lines[0].endswith("应急") or lines[0].endswith("管理") or lines[0].endswith("安全生产")


@pytest.mark.usefixtures("pdf_engine")
def test_pdf_and_docx_break_the_title_at_the_same_place() -> None:
    html = small_html(f'<h1 class="title">{LETTER}</h1><p>正文。</p>')
    first, second = title_lines(LETTER, 156)
    assert f"{first}<br>{second}" in break_titles_html(html, 156, 225)
    page = PdfReader(io.BytesIO(render_pdf(html, base_url=FIXTURES, fonts=default_fonts(),
                                           source_name="x.html"))).pages[0]
    text_lines = [line.replace(" ", "") for line in page.extract_text().splitlines() if line.strip()]
    assert text_lines[:2] == [first, second]
    title = Document(io.BytesIO(render_docx(html, source_name="x.html"))).element.body.find(f"{W}p")
    pieces = ["\n" if node.tag == f"{W}br" else node.text for node in title.iter(f"{W}t", f"{W}br")]
    assert "".join(pieces) == f"{first}\n{second}"


def test_landscape_titles_use_the_landscape_line() -> None:
    title = "2009年江门市开展全国安全生产应急管理综合试点工作任务责任分解表"
    html = small_html(f'<section class="attachment landscape"><h1 class="title">{title}</h1></section>')
    lines = title_lines(title, 225)
    assert len(lines) == 2 and all(_ems(line) <= 29 for line in lines)
    assert "<br>".join(lines) in break_titles_html(html, 156, 225)


# --- jieba's words from its dictionary on disk (render/word_table.py) ---------------------------------------------

_JIEBA = word_table.jieba_tokenizer()  # jieba itself, its dictionary in memory
_ALPHABET = st.sampled_from(list(
    "关于落实印发转发年度工作要点方案任务分工的通知报告请示函市区县局委办公室安全生产应急管理综合试点实施加强全"
    "国开展第一二三四十百号期届次和与及等中华人民共和国发展改革" "0123456789０１ABCZabcz.-_#&%+"
    "，。、；：？！（）《》“”〔〕【】…·—  \t\r\n\u3000\u00a0丶𠀀é"))


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> word_table.Segmenter:
    """The segmenter on a table made here, in a cache folder of its own (so the making is tested too)."""
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PILOT_DOCS_CACHE", str(cache))
        segmenter = word_table.segmenter()
    assert isinstance(segmenter.freq, word_table.Frequencies)
    assert segmenter.freq.path.parent == cache and segmenter.freq.path.name.endswith(".sqlite")
    return segmenter


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_ALPHABET, st.sampled_from([w for w, f in list(_JIEBA.FREQ.items())[::997] if f])),
                max_size=30).map("".join))
def test_the_table_on_disk_gives_jiebas_words(table: word_table.Segmenter, text: str) -> None:
    assert list(table.cut(text)) == list(_JIEBA.cut(text, HMM=False))


def test_the_table_holds_jiebas_dictionary_and_its_total(table: word_table.Segmenter) -> None:
    assert table.total == _JIEBA.total
    for key, value in list(_JIEBA.FREQ.items())[::4999]:  # words, and prefixes (frequency 0)
        assert key in table.freq and table.freq[key] == value and table.freq.get(key) == value
    assert "不是一个词语的字串" not in table.freq and table.freq.get("不是一个词语的字串", 7) == 7
    with pytest.raises(KeyError):
        table.freq["不是一个词语的字串"]
    assert list(table.cut(LETTER)) == list(_JIEBA.cut(LETTER, HMM=False))


def test_without_a_writable_cache_the_dictionary_is_loaded_in_memory(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("PILOT_DOCS_CACHE", str(blocked))
    segmenter = word_table.segmenter()
    assert not isinstance(segmenter.freq, word_table.Frequencies) and segmenter.total == _JIEBA.total
    assert list(segmenter.cut(LETTER)) == list(_JIEBA.cut(LETTER, HMM=False))
    assert list(tmp_path.iterdir()) == [blocked]  # no half-made table left


def test_a_table_that_cannot_be_read_is_made_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                   table: word_table.Segmenter) -> None:
    monkeypatch.setenv("PILOT_DOCS_CACHE", str(tmp_path))
    broken = tmp_path / table.freq.path.name
    broken.write_bytes(b"not a database")
    segmenter = word_table.segmenter()
    assert isinstance(segmenter.freq, word_table.Frequencies) and segmenter.freq.path == broken
    assert segmenter.total == _JIEBA.total and list(segmenter.cut(LETTER)) == list(_JIEBA.cut(LETTER, HMM=False))
