"""附件：任务责任分解表 — the office's own table, as plain data for annex.html.j2: its columns as typed, in its
order, section rows as section rows, 牵头 and 配合 apart when the table had them, every other column kept."""

from __future__ import annotations

from typing import Any

from ..model import Column, Model, Task, WorkItem
from .common import Document, in_parts, plan_context
from .kinds import kind
from .typography import cn_list, cn_text

# How wide each role's column is, relative to the others (the annex is landscape, in percent of its width).
WEIGHTS = {"number": 6, "task": 14, "content": 34, "units": 18, "lead": 14, "partners": 16, "deadline": 10,
           "people": 10, "remarks": 9, "extra": 10}
# The classic table (序号 | 工作任务 | 工作内容 | 责任单位 | 完成时间) keeps the widths it always had.
CLASSIC = {("number", "task", "content", "units", "deadline"): (6, 16, 44, 24, 10),
           ("number", "task", "content", "units"): (6, 16, 52, 26)}
DEFAULT_COLUMNS = [Column("序号", "number"), Column("工作任务", "task"), Column("工作内容", "content"),
                   Column("责任单位", "units"), Column("完成时间", "deadline")]


def _widths(roles: tuple[str, ...]) -> list[int]:
    if roles in CLASSIC:
        return list(CLASSIC[roles])
    weights = [WEIGHTS.get(r, 10) for r in roles]
    widths = [max(3, round(100 * w / sum(weights))) for w in weights]
    widest = max(range(len(widths)), key=lambda i: weights[i])
    widths[widest] += 100 - sum(widths)
    return widths


def _columns(model: Model, has_deadlines: bool) -> list[dict[str, Any]]:
    """The annex's columns: the office's (a model made without them gets the classic five)."""
    columns = [c for c in (model.columns or DEFAULT_COLUMNS) if c.role != "group"]
    if not any(c.role in ("task", "content") for c in columns):
        columns = DEFAULT_COLUMNS
    seen: set[str] = set()
    out = []
    for column in columns:
        if column.role == "deadline" and not has_deadlines:
            continue
        key = column.role if column.role not in ("people", "remarks", "extra") else f"extra:{column.header}"
        if column.role in ("number", "task", "content", "units", "lead", "partners", "deadline") and key in seen:
            continue  # a role spread over two columns (a header merged over both) is shown once
        seen.add(key)
        out.append({"header": cn_text(column.header), "role": column.role, "key": column.header})
    for column, width in zip(out, _widths(tuple(c["role"] for c in out)), strict=True):
        column["width"] = width
    return out


def _units_cells(item: WorkItem, roles: set[str]) -> dict[str, str]:
    """The text of the units, lead and co-operating cells of an item, by role."""
    cells: dict[str, str] = {}
    if "lead" in roles or "partners" in roles:
        cells["lead"] = cn_list(item.lead)
        cells["partners"] = cn_list(item.partners)
        if "units" in roles:
            cells["units"] = cn_list([u for u in item.units if u not in item.lead and u not in item.partners])
        elif "lead" not in roles:
            cells["partners"] = cn_list([u for u in item.units if u not in item.lead] if item.lead else item.units)
        elif "partners" not in roles:
            cells["lead"] = cn_list([u for u in item.units if u not in item.partners])
    else:  # one units column: roles written in it are shown as marks, as offices type them
        cells["units"] = cn_list([u + ("（牵头）" if u in item.lead else "（配合）" if u in item.partners else "")
                                  for u in item.units]) if (item.lead or item.partners) else cn_list(item.units)
    if item.more_units:
        last = next((r for r in ("partners", "units", "lead") if r in roles and cells.get(r)), None)
        if last:
            cells[last] += "等"
    return {role: cn_text(text) for role, text in cells.items()}


def _own_number(item: WorkItem) -> bool:
    """True when the item's number is its own 序号 (typed in the number column), not the start of its content."""
    return bool(item.number) and not item.content.lstrip().startswith(item.number or "")


def annex(model: Model) -> Document:
    """附件：任务责任分解表 — every section, task and item, with 完成时间 merged where consecutive items share it."""
    has_deadlines = any(i.deadline.text for i in model.items())
    columns = _columns(model, has_deadlines)
    roles = {c["role"] for c in columns}
    tasks = []
    previous: list[str] = []
    for task in model.tasks:
        items = []
        for item in task.items:
            shared = bool(items) and items[-1]["deadline_raw"] == item.deadline.text
            entry = {"id": item.id, "content": cn_text(item.content).split("\n"),
                     "units": cn_text(cn_list(item.units)), "deadline": cn_text(item.deadline.text),
                     "deadline_raw": item.deadline.text, "deadline_rows": 1, "deadline_shared": shared,
                     "number": cn_text(item.number or ""), "cells": {}}
            entry["cells"].update(_units_cells(item, roles))
            for column in columns:
                if column["role"] in ("people", "remarks", "extra"):
                    entry["cells"][column["key"]] = cn_text(item.extra.get(column["key"], "")).split("\n")
            items.append(entry)
        for k in range(len(items) - 1, 0, -1):  # a shared deadline spans down from the first of its run
            if items[k]["deadline_shared"]:
                items[k - 1]["deadline_rows"] += items[k]["deadline_rows"]
        tasks.append({"no": task.no, "title": cn_text(task.title), "work_items": items,
                      "number": cn_text(task.number or str(task.no)),
                      "numbered_items": any(_own_number(i) for i in task.items),
                      "headings": _new_headings(previous, task)})
        previous = task.groups
    plan = plan_context(model)
    return kind("annex").document({"plan": plan, "tasks": tasks, "task_parts": in_parts(tasks, _annex_rows),
                                   "has_deadlines": has_deadlines, "columns": columns})


def _new_headings(previous: list[str], task: Task) -> list[str]:
    """The section headings that start above this task: those of its path that the task before did not have."""
    common = 0
    while common < min(len(previous), len(task.groups)) and previous[common] == task.groups[common]:
        common += 1
    return [cn_text(h) for h in task.groups[common:]]


def _annex_rows(task: dict[str, Any]) -> int:
    """The weight of a task in the annex: its rows, a multi-line content counting for its lines."""
    return sum(max(1, len(item["content"])) for item in task["work_items"]) + len(task["headings"])
