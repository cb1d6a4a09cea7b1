"""The annex is the office's own table (its headers as typed, in its order, 牵头 and 配合 apart, extra columns and
section rows kept), and the letters say roles, milestones and people where the table gave them, and nothing odd
where it did not."""

from __future__ import annotations

import re
from pathlib import Path

from pilot_docs.build.pipeline import build
from pilot_docs.documents.annex import annex
from pilot_docs.documents.letter import letter
from pilot_docs.render import docx_text, normalize, pdf_text
from pilot_docs.render.templating import environment, render_template
from pilot_docs.source.project import find_project, load_model
from tests.helpers import assert_same_words, write_workbook

OFFICE = ["序号", "重点任务", "工作措施", "牵头单位", "配合单位", "完成时限", "责任领导", "备注"]
ROWS = [["2021年某区重点工作任务分解表"], OFFICE, ["一、优化营商环境"],
        [1, "推进政务服务改革", "1.建设一网通办平台", "区政务服务中心", "区大数据局、区财政局",
         "3月底前完成方案；9月底前上线试运行；年底前全面推开", "张三", "重点"],
        [None, None, "2.压减审批时限", "区政务服务中心", "区发改局等", "年底前", "张三", None],
        [2, "降低企业成本", "落实减税降费政策", "区税务局", "区财政局", "持续推进", "李四", "每季度报送"],
        ["二、改善民生"],
        [3, "建设口袋公园", "新建口袋公园10个", "区城管局", "区住建局、街道办事处", "2021年11月底前", None, None]]
MERGES = ["A1:H1", "A3:H3", "A4:A5", "B4:B5", "A7:H7"]


def model_of(tmp_path: Path, rows=ROWS, merges=MERGES):
    model, _ = load_model(find_project(write_workbook(tmp_path / "t.xlsx", {"S": rows}, {"S": merges})), None)
    return model


def html_of(doc) -> str:
    return render_template(environment(None), doc.template, doc.context)


def rows_of(html: str) -> list[list[str]]:
    """The table's rows as the texts of their cells."""
    out = []
    for tr in re.findall(r"<tr>(.*?)</tr>", html, re.DOTALL):
        out.append([re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.DOTALL)])
    return out


def test_the_annex_is_the_offices_table(tmp_path: Path) -> None:
    html = html_of(annex(model_of(tmp_path)))
    rows = rows_of(html)
    assert rows[0] == OFFICE  # headers as typed, in the office's order
    assert rows[1] == ["一、优化营商环境"]  # a section row, spanning the table
    assert '<td colspan="8"><strong>一、优化营商环境</strong></td>' in html
    assert rows[2] == ["1", "推进政务服务改革", "1.建设一网通办平台", "区政务服务中心", "区大数据局、区财政局",
                       "3月底前完成方案；9月底前上线试运行；年底前全面推开", "张三", "重点"]
    assert rows[3] == ["2.压减审批时限", "区政务服务中心", "区发改局等", "年底前", "张三", ""]
    assert rows[4] == ["2", "降低企业成本", "落实减税降费政策", "区税务局", "区财政局", "持续推进", "李四", "每季度报送"]
    assert rows[5] == ["二、改善民生"]
    assert rows[6][:5] == ["3", "建设口袋公园", "新建口袋公园10个", "区城管局", "区住建局、街道办事处"]


def test_the_annex_renders_in_both_formats(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "source" / "t.xlsx", {"S": ROWS}, {"S": MERGES})
    build(path, tmp_path / "out", only=("annex",), formats=("docx", "pdf"), workers=1)
    docx, pdf = ((tmp_path / "out" / f"附件-任务责任分解表.{ext}").read_bytes() for ext in ("docx", "pdf"))
    assert_same_words(docx, pdf, "annex")
    assert "责任领导" in normalize(pdf_text(pdf)) and "每季度报送" in normalize(docx_text(docx))


def test_items_numbered_in_the_number_column_keep_their_numbers(tmp_path: Path) -> None:
    rows = [["序号", "工作任务", "工作内容", "责任单位"], [1, "任务甲", "内容一", "市财政局"],
            [2, None, "内容二", "市税务局"], [3, "任务乙", "内容三", "市审计局"]]
    rows_html = rows_of(html_of(annex(model_of(tmp_path, rows, ["B2:B3"]))))
    assert rows_html[1:] == [["1", "任务甲", "内容一", "市财政局"], ["2", "内容二", "市税务局"],
                             ["3", "任务乙", "内容三", "市审计局"]]


def test_letters_say_roles_milestones_and_people(tmp_path: Path) -> None:
    model = model_of(tmp_path)
    text = re.sub(r"<[^>]+>", "", html_of(letter(model, model.agency("区政务服务中心"))))
    assert "1.建设一网通办平台" in text and "1．1.建设" not in text  # the office's numbers, not doubled
    assert ("时间节点：3月底前完成方案；9月底前上线试运行；年底前全面推开。本单位为牵头单位。配合单位：区大数据局、"
            "区财政局。责任领导：张三。") in text
    assert "完成时间：年底前（2021年12月31日前）。本单位为牵头单位。配合单位：区发改局等。责任领导：张三。" in text
    partner = re.sub(r"<[^>]+>", "", html_of(letter(model, model.agency("区住建局"))))
    assert "本单位为配合单位。牵头单位：区城管局。共同承担单位：街道办事处。" in partner


def test_letters_print_nothing_odd_for_what_is_missing(tmp_path: Path) -> None:
    rows = [["序号", "工作任务", "工作内容", "责任单位"], [1, "任务甲", "内容一", "市财政局"]]
    model = model_of(tmp_path, rows, [])
    assert model.plan.title == ""
    text = re.sub(r"<[^>]+>", "", html_of(letter(model, model.agency("市财政局"))))
    assert "完成时间：。" not in text and "《》" not in text and "：。" not in text
    assert "为确保各项任务按时完成" in text and "为做好，" not in text


def test_a_group_column_becomes_section_rows(tmp_path: Path) -> None:
    rows = [["领域", "序号", "重点任务", "具体措施", "责任单位"], ["营商环境", 1, "任务甲", "措施一", "市财政局"],
            [None, 2, "任务乙", "措施二", "市税务局"], ["民生", 3, "任务丙", "措施三", "市审计局"]]
    got = rows_of(html_of(annex(model_of(tmp_path, rows, ["A2:A3"]))))
    assert got == [["序号", "重点任务", "具体措施", "责任单位"], ["营商环境"], ["1", "任务甲", "措施一", "市财政局"],
                   ["2", "任务乙", "措施二", "市税务局"], ["民生"], ["3", "任务丙", "措施三", "市审计局"]]
