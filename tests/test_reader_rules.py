"""Each reading rule on a small workbook written by the test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pilot_docs.errors import ValidationFailed
from pilot_docs.source.project import find_project, load_model
from tests.helpers import HEADER, registry_sheets, write_workbook

UNITS = ["市安监局", "市公安局", "市财政局", "市水利局", ("市科技局", "江门市科学技术局", "市科技局(市地震办)"),
         "蓬江区人民政府", "江海区人民政府"]
GROUPS = {"各市、区人民政府": ["蓬江区人民政府", "江海区人民政府"]}


def load(path: Path, year: int | None = 2009):
    return load_model(find_project(path), year)


def messages(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_merged_cells_and_title_rows(tmp_path: Path) -> None:
    rows = [["2009年某市重点工作任务分解表"], [], HEADER,
            [1, "任务一", "内容甲", "市安监局", "年底前"],
            [None, None, "内容乙", "市公安局", None],
            [2, "任务二", "内容丙", "市财政局", "10月"]]
    path = write_workbook(tmp_path / "t.xlsx", {"表": rows}, {"表": ["A1:E1", "A4:A5", "B4:B5", "E4:E5"]})
    model, warnings = load(path, None)
    assert model.plan.year == 2009  # from the title
    assert model.plan.title == "2009年某市重点工作任务分解表"
    assert [(t.no, t.title, [i.id for i in t.items]) for t in model.tasks] == [
        (1, "任务一", ["1.1", "1.2"]), (2, "任务二", ["2.1"])]
    assert model.item("1.2").deadline.date == dt.date(2009, 12, 31)
    assert warnings == []


def test_blank_cell_under_a_value_inherits(tmp_path: Path) -> None:
    rows = [HEADER, [1, "任务一", "内容甲", "市安监局", "6月底前"], [None, None, "内容乙", "市公安局", None],
            [2, "任务二", "内容丙", "市财政局", None]]
    model, _ = load(write_workbook(tmp_path / "t.xlsx", {"S": rows}))
    assert len(model.tasks) == 2
    assert model.item("1.2").deadline.text == "6月底前"
    # a blank deadline never inherits across tasks
    assert model.item("2.1").deadline.kind == "none"


def test_header_on_another_sheet(tmp_path: Path) -> None:
    sheets = {"说明": [["本表由市安委办维护"]], "Sheet2": [["标题"], HEADER, [1, "任务", "内容", "市安监局", "10月"]]}
    model, _ = load(write_workbook(tmp_path / "t.xlsx", sheets))
    assert model.items()[0].location.sheet == "Sheet2"
    assert model.items()[0].location.cell == "C3"


@pytest.mark.parametrize("task,content,units,deadline", [
    ("重点任务", "具体要求", "责任科室", "完成时限"),
    ("主要任务", "主要内容", "责任单位", "时限要求"),
    ("项目名称", "具体措施", "责任单位", "时间安排"),
    ("民生实事", "目标任务", "责任单位", "完成时间"),
    ("专项整治行业名称", "工作内容", "责任单位", "完成时间"),
    ("工作\n任务", "工作内容", "责任 单位", "完成时间（截止日期）"),
])
def test_header_synonyms(tmp_path: Path, task: str, content: str, units: str, deadline: str) -> None:
    rows = [["序号", task, content, units, deadline], [1, "任务", "内容", "市安监局", "10月份"]]
    model, _ = load(write_workbook(tmp_path / "t.xlsx", {"S": rows}))
    item = model.items()[0]
    assert (model.tasks[0].title, item.content, item.units, item.deadline.date) == (
        "任务", "内容", ["市安监局"], dt.date(2009, 10, 31))


def test_header_cell_spanning_two_columns(tmp_path: Path) -> None:
    rows = [["序号", "工作任务", "工作内容", None, "责任单位", "完成时间"],
            [1, "任务", "（一）机构", "建成指挥中心", "市安监局", "10月"],
            [2, "任务二", "全部内容", None, "市公安局", "10月"]]
    path = write_workbook(tmp_path / "t.xlsx", {"S": rows}, {"S": ["C1:D1", "C3:D3"]})
    model, _ = load(path)
    assert model.item("1.1").content == "（一）机构\n建成指挥中心"
    assert model.item("2.1").content == "全部内容"


def test_lead_and_partner_columns(tmp_path: Path) -> None:
    rows = [["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"],
            [1, "任务", "内容", "市安监局", "市公安局、市财政局", "年底前"]]
    model, _ = load(write_workbook(tmp_path / "t.xlsx", {"S": rows}))
    item = model.items()[0]
    assert item.lead == ["市安监局"] and item.partners == ["市公安局", "市财政局"]
    assert item.units == ["市安监局", "市公安局", "市财政局"]


def test_two_row_header_with_lead_and_partners(tmp_path: Path) -> None:
    rows = [["序号", "工作任务", "工作内容", "责任单位", None, "完成时间"],
            [None, None, None, "牵头单位", "协同配合单位", None],
            [1, "任务", "内容", "市安监局", "市公安局", "10月"]]
    merges = {"S": ["A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2"]}
    model, _ = load(write_workbook(tmp_path / "t.xlsx", {"S": rows}, merges))
    item = model.items()[0]
    assert item.lead == ["市安监局"] and item.partners == ["市公安局"]


def test_role_marks_in_one_units_cell(tmp_path: Path) -> None:
    rows = [HEADER, [1, "任务", "内容", "市安监局（牵头）、市公安局（配合）、市财政局", "10月"]]
    model, _ = load(write_workbook(tmp_path / "t.xlsx", {"S": rows}))
    item = model.items()[0]
    assert item.units == ["市安监局", "市公安局", "市财政局"]
    assert item.lead == ["市安监局"] and item.partners == ["市公安局"]


def test_units_split_but_never_inside_a_registered_name(tmp_path: Path) -> None:
    rows = [HEADER, [1, "任务", "内容", "市安监局，市公安局,市财政局；市水利局;各市、区人民政府\n市科技局(市地震办) 蓬江区人民政府", "10月"]]
    sheets = {"S": rows, **registry_sheets(UNITS, GROUPS)}
    model, _ = load(write_workbook(tmp_path / "t.xlsx", sheets))
    assert model.items()[0].units == ["市安监局", "市公安局", "市财政局", "市水利局", "各市、区人民政府",
                                      "市科技局(市地震办)", "蓬江区人民政府"]
    names = [a.name for a in model.agencies]
    # groups expanded, aliases merged, each agency once
    assert sorted(names) == sorted(["市安监局", "市公安局", "市财政局", "市水利局", "市科技局", "蓬江区人民政府",
                                    "江海区人民政府"])
    assert model.agency("市科技局").full_name == "江门市科学技术局"


def test_without_number_and_deadline_columns(tmp_path: Path) -> None:
    rows = [["工作任务", "工作内容", "责任单位"], ["任务甲", "内容一", "市安监局"], [None, "内容二", "市公安局"],
            ["任务乙", "内容三", "市财政局"]]
    model, _ = load(write_workbook(tmp_path / "t.xlsx", {"S": rows}, {"S": ["A2:A3"]}))
    assert [(t.no, t.title, len(t.items)) for t in model.tasks] == [(1, "任务甲", 2), (2, "任务乙", 1)]
    assert model.item("2.1").deadline.kind == "none"


def test_excel_date_and_year_sources(tmp_path: Path) -> None:
    rows = [HEADER, [1, "任务", "内容", "市安监局", dt.datetime(2009, 9, 15)], [2, "任务二", "内容", "市公安局", "10月"]]
    path = write_workbook(tmp_path / "t.xlsx", {"S": rows})
    model, _ = load(path, 2012)  # --year
    assert model.item("1.1").deadline.to_json() == {"text": "2009年9月15日", "date": "2009-09-15", "kind": "by"}
    assert model.item("2.1").deadline.date == dt.date(2012, 10, 31)
    (tmp_path / "pilot-docs.toml").write_text("[plan]\nyear = 2016\n", encoding="utf-8")
    model, _ = load(path, None)  # config
    assert model.item("2.1").deadline.date == dt.date(2016, 10, 31)
    model, _ = load(path, 2020)  # --year wins over config
    assert model.item("2.1").deadline.date == dt.date(2020, 10, 31)


def test_no_year_anywhere_is_an_error(tmp_path: Path) -> None:
    rows = [HEADER, [1, "任务", "内容", "市安监局", "10月"], [2, "任务", "内容", "市安监局", "11月"]]
    with pytest.raises(ValidationFailed) as exc:
        load(write_workbook(tmp_path / "t.xlsx", {"S": rows}), None)
    assert len(exc.value.problems) == 1
    assert "t.xlsx!S!E2: deadline '10月' needs the plan's year" in messages(exc)[0]


def test_validation_collects_every_problem(tmp_path: Path) -> None:
    rows = [["分解表"], HEADER,
            [1, "任务一", "内容甲", "市安检局", "10月"],
            [2, "任务二", None, "市公安局", "尽快"],
            [3, "任务三", "内容丙", None, "10月"],
            [1, "另一个任务", "内容丁", "市安监局", "10月"]]
    sheets = {"任务分解": rows, **registry_sheets(UNITS, GROUPS)}
    path = write_workbook(tmp_path / "任务分解表.xlsx", sheets)
    with pytest.raises(ValidationFailed) as exc:
        load(path)
    got = messages(exc)
    file = str(path) if not str(path).startswith(str(Path.cwd())) else path.name
    assert any(m.endswith("任务分解表.xlsx!任务分解!D3: unknown unit '市安检局' (did you mean 市安监局?)") for m in got)
    assert any(m.endswith("!任务分解!C4: work item has no content (工作内容)") for m in got)
    assert any(m.endswith("!任务分解!E4: warning: deadline '尽快' names no date") for m in got)
    assert any(m.endswith("!任务分解!D5: work item has no responsible unit (责任单位)") for m in got)
    assert any(m.endswith("!任务分解!A6: 序号 1 is already used for task '任务一' (at A3)") for m in got)
    assert all(file.split("/")[-1] in m for m in got)
    assert len(got) == 5


def test_no_header_and_missing_columns(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "t.xlsx", {"S": [["姓名", "电话"], ["张三", "123"]]})
    with pytest.raises(ValidationFailed) as exc:
        load(path)
    assert messages(exc)[0].endswith("t.xlsx!S!A1: no header row found: expected columns such as 序号 | 工作任务 | "
                                     "工作内容 | 责任单位 | 完成时间 in the first rows of a sheet")
    path = write_workbook(tmp_path / "u.xlsx", {"S": [["序号", "工作任务", "完成时间", "牵头单位"]]})
    with pytest.raises(ValidationFailed):
        load(path)


def test_registry_problems(tmp_path: Path) -> None:
    reg = registry_sheets(["市安监局", "市安监局", ("市水利局", "江门市水利局", "市安监局")],
                          {"各区": ["蓬江区政府"]})
    rows = [HEADER, [1, "任务", "内容", "市安监局", "10月"]]
    with pytest.raises(ValidationFailed) as exc:
        load(write_workbook(tmp_path / "t.xlsx", {"S": rows, **reg}))
    got = messages(exc)
    assert any("单位名录!A3: '市安监局' is already in the registry" in m for m in got)
    assert any("单位名录!C4: alias '市安监局' already names '市安监局'" in m for m in got)
    assert any("单位分组!B2: group '各区' names unknown unit '蓬江区政府'" in m for m in got)


# ---------------------------------------------------------------- rules learned from the real tables (tests/real)


def test_units_column_beside_a_lead_or_partner_column_takes_the_other_role(tmp_path: Path) -> None:
    rows = [["序号", "工作任务", "牵头单位", "责任单位"], [1, "任务", "市安监局", "市公安局、市财政局"]]
    item = load(write_workbook(tmp_path / "a.xlsx", {"S": rows}))[0].items()[0]
    assert item.lead == ["市安监局"] and item.partners == ["市公安局", "市财政局"]
    rows = [["序号", "工作任务", "责任单位", "配合单位"], [1, "任务", "市安监局", "市公安局"]]
    item = load(write_workbook(tmp_path / "b.xlsx", {"S": rows}))[0].items()[0]
    assert item.lead == ["市安监局"] and item.partners == ["市公安局"]
    rows = [["序号", "工作任务", "责任单位"], [1, "任务", "牵头单位：市安监局；责任单位：市公安局"]]
    item = load(write_workbook(tmp_path / "c.xlsx", {"S": rows}))[0].items()[0]
    assert item.lead == ["市安监局"] and item.partners == ["市公安局"]


def test_prefix_written_once_is_distributed_when_the_list_carries_it(tmp_path: Path) -> None:
    rows = [["序号", "工作任务", "责任单位"], [1, "任务甲", "市发改委、外经贸局、规划局"],
            [2, "任务乙", "南沙区政府、市国土房管局、规划局"], [3, "任务丙", "区直各部门、各街道、滁州经开区管委会"],
            [4, "任务丁", "省政府各部门、各直属机构"]]
    model, warnings = load(write_workbook(tmp_path / "t.xlsx", {"S": rows}))
    units = [i.units for i in model.items()]
    assert units[0] == ["市发改委", "市外经贸局", "市规划局"]
    assert units[1] == ["南沙区政府", "市国土房管局", "市规划局"]  # 市规划局 is the name used above
    assert units[2] == ["区直各部门", "各街道", "滁州经开区管委会"]  # collectives and names with their own place
    assert units[3] == ["省政府各部门", "省政府各直属机构"]
    assert any("'外经贸局' is read as '市外经贸局'" in str(w) for w in warnings)


def test_reordered_words_are_one_body(tmp_path: Path) -> None:
    rows = [["序号", "工作任务", "责任单位"], [1, "甲", "省农业农村厅"], [2, "乙", "省农业农村厅"], [3, "丙", "省农村农业厅"]]
    model, warnings = load(write_workbook(tmp_path / "t.xlsx", {"S": rows}))
    assert [a.name for a in model.agencies] == ["省农业农村厅"]
    assert any("'省农村农业厅' is read as '省农业农村厅'" in str(w) for w in warnings)


def test_notes_and_a_deadline_inside_the_unit_cell(tmp_path: Path) -> None:
    rows = [["序号", "工作任务", "责任单位"],
            [1, "甲", "市经信局、市财政局、市税务局（列第一位者为工作牵头单位或汇总单位，下同）"],
            [2, "乙", "市财政局、市经信局"],
            [3, "丙", "省发展改革委、省大数据中心按职责分工负责。具体任务均涉及相关市人民政府，不再做分工，下同。"],
            [4, "丁", "牵头单位：州审批局；责任单位：州委编办及州直相关单位，6月底完成"]]
    model, warnings = load(write_workbook(tmp_path / "t.xlsx", {"S": rows}))
    first, second, third, fourth = model.items()
    assert first.units == ["市经信局", "市财政局", "市税务局"]
    assert first.lead == ["市经信局"] and first.partners == ["市财政局", "市税务局"]
    assert second.lead == ["市财政局"]  # 下同: the note holds for the rows below
    assert third.units == ["省发展改革委", "省大数据中心"] and third.lead == []
    assert fourth.units == ["州审批局", "州委编办", "州直相关单位"] and fourth.partners == ["州委编办", "州直相关单位"]
    assert fourth.deadline.date == dt.date(2009, 6, 30)
    assert any("the deadline '6月底完成' is taken from the unit cell" in str(w) for w in warnings)


def test_title_under_an_annex_label_and_a_year_in_chinese_numerals(tmp_path: Path) -> None:
    rows = [["附件2"], ["二〇一六年民生实事目标任务分解表"], ["序号", "民生实事", "责任单位", "完成时限"],
            [1, "甲。", "县水务局", "12月底前"], [None, "乙。", None, "5月底前"]]
    model, _ = load(write_workbook(tmp_path / "t.xlsx", {"S": rows}, {"S": ["A4:A5", "C4:C5"]}), year=None)
    assert [i.deadline.date for i in model.items()] == [dt.date(2016, 12, 31), dt.date(2016, 5, 31)]
    assert [i.content for i in model.items()] == ["甲。", "乙。"] and len(model.tasks) == 1


def test_a_responsible_leader_and_no_unit_column(tmp_path: Path) -> None:
    rows = [["序号", "民生实事项目", "责任领导", "年度目标", "完成情况"],
            [1, "供水站提升", "范某", "改造12个供水站，计划于2024年8月完工。", "2024年6月份全面完工。"]]
    model, _ = load(write_workbook(tmp_path / "t.xlsx", {"S": rows}), year=2024)
    item = model.items()[0]
    assert item.units == [] and model.agencies == []
    assert item.deadline.date == dt.date(2024, 8, 31)
    assert item.extra == {"责任领导": "范某", "完成情况": "2024年6月份全面完工。"}
