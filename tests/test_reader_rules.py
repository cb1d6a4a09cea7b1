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
