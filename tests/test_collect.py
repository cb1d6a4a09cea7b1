"""Return forms and pilot-docs collect: recognised, validated whole, appended to the ledger, never lost."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from openpyxl import load_workbook

from pilot_docs.returns.collect import collect, ledger_path
from pilot_docs.returns.forms import FORM_SHEET, META_SHEET, STATUSES, return_form
from pilot_docs.returns.ledger import latest, read_ledger
from pilot_docs.source.project import find_project, load_model
from tests.helpers import REPO, run_cli
from tests.progress_helpers import fill_form, seed_project

NOW = dt.datetime(2009, 7, 1, 9, 0)


def test_form_locks_items_and_opens_inputs() -> None:
    model, _ = load_model(find_project(REPO))
    data = return_form(model, model.agency("市安监局"))
    assert data == return_form(model, model.agency("市安监局"))  # deterministic
    wb = load_workbook(io.BytesIO(data))
    ws = wb[FORM_SHEET]
    assert ws.protection.sheet is True
    assert wb[META_SHEET].sheet_state == "veryHidden"
    ids = [ws.cell(r, 1).value for r in range(7, ws.max_row + 1)]
    assert ids == model.agency("市安监局").items
    assert ws.cell(7, 1).protection.locked is True and ws.cell(7, 3).protection.locked is True
    assert all(ws.cell(7, c).protection.locked is False for c in range(5, 10))
    validations = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    assert validations["E7:E20"].formula1 == '"' + ",".join(STATUSES) + '"'
    assert validations["F7:F20"].type == "date"
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(values_only=True)}
    assert meta["agency"] == "市安监局" and meta["form_version"] == 1


def test_round_trip_into_the_ledger(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    form = fill_form(root, "市安监局", {"1.1": ("已完成", dt.date(2009, 6, 20), "指挥中心已挂牌", "", "张三"),
                                        "2.1": ("推进中", None, "正在汇编", "人手不足", "张三")})
    result = collect([form], root, NOW)
    assert [e.item for e in result.added] == ["1.1", "2.1"] and not result.refused
    entries = read_ledger(ledger_path(find_project(root)))
    first = entries[0]
    assert (first.agency, first.status, first.date, first.text, first.contact) == (
        "市安监局", "已完成", "2009-06-20", "指挥中心已挂牌", "张三")
    assert first.reported == "2009-06-28" and first.row == 7 and first.collected_at == "2009-07-01T09:00:00"
    assert (root / first.file).read_bytes() == form.read_bytes()  # the original is archived
    assert first.file.startswith("source/returns/市安监局/")


def test_collecting_the_same_file_twice_adds_nothing(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    form = fill_form(root, "市公安局", {"1.3": ("推进中", None, "x", "", "")})
    collect([form], root, NOW)
    before = ledger_path(find_project(root)).read_bytes()
    result = collect([form, form], root, NOW)
    assert result.added == [] and len(result.skipped) == 2
    assert ledger_path(find_project(root)).read_bytes() == before


def test_later_return_supersedes_and_both_stay(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    early = fill_form(root, "市财政局", {"1.1": ("推进中", None, "启动", "", "")}, dt.date(2009, 6, 1))
    later = fill_form(root, "市财政局", {"1.1": ("已完成", dt.date(2009, 6, 25), "完成", "", "")}, dt.date(2009, 6, 26))
    collect([later], root, NOW)
    collect([early], root, NOW)  # collected after, but reported earlier
    entries = read_ledger(ledger_path(find_project(root)))
    assert len(entries) == 2
    assert latest(entries)[("市财政局", "1.1")].status == "已完成"
    assert latest(entries, dt.date(2009, 6, 10))[("市财政局", "1.1")].status == "推进中"


def refused(tmp_path: Path, root: Path, form: Path) -> list[str]:
    path = ledger_path(find_project(root))
    before = path.read_bytes() if path.exists() else None
    result = collect([form], root, NOW)
    assert result.added == [] and result.refused
    assert (path.read_bytes() if path.exists() else None) == before  # nothing of it recorded
    assert not (root / "source" / "returns").exists() or not any((root / "source" / "returns").rglob(form.stem + "*"))
    return [str(p) for p in result.refused]


def test_bad_cells_are_each_named_and_the_form_refused_whole(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    form = fill_form(root, "市安监局", {"1.1": ("完成了", None, "", "", ""), "1.3": ("已完成", "六月底", "", "", ""),
                                        "2.1": ("推进中", None, "ok", "", "")})
    got = refused(tmp_path, root, form)
    assert any(m.endswith("!进度反馈!E7: 进展状态 '完成了' is not one of 未启动/推进中/已完成/滞后") for m in got)
    assert any(m.endswith("!进度反馈!F8: 完成日期 '六月底' is not a date (e.g. 2009-06-30)") for m in got)
    assert len(got) == 2


def test_form_of_another_plan_agency_or_item(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    form = fill_form(root, "市安监局", {"1.1": ("推进中", None, "", "", "")})
    wb = load_workbook(form)
    wb[META_SHEET]["B3"] = "0000000000000000"
    wb.save(tmp_path / "other-plan.xlsx")
    assert "_form!B3: this form belongs to another plan" in refused(tmp_path, root, tmp_path / "other-plan.xlsx")[0]
    wb = load_workbook(form)
    wb[META_SHEET]["B5"] = "市安检局"
    wb.save(tmp_path / "other-agency.xlsx")
    assert "_form!B5: agency '市安检局' is not in this plan" in refused(tmp_path, root, tmp_path / "other-agency.xlsx")[0]
    wb = load_workbook(form)
    wb[FORM_SHEET]["A7"] = "1.2"
    wb.save(tmp_path / "item.xlsx")
    assert "!进度反馈!A7: unknown item '1.2'" in refused(tmp_path, root, tmp_path / "item.xlsx")[0]
    wb = load_workbook(form)
    wb[FORM_SHEET]["C7"] = "改过的内容"
    wb.save(tmp_path / "edited.xlsx")
    assert "!进度反馈!C7: 工作内容 of item 1.1 was changed (a locked cell)" in refused(
        tmp_path, root, tmp_path / "edited.xlsx")[0]


def test_bad_report_date_and_not_a_form(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    form = fill_form(root, "市安监局", {"1.1": ("推进中", None, "", "", "")}, reported="下周")
    assert refused(tmp_path, root, form)[0].endswith("!进度反馈!C4: 填报日期 '下周' is not a date (e.g. 2009-06-30)")
    assert "not a pilot-docs return form" in refused(tmp_path, root, REPO / "source" / "任务分解表.xlsx")[0]


def test_cli_collect(tmp_path: Path, monkeypatch) -> None:
    root = seed_project(tmp_path)
    good = fill_form(root, "市安监局", {"1.1": ("已完成", dt.date(2009, 6, 20), "", "", "")})
    bad = fill_form(root, "市公安局", {"1.3": ("好", None, "", "", "")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1246406400")
    result = run_cli("collect", "--source", str(root), str(good), str(bad))
    assert result.exit_code == 1
    assert "collected 1 row(s) from 1 file(s)" in result.output
    assert "E7: 进展状态 '好' is not one of" in result.stderr
    line = json.loads(ledger_path(find_project(root)).read_text(encoding="utf-8").splitlines()[0])
    assert line["collected_at"] == "2009-07-01T00:00:00" and line["agency"] == "市安监局"
    again = run_cli("collect", "--source", str(root), str(good))
    assert again.exit_code == 0 and "already collected" in again.output
