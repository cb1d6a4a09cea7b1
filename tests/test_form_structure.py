"""A returned form's structure is checked against the current plan: columns, the 填报单位 line, the hidden sheet,
the plan's text of each item (an older form refused unless [returns] accept_old_versions), and its dates."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pilot_docs.errors import SourceError
from pilot_docs.returns.collect import collect, ledger_path
from pilot_docs.returns.forms import FORM_SHEET, META_SHEET, return_form
from pilot_docs.source.config import load_config
from pilot_docs.source.project import find_project, load_model
from tests.progress_helpers import fill_form, seed_project

NOW = dt.datetime(2009, 7, 1, 9, 0)
ROWS = {"1.1": ("已完成", dt.date(2009, 6, 20), "指挥中心已挂牌", "", "张三"),
        "4.1": ("推进中", None, "正在筹建", "", "张三")}


def _refused(root: Path, form: Path) -> list[str]:
    ledger = ledger_path(find_project(root))
    before = ledger.read_bytes() if ledger.exists() else None
    result = collect([form], root, NOW)
    assert not result.added and result.refused
    assert (ledger.read_bytes() if ledger.exists() else None) == before
    assert not (root / "source" / "returns").exists()
    return [str(p).removeprefix(str(form)) for p in result.refused]


def _tweaked(form: Path, out: Path, tweak) -> Path:
    wb = load_workbook(form)
    tweak(wb)
    wb.save(out)
    return out


def _edit_plan(root: Path, tweak) -> None:
    path = root / "source" / "任务分解表.xlsx"
    wb = load_workbook(path)
    tweak(wb["任务分解"])
    wb.save(path)


def _config(root: Path, text: str) -> None:
    with (root / "pilot-docs.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n" + text + "\n")


def test_a_deleted_or_moved_column_is_refused_at_the_header(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    form = fill_form(root, "市财政局", ROWS)
    deleted = _tweaked(form, tmp_path / "deleted.xlsx", lambda wb: wb[FORM_SHEET].delete_cols(7))
    assert _refused(root, deleted) == [("!进度反馈!G6: the header row was changed: column G is '存在问题', not "
                                       "'进展情况' (a column deleted, inserted or moved?); use the form as it was sent")]

    def swap(wb) -> None:
        ws = wb[FORM_SHEET]
        for r in range(6, ws.max_row + 1):
            ws.cell(r, 8).value, ws.cell(r, 9).value = ws.cell(r, 9).value, ws.cell(r, 8).value

    assert _refused(root, _tweaked(form, tmp_path / "moved.xlsx", swap))[0].startswith(
        "!进度反馈!H6: the header row was changed: column H is '联系人', not '存在问题'")


def test_the_agency_line_and_the_hidden_agency_must_agree(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    form = fill_form(root, "市财政局", ROWS)
    edited = _tweaked(form, tmp_path / "line.xlsx", lambda wb: wb[FORM_SHEET].__setitem__("A3", "填报单位：市财政局"))
    assert _refused(root, edited) == [("!进度反馈!A3: the 填报单位 line was changed (it should read "
                                      "'填报单位：江门市财政局（市财政局）'); use the form as it was sent")]
    hidden = _tweaked(form, tmp_path / "hidden.xlsx", lambda wb: wb[META_SHEET].__setitem__("B5", "市安监局"))
    assert _refused(root, hidden) == [("!进度反馈!A3: the 填报单位 line names 市财政局 but the form's hidden sheet says "
                                      "市安监局; use the form as it was sent")]
    named = fill_form(root, "市财政局", ROWS, out=tmp_path / "进度反馈表-市安监局.xlsx")
    assert _refused(root, named) == [(": the file is named for 市安监局 but the form inside is 市财政局's; send each "
                                     "agency's own form")]
    assert collect([fill_form(root, "市财政局", ROWS, out=tmp_path / "进度反馈表-市财政局 (1).xlsx")], root,
                   NOW).added


def test_a_form_of_an_older_plan_is_refused_naming_each_changed_row(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    form = fill_form(root, "市财政局", ROWS)
    _edit_plan(root, lambda ws: ws.__setitem__("C3", ws["C3"].value + "（修订）"))
    _edit_plan(root, lambda ws: ws.__setitem__("D5", ws["D5"].value + "、市财政局"))  # item 1.3 added
    got = _refused(root, form)
    assert got[0].startswith("!进度反馈!C7: 工作内容 of item 1.1 is now '市本级要建成")
    assert got[0].endswith("in the plan: this form is of an older version of the plan; use the new form "
                           "(build/forms/) for 市财政局")
    assert got[1] == ("!进度反馈: item 1.3 was added to 市财政局's items since this form was made: this form is of an "
                      "older version of the plan; use the new form (build/forms/) for 市财政局")
    assert len(got) == 2
    _config(root, '[returns]\naccept_old_versions = ["content", "added"]')
    result = collect([form], root, NOW)
    assert [e.item for e in result.added] == ["1.1", "4.1"] and not result.refused


def test_an_item_removed_since_is_refused_or_ignored(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    form = fill_form(root, "市财政局", ROWS)
    _edit_plan(root, lambda ws: ws.__setitem__("D3", "市编办、市安监局"))
    assert _refused(root, form) == [("!进度反馈!A7: item 1.1 is no longer one of 市财政局's items in the current plan: "
                                    "this form is of an older version of the plan; use the new form (build/forms/) "
                                    "for 市财政局")]
    _config(root, '[returns]\naccept_old_versions = ["removed"]')
    assert [e.item for e in collect([form], root, NOW).added] == ["4.1"]


def test_dates_are_checked_against_each_other(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    late = fill_form(root, "市财政局", {"1.1": ("已完成", dt.date(2009, 6, 29), "", "", "")}, dt.date(2009, 6, 28))
    assert _refused(root, late) == ["!进度反馈!F7: 完成日期 2009-06-29 is after the form's 填报日期 2009-06-28 (C4)"]
    future = fill_form(root, "市财政局", ROWS, dt.date(2090, 6, 28))
    assert _refused(root, future) == ["!进度反馈!C4: 填报日期 2090-06-28 is after today (2009-07-01)"]
    old = fill_form(root, "市财政局", {"4.1": ("推进中", None, "", "", "")}, dt.date(2007, 6, 28))
    assert _refused(root, old) == [("!进度反馈!C4: 填报日期 2007-06-28 is not within the plan's year 2009 (from "
                                   "2008-10-03 to 2010-03-31; [returns] date_margin_days)")]
    _config(root, "[returns]\ndate_margin_days = 730")
    assert collect([old], root, NOW).added


def test_forms_are_protected_with_the_configured_password(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    model, _ = load_model(find_project(root))
    plain = load_workbook(io.BytesIO(return_form(model, model.agency("市财政局"))))
    assert plain[FORM_SHEET].protection.password is None and not (plain.security and plain.security.lockStructure)
    wb = load_workbook(io.BytesIO(return_form(model, model.agency("市财政局"), "s3cret")))
    assert wb[FORM_SHEET].protection.sheet and wb[FORM_SHEET].protection.password  # stored as Excel's hash
    assert wb[META_SHEET].protection.password and wb.security.lockStructure
    assert b"s3cret" not in return_form(model, model.agency("市财政局"), "s3cret")
    _config(root, '[returns]\npassword = "s3cret"')
    from pilot_docs.build.pipeline import build

    build(root, tmp_path / "out", only=("form",))
    built = tmp_path / "out" / "forms" / "进度反馈表-市财政局.xlsx"
    assert load_workbook(built).security.lockStructure
    filled = _tweaked(built, tmp_path / "filled.xlsx", lambda wb: [
        wb[FORM_SHEET].__setitem__("C4", dt.date(2009, 6, 28)), wb[FORM_SHEET].__setitem__("E8", "推进中")])
    assert [e.item for e in collect([filled], root, NOW).added] == ["4.1"]


def test_returns_keys_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "pilot-docs.toml"
    path.write_text('[returns]\naccept_old_versions = ["content", "everything"]\n', encoding="utf-8")
    with pytest.raises(SourceError, match=r"pilot-docs.toml:2: returns.accept_old_versions: unknown change "
                                          r"'everything' \(known: task, content, deadline, added, removed\)"):
        load_config(path, "pilot-docs.toml")
    path.write_text("[returns]\npasword = 1\n", encoding="utf-8")
    with pytest.raises(SourceError, match="unknown key returns.pasword"):
        load_config(path, "pilot-docs.toml")


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
def test_a_form_saved_by_libreoffice_and_resorted_is_accepted(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    form = fill_form(root, "市安监局", {"1.1": ("已完成", dt.date(2009, 6, 20), "挂牌", "", "张三"),
                                        "2.1": ("推进中", None, "汇编中", "人手不足", "")})

    def resort(wb) -> None:  # the rows in reverse order, as a sort by 编号 descending leaves them
        ws = wb[FORM_SHEET]
        rows = [[ws.cell(r, c).value for c in range(1, 10)] for r in range(7, ws.max_row + 1)]
        for r, values in enumerate(reversed(rows), 7):
            for c, v in enumerate(values, 1):
                ws.cell(r, c).value = v

    resorted = _tweaked(form, tmp_path / "resorted.xlsx", resort)
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(resorted)], check=True,
                   capture_output=True, timeout=180)
    result = collect([out / "resorted.xlsx"], root, NOW)
    assert not result.refused, [str(p) for p in result.refused]
    assert sorted((e.item, e.status) for e in result.added) == [("1.1", "已完成"), ("2.1", "推进中")]


def test_text_no_document_can_print_is_refused_at_its_cell(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    form = fill_form(root, "市财政局", {"1.1": ("推进中", None, "进展顺利👍", "", "")})
    got = _refused(root, form)
    assert len(got) == 1 and got[0].startswith("!进度反馈!G7: character '👍' (U+1F44D) has no glyph in any "
                                               "configured font (仿宋_GB2312 → ")
    assert got[0].endswith("so no document could print it; remove it or write it in words")


def test_a_ledger_holding_unprintable_text_never_stops_a_build(tmp_path: Path) -> None:
    from pilot_docs.build.pipeline import build
    from pilot_docs.render import pdf_text

    root = seed_project(tmp_path)
    collect([fill_form(root, "市财政局", {"1.1": ("已完成", dt.date(2009, 6, 20), "挂牌完成", "", "")})], root, NOW)
    ledger = ledger_path(find_project(root))
    lines = ledger.read_text(encoding="utf-8").splitlines()
    lines.append(lines[0].replace("挂牌完成", "挂牌完成👍"))  # as an older collect let it in; the latest report
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build(root, tmp_path / "out", only=("summary",), formats=("pdf",))
    warned = [str(p) for p in result.warnings if "U+1F44D" in p.message]
    assert len(warned) == 1
    assert warned[0].startswith(f"{ledger}:2: warning: 市财政局, item 1.1: character '👍' (U+1F44D) has no glyph "
                                "in any configured font (仿宋_GB2312 → ")
    assert warned[0].endswith("; shown as 〓")
    text = pdf_text((tmp_path / "out" / "summary" / "年度总结汇编-2009.pdf").read_bytes())
    assert "挂牌完成〓" in "".join(text.split())
