"""The shapes of tables offices really type: headers by role, section rows and numbering levels, units with roles
inside the cell, deadlines with milestones. Each on a small workbook written by the test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pilot_docs.errors import SourceError, ValidationFailed
from pilot_docs.source.columns import header_role
from pilot_docs.source.project import find_project, load_model
from tests.helpers import HEADER, registry_sheets, write_workbook


def load(path: Path, year: int | None = 2021):
    return load_model(find_project(path), year)


def read(tmp_path: Path, rows, merges=(), year: int | None = 2021, name: str = "t.xlsx"):
    return load(write_workbook(tmp_path / name, {"S": rows}, {"S": list(merges)}), year)


def refused(tmp_path: Path, rows, merges=(), year: int | None = 2021) -> list[str]:
    with pytest.raises(ValidationFailed) as exc:
        read(tmp_path, rows, merges, year)
    return [str(p) for p in exc.value.problems]


# ---------------------------------------------------------------- 1. columns by role


@pytest.mark.parametrize("header,role", [
    ("工作目标", "content"), ("落实措施", "content"), ("主要指标", "content"), ("任务内容", "content"),
    ("承办单位", "units"), ("责任处室", "units"), ("责任股室", "units"), ("实施主体", "units"),
    ("协助单位", "partners"), ("参加单位", "partners"), ("协同部门", "partners"),
    ("主责部门", "lead"), ("牵头领导", "people"), ("责任领导", "people"), ("联系人", "people"),
    ("完成节点", "deadline"), ("推进时限", "deadline"), ("进度安排", "deadline"), ("任务完成时间", "deadline"),
    ("重点事项", "task"), ("项目", "task"), ("重点工作", "task"), ("备注", "remarks"), ("序 号", "no"),
    ("重点领域", "group"), ("责任单位及责任人", "units"), ("工作类别", "group"), ("督办意见", None), ("加强组织领导", None), ("市安监局", None),
])
def test_header_words(header: str, role: str | None) -> None:
    assert header_role(header) == role


OFFICE = ["序号", "重点工作", "落实措施", "承办单位", "协助单位", "推进时限", "责任领导", "备注", "督办意见"]


def test_every_column_understood_or_kept(tmp_path: Path) -> None:
    rows = [["2021年某区重点工作任务清单"], OFFICE,
            [1, "任务甲", "措施一", "区住建局", "区交通局", "年底前", "张三", "无", "好"],
            [2, "任务乙", "措施二", "区财政局", None, "年底前", "李四", None, None]]
    model, warnings = read(tmp_path, rows, year=None)
    assert [(c["header"], c["role"]) for c in model.to_json()["columns"]] == [
        ("序号", "number"), ("重点工作", "task"), ("落实措施", "content"), ("承办单位", "units"),
        ("协助单位", "partners"), ("推进时限", "deadline"), ("责任领导", "people"), ("备注", "remarks"),
        ("督办意见", "extra")]
    first = model.item("1.1")
    assert (first.content, first.units, first.partners) == ("措施一", ["区住建局", "区交通局"], ["区交通局"])
    assert first.extra == {"责任领导": "张三", "备注": "无", "督办意见": "好"}
    assert model.item("2.1").extra == {"责任领导": "李四"}
    assert [str(w).split("!S!")[1] for w in warnings] == [
        ("I2: warning: column '督办意见' is not one the reader knows (task, content, units, lead, partners, deadline, "
        "people, remarks): its values are kept as an extra column; set [source] columns in pilot-docs.toml to give "
        "it a role")]


def test_a_column_without_header_is_kept_or_read_by_its_cells(tmp_path: Path) -> None:
    rows = [["序号", "工作任务", "工作内容", None, "完成时间", None],
            [1, "任务", "内容", "市财政局、市税务局", "年底前", "已启动"]]
    model, warnings = read(tmp_path, rows)
    assert model.items()[0].units == ["市财政局", "市税务局"]  # its cells are lists of agencies
    assert model.items()[0].extra == {"F列": "已启动"}
    assert any("'F列' is not one the reader knows" in str(w) for w in warnings)


def test_config_states_roles(tmp_path: Path) -> None:
    rows = [["序号", "抓手", "怎么干", "谁来干", "何时", "督办意见"], [1, "任务", "内容", "市财政局", "年底前", "好"]]
    path = write_workbook(tmp_path / "source" / "t.xlsx", {"S": rows})
    with pytest.raises(ValidationFailed):
        load(path)
    (tmp_path / "pilot-docs.toml").write_text(
        '[source]\ncolumns = { "抓手" = "task", "怎么干" = "content", "谁来干" = "units", "何时" = "deadline", '
        '"督办意见" = "remarks" }\n', encoding="utf-8")
    model, warnings = load(path)
    item = model.items()[0]
    assert (model.tasks[0].title, item.content, item.units, item.deadline.date, item.extra) == (
        "任务", "内容", ["市财政局"], dt.date(2021, 12, 31), {"督办意见": "好"})
    assert warnings == []
    (tmp_path / "pilot-docs.toml").write_text('[source]\ncolumns = { "抓手" = "boss" }\n', encoding="utf-8")
    with pytest.raises(SourceError, match="source.columns: the role of '抓手' must be one of number, task"):
        load(path)
    (tmp_path / "pilot-docs.toml").write_text('[source]\ncolums = { "抓手" = "task" }\n', encoding="utf-8")
    with pytest.raises(SourceError, match="unknown key source.colums"):
        load(path)


def test_no_header_names_the_most_header_like_row(tmp_path: Path) -> None:
    rows = [["某表"], ["序号", "工作任务", "工作内容", "谁来干", "完成时间"], [1, "任务", "内容", "市财政局", "年底前"]]
    got = refused(tmp_path, rows)
    assert got[0].endswith(
        "t.xlsx!S!A2: no header row found: expected columns such as 序号 | 工作任务 | 工作内容 | 责任单位 | 完成时间 "
        "in the first rows of a sheet; the most header-like row is row 2, which names 序号（number）、工作任务（task）、"
        "工作内容（content）、完成时间（deadline） but not 责任单位/牵头单位; names not understood: '谁来干'; "
        "set [source] columns in pilot-docs.toml to give a header its role")


# ---------------------------------------------------------------- 2. structure


def test_section_rows_become_groups_with_levels(tmp_path: Path) -> None:
    rows = [HEADER, ["一、总体要求"], [1, "任务甲", "内容一", "市财政局", "年底前"],
            ["（一）", "组织保障"], [2, "任务乙", "内容二", "市税务局", "年底前"],
            ["二", "专项行动", None, None, None], [3, "任务丙", "内容三", "市审计局", "年底前"]]
    model, warnings = read(tmp_path, rows, ["A2:E2"])
    assert [(t.no, t.title, t.groups) for t in model.tasks] == [
        (1, "任务甲", ["一、总体要求"]), (2, "任务乙", ["一、总体要求", "（一）组织保障"]),
        (3, "任务丙", ["二、专项行动"])]
    assert [t["group"] for t in model.to_json()["tasks"]] == ["一、总体要求", "（一）组织保障", "二、专项行动"]
    assert warnings == []


def test_a_group_column_groups_the_tasks(tmp_path: Path) -> None:
    rows = [["领域", "序号", "重点任务", "具体措施", "责任单位", "完成时限"],
            ["营商环境", 1, "任务甲", "措施一", "市财政局", "年底前"], [None, None, None, "措施二", "市税务局", "年底前"],
            [None, 2, "任务乙", "措施三", "市税务局", "年底前"], ["民生", 3, "任务丙", "措施四", "市审计局", "年底前"]]
    model, warnings = read(tmp_path, rows, ["A2:A4", "B2:B3", "C2:C3"])
    assert [(t.no, t.title, t.group, len(t.items)) for t in model.tasks] == [
        (1, "任务甲", "营商环境", 2), (2, "任务乙", "营商环境", 1), (3, "任务丙", "民生", 1)]
    assert model.to_json()["columns"][0] == {"header": "领域", "role": "group"}
    assert warnings == []
    # a second task column before the task, with a content column: the group (重点领域 | 重点任务 | 具体措施)
    rows[0][0] = "重点工作"
    model, _ = read(tmp_path, rows, ["A2:A4", "B2:B3", "C2:C3"], name="u.xlsx")
    assert [t.group for t in model.tasks] == ["营商环境", "营商环境", "民生"]


def test_rows_under_one_merged_task_cell_are_one_task(tmp_path: Path) -> None:
    rows = [HEADER, [1, "任务甲", "内容一", "市财政局", "年底前"], [2, None, "内容二", "市税务局", "年底前"],
            [3, None, "内容三", "市税务局", "年底前"], [4, "任务乙", "内容四", "市审计局", "年底前"],
            [5, "任务乙", "内容五", "市审计局", "年底前"]]
    model, _ = read(tmp_path, rows, ["B2:B4"])
    assert [(t.no, t.title, [(i.id, i.number) for i in t.items]) for t in model.tasks] == [
        (1, "任务甲", [("1.1", "1"), ("1.2", "2"), ("1.3", "3")]), (4, "任务乙", [("4.1", "4"), ("4.2", "5")])]


def test_numbering_levels_are_told_apart(tmp_path: Path) -> None:
    rows = [HEADER, [1, "任务甲", "内容一", "市财政局", "年底前"], ["(1)", None, "内容二", "市税务局", "年底前"],
            ["（2）", None, "内容三", "市税务局", "年底前"], ["①", None, "内容四", "市税务局", "年底前"],
            [2, "任务乙", "内容五", "市审计局", "年底前"]]
    model, _ = read(tmp_path, rows)
    assert [(t.no, [i.number for i in t.items]) for t in model.tasks] == [(1, [None, "(1)", "（2）", "①"]), (2, [None])]


def test_numbers_typed_in_the_content_are_the_items_own(tmp_path: Path) -> None:
    rows = [HEADER, [1, "任务甲", "3.建设公园", "市财政局", "年底前"], [None, None, "（二）修缮道路", "市税务局", "年底前"],
            [None, None, "2021年完成", "市税务局", "年底前"]]
    model, _ = read(tmp_path, rows, ["A2:A4", "B2:B4"])
    assert [(i.number, i.content) for i in model.items()] == [
        ("3", "3.建设公园"), ("（二）", "（二）修缮道路"), (None, "2021年完成")]


def test_two_row_header_with_vertical_merges(tmp_path: Path) -> None:
    rows = [["序号", "工作任务", "任务分工", None, "完成时限"], [None, None, "牵头单位", "配合单位", None],
            [1, "任务", "市财政局", "市税务局", "年底前"]]
    model, _ = read(tmp_path, rows, ["A1:A2", "B1:B2", "C1:D1", "E1:E2"])
    item = model.items()[0]
    assert (item.lead, item.partners, item.deadline.date) == (["市财政局"], ["市税务局"], dt.date(2021, 12, 31))
    assert [c.header for c in model.columns] == ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]


def test_unit_first_table(tmp_path: Path) -> None:
    rows = [["序号", "责任单位", "工作目标", "完成时限"], [1, "市财政局", "目标一", "年底前"],
            [2, None, "目标二", "6月底前"], [3, "市税务局", "目标三", "年底前"]]
    model, _ = read(tmp_path, rows, ["B2:B3"])
    assert [(t.title, [(i.number, i.content, i.units) for i in t.items]) for t in model.tasks] == [
        ("市财政局", [("1", "目标一", ["市财政局"]), ("2", "目标二", ["市财政局"])]),
        ("市税务局", [("3", "目标三", ["市税务局"])])]
    rows[2][1] = "市财政局"  # the same unit typed again instead of merged: still one task
    model, _ = read(tmp_path, rows, name="u.xlsx")
    assert [(t.title, len(t.items)) for t in model.tasks] == [("市财政局", 2), ("市税务局", 1)]


# ---------------------------------------------------------------- 3. unit cells


@pytest.mark.parametrize("cell,units,lead,partners", [
    ("牵头单位：区财政局；配合单位：区税务局、区审计局", ["区财政局", "区税务局", "区审计局"], ["区财政局"],
     ["区税务局", "区审计局"]),
    ("区城管局牵头，区住建局、区交通局配合", ["区城管局", "区住建局", "区交通局"], ["区城管局"], ["区住建局", "区交通局"]),
    ("区城管局负责，区住建局协助", ["区城管局", "区住建局"], ["区城管局"], ["区住建局"]),
    ("区住建局。", ["区住建局"], [], []),
    ("区住建局、区交通局等部门", ["区住建局", "区交通局"], [], []),
])
def test_roles_and_names_inside_a_units_cell(tmp_path: Path, cell, units, lead, partners) -> None:
    model, _ = read(tmp_path, [HEADER, [1, "任务", "内容", cell, "年底前"]])
    item = model.items()[0]
    assert (item.units, item.lead, item.partners) == (units, lead, partners)
    assert item.more_units == cell.endswith("等部门")


def test_prefix_written_once_and_one_body_written_two_ways(tmp_path: Path) -> None:
    rows = [HEADER, [1, "任务甲", "内容", "市教育局、卫健委", "年底前"], [2, "任务乙", "内容", "市卫健委", "年底前"],
            [3, "任务丙", "内容", "交通局", "年底前"], [4, "任务丁", "内容", "市交通局", "年底前"],
            [5, "任务戊", "内容", "住建局", "年底前"], [6, "任务己", "内容", "市住建局、县住建局", "年底前"]]
    model, warnings = read(tmp_path, rows)
    assert model.item("1.1").units == ["市教育局", "市卫健委"]
    assert model.item("3.1").units == ["市交通局"]
    assert sorted(a.name for a in model.agencies) == sorted(["市教育局", "市卫健委", "市交通局", "住建局", "市住建局",
                                                             "县住建局"])
    got = [str(w).split("!S!")[1] for w in warnings]
    assert got == ["C4: warning: unit '交通局' is read as '市交通局', the name the table uses elsewhere",
                   "C6: warning: unit '住建局' is kept apart: did you mean 县住建局 or 市住建局?"]


def test_one_body_written_two_ways_with_a_registry(tmp_path: Path) -> None:
    rows = [HEADER, [1, "任务甲", "内容", "交通局、市财政局", "年底前"]]
    sheets = {"S": rows, **registry_sheets(["市交通局", "市财政局"])}
    model, warnings = load(write_workbook(tmp_path / "t.xlsx", sheets))
    assert model.items()[0].units == ["市交通局", "市财政局"]
    assert [a.full_name for a in model.agencies] == ["江门市交通局", "江门市财政局"]
    assert len(warnings) == 1 and "'交通局' is read as '市交通局'" in str(warnings[0])


# ---------------------------------------------------------------- 4. deadlines


@pytest.mark.parametrize("text,why", [
    ("2025年13月底前", "2025年13月 names month 13, which does not exist"),
    ("2月30日", "2月30日 names a day that month does not have"),
    ("6月31日前", "6月31日 names a day that month does not have"),
])
def test_impossible_dates_are_errors(tmp_path: Path, text: str, why: str) -> None:
    got = refused(tmp_path, [HEADER, [1, "任务", "内容", "市财政局", text]])
    assert len(got) == 1 and got[0].endswith(f"!S!E2: deadline '{text}' names a date that does not exist: {why}")


def test_a_year_other_than_the_plans_is_kept_and_warned_about(tmp_path: Path) -> None:
    model, warnings = read(tmp_path, [HEADER, [1, "任务", "内容", "市财政局", "2024年底前"]])
    assert model.items()[0].deadline.date == dt.date(2024, 12, 31)
    assert [str(w).split("!S!")[1] for w in warnings] == [
        "E2: warning: deadline '2024年底前' is in 2024, not the plan's year 2021: kept as written"]


def test_schedule_keeps_every_milestone(tmp_path: Path) -> None:
    text = "3月底前完成方案；\n9月底前完成试点，总结经验；年底前全面推开"
    model, warnings = read(tmp_path, [HEADER, [1, "任务", "内容", "市财政局", text]])
    item = model.items()[0]
    assert item.to_json()["milestones"] == [
        {"date": "2021-03-31", "text": "3月底前完成方案"}, {"date": "2021-09-30", "text": "9月底前完成试点，总结经验"},
        {"date": "2021-12-31", "text": "年底前全面推开"}]
    assert item.deadline.date == dt.date(2021, 12, 31) and warnings == []


def test_a_date_in_the_content_without_a_deadline_column(tmp_path: Path) -> None:
    rows = [["序号", "工作任务", "工作内容", "责任单位"], [1, "任务", "力争2021年2月底前完成改造", "市财政局"],
            [2, "任务二", "全年完成改造", "市财政局"]]
    model, warnings = read(tmp_path, rows)
    assert model.item("1.1").deadline.date == dt.date(2021, 2, 28)
    assert model.item("2.1").deadline.kind == "none"
    assert [str(w).split("!S!")[1] for w in warnings] == [
        "C2: warning: the table has no deadline column: the deadline '2021年2月底前' is taken from the content"]
