"""The progress report end to end: forms built, filled as an agency would, collected, reported as of a date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document as Docx

from pilot_docs.build.pipeline import build
from pilot_docs.render import docx_repeated_headers, docx_text, normalize, pdf_text
from pilot_docs.returns.collect import collect
from tests.helpers import REPO, run_cli
from tests.progress_helpers import fill_form, seed_project


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("loop")
    root = seed_project(tmp)
    out = root / "build"
    build(root, out, only=("form",))
    forms = out / "forms"
    filled = [
        fill_form(root, "市编办", {"1.1": ("已完成", dt.date(2009, 6, 18), "编制已批复", "", "李四")},
                  dt.date(2009, 6, 20)),
        fill_form(root, "市安监局", {"1.1": ("已完成", dt.date(2009, 6, 26), "已挂牌", "", "张三"),
                                     "2.1": ("推进中", None, "汇编中", "", "张三")}, dt.date(2009, 6, 29)),
        fill_form(root, "市财政局", {"1.1": ("推进中", None, "经费待批", "预算未调整", "王五")}, dt.date(2009, 6, 30)),
    ]
    assert (forms / "进度反馈表-市编办.xlsx").is_file()
    result = collect(filled, root, dt.datetime(2009, 7, 1))
    assert len(result.added) == 4 and not result.refused
    build(root, out, only=("progress",), as_of=dt.date(2009, 7, 1))
    return out


def report_text(out: Path) -> str:
    return docx_text((out / "reports" / "进度通报-2009-07-01.docx").read_bytes())


def test_report_figures_and_overdue_items(round_trip: Path) -> None:
    text = report_text(round_trip)
    assert "截至2009年7月1日，共有3个单位报送了进展情况；已完成2项具体任务" in text
    assert "有1项工作内容已过完成时间仍未全部完成" in text
    doc = Docx(str(round_trip / "reports" / "进度通报-2009-07-01.docx"))
    overdue = doc.tables[2]
    rows = [[c.text for c in r.cells] for r in overdue.rows]
    assert rows[0] == ["编号", "工作内容", "完成时间", "未完成单位（进展状态）"]
    assert [r[0] for r in rows[1:]] == ["1.1"]
    assert rows[1][3] == "市财政局（推进中）"
    assert rows[1][2] == "上半年前（2009年6月30日）"


def test_report_as_of_a_later_date(round_trip: Path) -> None:
    root = round_trip.parent
    build(root, round_trip, only=("progress",), as_of=dt.date(2009, 11, 1))
    doc = Docx(str(round_trip / "reports" / "进度通报-2009-11-01.docx"))
    overdue = [r.cells[0].text for r in doc.tables[2].rows][1:]
    # every item due by October is overdue unless all its units reported 已完成
    assert overdue == ["1.1", "2.1", "3.1", "6.1", "7.1", "7.2", "8.1", "8.2", "8.3", "9.1"]


def test_report_docx_and_pdf_say_the_same(round_trip: Path) -> None:
    docx_bytes = (round_trip / "reports" / "进度通报-2009-07-01.docx").read_bytes()
    pdf_bytes = (round_trip / "reports" / "进度通报-2009-07-01.pdf").read_bytes()
    assert normalize(docx_text(docx_bytes)) == normalize(pdf_text(pdf_bytes, docx_repeated_headers(docx_bytes)))
    assert len(Docx(str(round_trip / "reports" / "进度通报-2009-07-01.docx")).inline_shapes) == 2


def test_embedded_demo_report(tmp_path: Path) -> None:
    result = run_cli("build", "--source", str(REPO), "--out", str(tmp_path), "--only", "progress",
                     "--as-of", "2009-07-01")
    assert result.exit_code == 0, result.output
    text = report_text(tmp_path)
    assert "本通报依据示例数据生成" in text
    assert "共有19个单位报送了进展情况" in text
