"""What `check` accepts, `build` makes (hypothesis): tables with line breaks, long names and odd characters in every
field — task, content, units, deadline, people, remarks, extra columns, section rows, merged task cells — are either
refused by the reader with our own error, or built (annex, letters, forms and the progress report; as HTML for
many tables, as PDF and DOCX for a few) without an internal error."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from pilot_docs.build.jobs import project_fonts
from pilot_docs.build.pipeline import build
from pilot_docs.errors import SourceError
from pilot_docs.source.printable import unprintable
from pilot_docs.source.project import find_project, load_model
from tests.helpers import HEADER, run_cli, write_workbook

ODD = ["\n", "\n\n", " ", "\u3000", "\u2028", "e\u0301", "《", "》", "《》", "<b>", "&amp;",
       "{{ x }}", "{% if %}", "%", "\\", "/", "..", "CON", "：", "。", "、", "（牵头）", "牵头单位：", "；配合单位：",
       "等", "等部门", "一、", "（一）", "(1)", "①", "3.", "ﬀ", "\t", "‐", "—", "……", "“", "”", "'", '"']
NAMES = ["市财政局", "市税务局", "区住建局", "交通局", "市交通局", "各市、区人民政府", "市司法局(普法办、法制办)"]
DEADLINES = ["10月底前", "年底前", "3月底前完成方案；9月底前试点；年底前推开", "2024年底前", "持续推进", "每季度",
             "尽快", "", "2009年6月30日", "上半年"]


def examples(n: int) -> settings:
    return settings(max_examples=n, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


ALPHABET = "建设公园道路改造方案试点推进完成市区县局委办ABCxyz0123456789.,;:!?()[]<>&#%*-_=+|~^`$@（）【】〔〕《》“”‘’—…·"
RARE = ["😀", "\u200b", "\u202e", "\ue000", "𠀀"]  # no font draws some of these: `check` must refuse them
words = st.lists(st.sampled_from(ODD) | st.text(ALPHABET, min_size=1, max_size=4) | st.sampled_from(NAMES)
                 , min_size=1,
                 max_size=5).map(lambda parts: _clean("".join(parts)))
long_words = st.sampled_from(["很长的名称" * 60, "任务" * 200, "甲" * 2000])
rare_text = st.tuples(words, st.sampled_from(RARE)).map(lambda t: t[0] + t[1])
plain_text = st.one_of(words, words, words, words, long_words, st.sampled_from(ODD).map(_clean))
field_text = st.sampled_from([False] * 79 + [True]).flatmap(lambda rare: rare_text if rare else plain_text)  # a rare one now and then
units_text = st.one_of(
    st.lists(st.sampled_from(NAMES) | words, min_size=1, max_size=4).map(lambda u: "、".join(u)),
    st.sampled_from(NAMES).map(lambda n: f"牵头单位：{n}；配合单位：市税务局等"),
    st.sampled_from(NAMES).map(lambda n: f"{n}牵头，交通局配合。"),
    long_words.map(lambda w: w[:300] + "局"))
content_text = st.sampled_from([False] * 79 + [True]).flatmap(
    lambda rare: rare_text if rare else st.one_of(words, words, words, long_words))
HEADERS = ["序号", "重点工作", "落实措施", "承办单位", "协助单位", "推进时限", "责任领导", "备注", "督办意见"]


@st.composite
def tables(draw, printable: bool = False) -> Workbook:
    """A table of the office's columns; `printable`: no character that no font draws."""
    field = plain_text if printable else field_text
    content = st.one_of(words, words, words, long_words) if printable else content_text
    wb = Workbook()
    ws = wb.active
    ws.title = "表"
    ws.append([_clean("2009年" + draw(words))])
    ws.append(HEADERS)
    r = 3
    for n in range(draw(st.integers(1, 5))):
        if draw(st.integers(0, 5)) == 0:
            ws.cell(r, 1, _clean("一、" + draw(words)))
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(HEADERS))
            r += 1
        rows = draw(st.integers(1, 3))
        for k in range(rows):
            ws.cell(r + k, 1, n + 1 if k == 0 else draw(st.sampled_from([None, f"（{k + 1}）", k + 1])))
            if k == 0:
                ws.cell(r, 2, draw(field))
            ws.cell(r + k, 3, draw(content))
            ws.cell(r + k, 4, draw(units_text))
            ws.cell(r + k, 5, draw(st.none() | units_text))
            ws.cell(r + k, 6, draw(st.sampled_from(DEADLINES) | field))
            for c in (7, 8, 9):
                ws.cell(r + k, c, draw(st.none() | field))
        if rows > 1:
            ws.merge_cells(start_row=r, start_column=2, end_row=r + rows - 1, end_column=2)
        r += rows
    return wb


def _accepted(wb: Workbook, root: Path) -> Path | None:
    if root.exists():
        shutil.rmtree(root)
    (root / "source").mkdir(parents=True)
    path = root / "source" / "t.xlsx"
    wb.save(path)
    try:
        project = find_project(path)
        model, _ = load_model(project, 2009)
    except SourceError:
        event("refused")
        return None
    if unprintable(model, project_fonts(project)):  # what `check` refuses besides the reader
        event("refused: a character no font draws")
        return None
    event("accepted")
    return path


KINDS = ("annex", "letter", "form", "progress")


@examples(40)
@given(tables())
def test_what_check_accepts_builds_as_html(tmp_path_factory: pytest.TempPathFactory, wb: Workbook) -> None:
    root = tmp_path_factory.mktemp("t")
    path = _accepted(wb, root / "p")
    if path is None:
        return
    result = build(path, root / "out", only=KINDS, formats=("html",), year=2009, as_of=dt.date(2009, 11, 1),
                   workers=1)
    assert any(o.kind == "letter" for o in result.outputs)


@examples(4)
@given(tables(printable=True))
def test_what_check_accepts_builds_as_pdf_and_docx(tmp_path_factory: pytest.TempPathFactory, wb: Workbook) -> None:
    root = tmp_path_factory.mktemp("t")
    path = _accepted(wb, root / "p")
    if path is None:
        return
    build(path, root / "out", only=("annex", "progress"), formats=("docx", "pdf"), year=2009,
          as_of=dt.date(2009, 11, 1), workers=1)


def test_a_task_title_over_two_lines_builds(tmp_path: Path) -> None:
    """The progress report's chart drew task titles with Pillow, which refuses multiline text."""
    rows = [HEADER, [1, "推进应急\n指挥平台建设", "内容", "市财政局", "10月"]]
    path = write_workbook(tmp_path / "source" / "t.xlsx", {"S": rows})
    result = build(path, tmp_path / "out", only=("progress",), formats=("pdf",), year=2009,
                   as_of=dt.date(2009, 11, 1), workers=1)
    assert [o.kind for o in result.outputs] == ["progress"]


def test_check_refuses_what_no_font_draws(tmp_path: Path) -> None:
    rows = [HEADER, [1, "任务", "内容\ue000", "市财政局", "10月"]]
    write_workbook(tmp_path / "source" / "t.xlsx", {"S": rows})
    done = run_cli("check", "--source", str(tmp_path), "--year", "2009")
    assert done.exit_code == 1
    first = done.stderr.splitlines()[0]
    assert first.endswith("t.xlsx!S!C2: the content holds the character '\ue000' (U+E000), which no configured "
                          "font draws (仿宋_GB2312 → " + first.split("仿宋_GB2312 → ")[1])
    assert "([fonts] in pilot-docs.toml)" in first
