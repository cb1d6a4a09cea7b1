"""The reader against real tables (tests/real/): each published table, transcribed as an office types it, is read
as a careful human reads it — counts, agencies, extra columns and the hardest items (units, roles, numbers,
sections, deadlines). Every mismatch of a table is listed in one failure message. tests/real/README.md records
what the reader does with each table today."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from pilot_docs.build.pipeline import build
from pilot_docs.errors import SourceError
from pilot_docs.source.project import find_project, load_model
from tests.real import make_real

REAL = Path(__file__).resolve().parent / "real"
TABLES = sorted(p.stem for p in REAL.glob("*.json"))
# A few tables of different shapes whose annex and letters are built (about a second each).
BUILT = ("dazhu-2016-minsheng", "zhonglou-2021-minsheng", "gangcheng-2021-fangguanfu", "suining-2016-huanwei")

# A number typed at the start of a cell: 1. 1、 1． （1） (1) （一） 一、 ①
_LEADING_NUMBER = re.compile(r"^(?:[（(][0-9一二三四五六七八九十]+[)）]|[0-9]+[.．、]|[一二三四五六七八九十]+、|[①-⑳])")


def norm(text: str | None) -> str:
    """Text compared loosely: no whitespace, brackets half-width."""
    return "".join((text or "").split()).replace("（", "(").replace("）", ")")


def strip_number(text: str | None) -> str:
    """Text without the number typed at its start (repeatedly: 一、（一）…)."""
    text = norm(text)
    while True:
        stripped = _LEADING_NUMBER.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def norm_number(text: Any) -> str:
    """A typed number compared loosely: （1） and (1) alike, 1. and 1、 and 1 alike."""
    return norm(str(text) if text is not None else "").rstrip(".．、")


def read(slug: str) -> tuple[dict[str, Any], dict[str, Any] | None, str]:
    """The table's expectations, the model's JSON (None if the reader refused it) and the refusal."""
    expected = json.loads((REAL / f"{slug}.json").read_text(encoding="utf-8"))
    try:
        model, _warnings = load_model(find_project(REAL / f"{slug}.xlsx"))
    except SourceError as exc:
        return expected, None, str(exc).replace("\n", " | ")
    data = model.to_json()
    for task, task_data in zip(model.tasks, data["tasks"]):
        task_data["typed_number"] = task.number  # the task's number as typed (not in the JSON: the seed's is fixed)
    return expected, data, ""


def mismatches(expected: dict[str, Any], model: dict[str, Any]) -> list[str]:
    """Every way the model differs from what a careful human reads in the table."""
    out: list[str] = []
    tasks = model["tasks"]
    items = [(task, it) for task in tasks for it in task["items"]]
    groups = {task.get("group") for task in tasks} - {None, ""}
    got = {"groups": len(groups), "tasks": len(tasks), "items": len(items), "agencies": len(model["agencies"])}
    for key, want in expected["counts"].items():
        if got[key] != want:
            out.append(f"counts.{key}: expected {want}, read {got[key]}")
    names = {a["name"] for a in model["agencies"]}
    want_names = set(expected["agencies"])
    if names != want_names:
        out.append(f"agencies: missing {sorted(want_names - names)}, unexpected {sorted(names - want_names)}")
    # Kept columns: those whose values the model carries per item by their header as typed (people such as
    # 责任领导, remarks, anything else): the expectations list them all as `extra_columns` (README, conventions).
    extra = {c["header"] for c in model.get("columns", []) if c.get("role") in ("people", "remarks", "extra")}
    if extra != set(expected["extra_columns"]):
        out.append(f"extra columns: expected {sorted(expected['extra_columns'])}, read {sorted(extra)}"
                   + ("" if "columns" in model else " (the model has no 'columns')"))
    used: set[int] = set()
    for want in expected["items"]:
        start = strip_number(want["content_starts"])
        found = next(((i, task, it) for i, (task, it) in enumerate(items)
                      if i not in used and strip_number(it["content"]).startswith(start)), None)
        label = f"item {want['content_starts']!r}"
        if found is None:
            out.append(f"{label}: not found")
            continue
        i, task, it = found
        used.add(i)
        out.extend(f"{label}: {m}" for m in item_mismatches(want, task, it))
    return out


def item_mismatches(want: dict[str, Any], task: dict[str, Any], it: dict[str, Any]) -> list[str]:
    """How one model item (and its task) differs from the expected item."""
    out: list[str] = []
    if want["task_starts"] is not None and not strip_number(task["title"]).startswith(strip_number(want["task_starts"])):
        out.append(f"task {task['title'][:20]!r}, expected one starting {want['task_starts']!r}")
    group = task.get("group")
    if want["group_starts"] is None:
        if group:
            out.append(f"group {group[:20]!r}, expected none")
    elif norm(want["group_starts"]) not in norm(group):
        out.append(f"group {group!r}, expected one containing {want['group_starts']!r}")
    # The row's 序号: the item's own number, or, for an item without one, its task's (a 序号 numbering a task of
    # one row numbers that row too; README, conventions).
    number = it.get("number") if it.get("number") is not None else task.get("typed_number")
    if norm_number(number) != norm_number(want["number"]):
        out.append(f"number {number!r}, expected {want['number']!r}" + ("" if "number" in it else " (no 'number')"))
    for key in ("units", "lead", "partners"):
        if set(it[key]) != set(want[key]):
            out.append(f"{key} {sorted(it[key])}, expected {sorted(want[key])}")
    deadline = it["deadline"]
    if deadline["date"] != want["deadline"] or deadline["kind"] != want["deadline_kind"]:
        out.append(f"deadline {deadline['text']!r} read as {deadline['date']} ({deadline['kind']}), expected "
                   f"{want['deadline']} ({want['deadline_kind']})")
    milestones = [[m.get("date"), m.get("text", "")] for m in it.get("milestones", [])]
    want_ms = want["milestones"]
    if len(milestones) != len(want_ms) or any(
            got[0] != exp[0] or not norm(got[1]).startswith(norm(exp[1])) for got, exp in zip(milestones, want_ms)):
        out.append(f"milestones {milestones}, expected {want_ms}")
    return out


def test_the_corpus_is_what_make_real_writes() -> None:
    """The workbooks and expectations on disk are exactly what the transcriptions give (regenerate to change)."""
    stale = [p.name for p, data in make_real.files().items() if not p.is_file() or p.read_bytes() != data]
    assert not stale, f"regenerate with `python -m tests.real.make_real`: {stale}"
    assert len(TABLES) >= 15


@pytest.mark.parametrize("slug", TABLES)
def test_expectations_are_consistent(slug: str) -> None:
    """Each table's JSON agrees with itself: counts match lists, every unit named is an agency, roles are units."""
    expected = json.loads((REAL / f"{slug}.json").read_text(encoding="utf-8"))
    assert set(expected) == set(make_real.JSON_KEYS)
    assert expected["counts"]["agencies"] == len(set(expected["agencies"])) == len(expected["agencies"])
    assert expected["source"].startswith("http") and expected["shape"]
    assert len(expected["items"]) <= expected["counts"]["items"]
    for it in expected["items"]:
        assert set(it["units"]) <= set(expected["agencies"]), it["content_starts"]
        assert set(it["lead"]) | set(it["partners"]) <= set(it["units"]), it["content_starts"]
        assert (it["deadline"] is None) == (it["deadline_kind"] in ("none", "unknown", "ongoing")), it
        assert it["deadline_kind"] in ("by", "ongoing", "recurring", "unknown", "none")


@pytest.mark.parametrize("slug", TABLES)
def test_real_table_is_read_as_a_careful_human_reads_it(slug: str) -> None:
    """The model of the table has the counts, agencies, extra columns and items a careful human reads."""
    expected, model, refusal = read(slug)
    problems = [f"the reader refused the table: {refusal}"] if model is None else mismatches(expected, model)
    assert not problems, f"{slug} ({expected['shape']}):\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("slug", BUILT)
def test_real_table_builds_its_annex_and_letters(slug: str, tmp_path: Path) -> None:
    """The annex and the letters of a real table are made without error."""
    workbook = tmp_path / f"{slug}.xlsx"
    shutil.copy(REAL / f"{slug}.xlsx", workbook)
    try:
        build(workbook, tmp_path / "build", only=("annex", "letter"), formats=("pdf",))
    except SourceError as exc:
        pytest.fail(f"{slug}: the build refused the table: {exc}")
    pdfs = sorted(p.name for p in (tmp_path / "build").rglob("*.pdf"))
    assert len(pdfs) >= 2, f"{slug}: expected the annex and at least one letter, made {pdfs}"
