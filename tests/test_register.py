"""The issue register, `changes`, change notices and document numbers."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from pilot_docs.build import build
from pilot_docs.errors import SourceError
from pilot_docs.mail.register import read_register, register_path
from pilot_docs.source.project import find_project, load_model
from tests.helpers import REPO, run_cli, seed_config_without

NUMBERING = """
[numbering.letter]
pattern = "江安委〔{year}〕{n}号"
start = 10

[change]
date = 2009-09-01

[numbering.change]
pattern = "江安委变〔{year}〕{n}号"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(REPO / "source", root / "source")
    (root / "pilot-docs.toml").write_text(seed_config_without("numbering", "change") + NUMBERING,
                                          encoding="utf-8")
    return root


def edit(root: Path) -> str:
    """Move item 1.1's deadline; add a unit to item 2.1 (returned)."""
    path = root / "source" / "任务分解表.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["任务分解"]
    assert ws["E3"].value == "上半年前"
    ws["E3"] = "9月底前"
    model, _ = load_model(find_project(root))
    added = next(a.name for a in model.agencies if not {"1.1", "2.1"} & set(a.items) and not a.groups)
    cell = model.item("2.1").location.cell.replace("C", "D")
    ws[cell] = ws[cell].value + "、" + added
    wb.save(path)
    return added


def pdf_text(path: Path) -> str:
    """A PDF's text without line breaks, nor the invisible marks a Typst PDF holds beside brackets (README: PDF
    engines)."""
    return "".join(p.extract_text() for p in PdfReader(path).pages).replace("\n", "").translate(INVISIBLE)


INVISIBLE = str.maketrans("", "", "\u200b\u2060")


def test_issue_then_changes_name_exactly_the_agencies_affected(project: Path) -> None:
    out = project / "build"
    build(project, out, only=("letter",), formats=("pdf",))
    numbers = [pdf_text(p) for p in sorted((out / "letters").glob("*.pdf"))]
    assert all("江安委〔2009〕" in t for t in numbers)
    result = run_cli("issue", "--source", str(project), "--date", "2009-05-20")
    assert result.exit_code == 0, result.output
    records = read_register(register_path(find_project(project)))
    assert len(records) == 41 and {r.kind for r in records} == {"letter"}
    assert sorted(r.serial for r in records) == list(range(10, 51))  # one number each, from start, never reused
    by_agency = {r.agency: r for r in records}
    assert by_agency["市安监局"].number in pdf_text(out / "letters" / "交办通知-市安监局.pdf")
    # what went out is kept as it was: source/issued/<date>/<path>, the PDF the register's sha256 names
    kept = project / "source" / "issued" / "2009-05-20" / "letters" / "交办通知-市安监局.pdf"
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == by_agency["市安监局"].sha256
    # nothing changed: no changes, nothing more to issue, the rebuilt letters keep their numbers
    assert "0 agencies with changes" in run_cli("changes", "--source", str(project)).output
    assert "recorded 0 document(s)" in run_cli("issue", "--source", str(project), "--date", "2009-05-21").output
    build(project, out, only=("letter",), formats=("pdf",))
    assert by_agency["市财政局"].number in pdf_text(out / "letters" / "交办通知-市财政局.pdf")

    added = edit(project)
    model, _ = load_model(find_project(project))
    affected = {a.name for a in model.agencies if "1.1" in a.items or "2.1" in a.items}
    found = json.loads(run_cli("changes", "--source", str(project), "--json").stdout)
    assert set(found) == affected
    assert found["市财政局"] == [{"item": "1.1", "what": "deadline", "before": "上半年前", "after": "9月底前"}]
    assert [c["what"] for c in found[added]] == ["added"]
    result = build(project, out, only=("change", "bundle"), formats=("pdf", "docx"))
    notices = {p.name for p in (out / "changes").iterdir()}
    assert notices == {f"变更通知-{a}.{f}" for a in affected for f in ("pdf", "docx")}
    text = pdf_text(out / "changes" / "变更通知-市财政局.pdf")
    assert "完成时间调整" in text and "上半年前" in text and "9月底前" in text and "江安委变〔2009〕" in text
    assert "2009年9月1日" in text  # [change] date
    numbers = {pdf_text(p).split("关于调整")[0] for p in (out / "changes").glob("*.pdf")}
    assert len(numbers) == len(affected)  # one number each
    assert by_agency["市财政局"].number in text  # it names the letter it changes
    bundled = {p.parent.name for p in (out / "bundles").glob("*/变更通知-*.pdf")}
    assert bundled == affected and result.count("bundle") == 41  # the notice travels in its agency's bundle
    assert run_cli("issue", "--source", str(project), "--date", "2009-09-01").exit_code == 0
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == by_agency["市安监局"].sha256  # not the new letter
    assert (project / "source" / "issued" / "2009-09-01" / "changes" / "变更通知-市财政局.docx").is_file()
    later = read_register(register_path(find_project(project)))[41:]
    assert {r.agency for r in later} == affected and {r.kind for r in later} == {"change"}
    assert "0 agencies with changes" in run_cli("changes", "--source", str(project)).output
    since = json.loads(run_cli("changes", "--source", str(project), "--since", "2009-06-01", "--json").stdout)
    assert set(since) == affected  # compared with what stood on that date
    listed = run_cli("register", "--source", str(project), "--xlsx", str(project / "登记簿.xlsx")).output
    assert "江安委变〔2009〕1号" in listed and f"{41 + len(affected)} record(s)" in listed
    ws = openpyxl.load_workbook(project / "登记簿.xlsx")["发文登记簿"]
    assert ws.max_row == 1 + 41 + len(affected) and ws["C2"].value == "江安委〔2009〕10号" and ws["D2"].value == "交办通知"


def test_kinds_sharing_a_pattern_share_its_series_and_a_notice_never_takes_the_letters_number(
        project: Path) -> None:
    """Letters (one number for the batch) and change notices of one pattern draw from one series, so no number
    is used twice; without [numbering.change] a notice shows 〔　〕号 (and check says so), not the letters' number, and without
    [change] date ××××年××月××日, not the letters' date."""
    config = project / "pilot-docs.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("start = 10", "start = 10\nbatch = true")
                      .replace("江安委变〔{year}〕{n}号", "江安委〔{year}〕{n}号"), encoding="utf-8")
    out = project / "build"
    build(project, out, only=("letter",), formats=("pdf",))
    assert run_cli("issue", "--source", str(project), "--date", "2009-05-20").exit_code == 0
    edit(project)
    build(project, out, only=("change",), formats=("pdf",))
    assert run_cli("issue", "--source", str(project), "--date", "2009-09-01").exit_code == 0
    records = read_register(register_path(find_project(project)))
    numbers = [r.number for r in records if r.kind == "change"]
    assert {r.number for r in records if r.kind == "letter"} == {"江安委〔2009〕10号"}
    assert numbers == [f"江安委〔2009〕{n}号" for n in range(11, 11 + len(numbers))]

    # the same table again, but no [numbering.change]: the notices carry no number of their own
    config.write_text(seed_config_without("numbering", "change"), encoding="utf-8")
    register_path(find_project(project)).unlink()
    shutil.copy(REPO / "source" / "任务分解表.xlsx", project / "source" / "任务分解表.xlsx")
    build(project, out, only=("letter",), formats=("pdf",))
    assert run_cli("issue", "--source", str(project), "--date", "2009-05-20").exit_code == 0
    edit(project)
    build(project, out, only=("change",), formats=("pdf",))
    text = pdf_text(out / "changes" / "变更通知-市财政局.pdf")
    assert "〔　〕号" in text.split("关于调整")[0] and "江安委〔2009〕5号" not in text.split("关于调整")[0]
    assert "××××年××月××日印发" in text and "5月20日印发—" not in text  # no [change] date: not the letters' date
    checked = run_cli("check", "--source", str(project)).output
    assert "[numbering.change] is not set" in checked and "[change] date" in checked


def test_issue_needs_a_build_and_a_damaged_register_is_an_error(project: Path) -> None:
    result = run_cli("issue", "--source", str(project))
    assert result.exit_code == 1 and "run pilot-docs build first" in result.stderr
    path = register_path(find_project(project))
    path.write_text('{"agency": "x"\n', encoding="utf-8")
    with pytest.raises(SourceError, match="damaged register line"):
        read_register(path)
    result = run_cli("changes", "--source", str(project))
    assert result.exit_code == 1 and "issued.jsonl:1" in result.stderr and "Traceback" not in result.output


def test_numbering_is_checked(project: Path) -> None:
    config = project / "pilot-docs.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('{n}号"\nstart', '号"\nstart'), encoding="utf-8")
    result = run_cli("check", "--source", str(project))
    assert result.exit_code == 1 and "must hold {n}" in result.stderr


def test_numbering_is_per_kind(project: Path) -> None:
    config = project / "pilot-docs.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[numbering.memo]\npattern = "{n}"\n', encoding="utf-8")
    result = run_cli("check", "--source", str(project))
    assert result.exit_code == 1
    assert "[numbering.letter], [numbering.change], [numbering.reminder]" in result.stderr


def test_a_batch_shares_one_number(project: Path) -> None:
    config = project / "pilot-docs.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("start = 10", "start = 10\nbatch = true"),
                      encoding="utf-8")
    build(project, project / "build", only=("letter",), formats=("pdf",))
    run_cli("issue", "--source", str(project), "--date", dt.date(2009, 5, 20).isoformat())
    assert {r.number for r in read_register(register_path(find_project(project)))} == {"江安委〔2009〕10号"}


REMINDER_NUMBERING = """
[numbering.reminder]
pattern = "督办〔{year}〕{n}号"
start = 3
"""


def _reminder_numbers(out: Path, as_of: str) -> dict[str, str]:
    """Each reminder's 发文字号 as its PDF prints it: agency → number."""
    found = {}
    for path in sorted((out / "reminders").glob(f"督办通知-*-{as_of}.pdf")):
        match = re.search(r"督办〔2009〕\d+号", pdf_text(path))
        assert match, path.name
        found[path.name.removeprefix("督办通知-").removesuffix(f"-{as_of}.pdf")] = match.group(0)
    return found


def test_reminders_get_their_own_numbers_from_the_register(project: Path) -> None:
    from pilot_docs.returns.collect import collect
    from tests.progress_helpers import fill_form

    config = project / "pilot-docs.toml"
    config.write_text(config.read_text(encoding="utf-8") + REMINDER_NUMBERING, encoding="utf-8")
    out = project / "build"
    model, _ = load_model(find_project(project))
    order = [a.name for a in model.agencies]
    build(project, out, only=("letter", "reminder"), formats=("pdf",), as_of=dt.date(2009, 11, 1))
    printed = _reminder_numbers(out, "2009-11-01")
    agencies = sorted(printed, key=order.index)
    assert len(agencies) > 5
    # one number each, in the agencies' order, from [numbering.reminder] start
    assert [printed[a] for a in agencies] == [f"督办〔2009〕{n}号" for n in range(3, 3 + len(agencies))]

    assert run_cli("issue", "--source", str(project), "--date", "2009-11-02").exit_code == 0
    records = [r for r in read_register(register_path(find_project(project))) if r.kind == "reminder"]
    assert {r.agency: r.number for r in records} == printed  # the register holds exactly what was printed
    assert all(r.items and r.path.endswith("-2009-11-01.pdf") for r in records)
    listed = run_cli("register", "--source", str(project)).output
    assert f"{printed[agencies[0]]}  reminder  {agencies[0]}" in listed

    # rebuilt unchanged: every reminder keeps its number, and issuing again records nothing
    build(project, out, only=("letter", "reminder"), formats=("pdf",), as_of=dt.date(2009, 11, 1))
    assert _reminder_numbers(out, "2009-11-01") == printed
    again = run_cli("issue", "--source", str(project), "--date", "2009-11-03")
    assert again.exit_code == 0 and "recorded 0 document(s)" in again.output

    # one agency reports again: its reminder says something new and gets the next number; the others keep theirs
    changed = agencies[1]
    item = next(i for i in model.agency(changed).items if model.item(i).deadline.date
                and model.item(i).deadline.date < dt.date(2009, 11, 1))
    form = fill_form(project, changed, {item: ("推进中", None, "已完成初稿", "经费不足", "赵六")}, dt.date(2009, 10, 20))
    assert collect([form], project, dt.datetime(2009, 10, 21)).added
    build(project, out, only=("letter", "reminder"), formats=("pdf",), as_of=dt.date(2009, 11, 1))
    now = _reminder_numbers(out, "2009-11-01")
    assert now[changed] == f"督办〔2009〕{3 + len(agencies)}号"
    assert {a: n for a, n in now.items() if a != changed} == {a: n for a, n in printed.items() if a != changed}
    run_cli("issue", "--source", str(project), "--date", "2009-11-04")
    records = [r for r in read_register(register_path(find_project(project))) if r.kind == "reminder"]
    assert [(r.agency, r.number) for r in records[len(agencies):]] == [(changed, now[changed])]

    # a later date: every reminder is new, numbered on; no number is ever used twice
    build(project, out, only=("letter", "reminder"), formats=("pdf",), as_of=dt.date(2009, 11, 20))
    later = _reminder_numbers(out, "2009-11-20")
    run_cli("issue", "--source", str(project), "--date", "2009-11-21")
    numbers = [r.number for r in read_register(register_path(find_project(project))) if r.kind == "reminder"]
    assert len(numbers) == len(set(numbers)) == len(agencies) + 1 + len(later)
    assert set(later.values()) <= set(numbers) and not set(later.values()) & set(printed.values())
