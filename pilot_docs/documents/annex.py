"""附件：任务责任分解表 — what the annex table says, as plain data for annex.html.j2."""

from __future__ import annotations

from typing import Any

from ..model import Model
from .common import Document, in_parts, plan_context
from .kinds import kind
from .typography import cn_list, cn_text


def annex(model: Model) -> Document:
    """附件：任务责任分解表 — every task and item, with 完成时间 merged where consecutive items share it."""
    tasks = []
    for task in model.tasks:
        items = []
        for item in task.items:
            shared = bool(items) and items[-1]["deadline_raw"] == item.deadline.text
            items.append({"id": item.id, "content": cn_text(item.content).split("\n"),
                          "units": cn_text(cn_list(item.units)), "deadline": cn_text(item.deadline.text),
                          "deadline_raw": item.deadline.text, "deadline_rows": 1, "deadline_shared": shared})
        for k in range(len(items) - 1, 0, -1):  # a shared deadline spans down from the first of its run
            if items[k]["deadline_shared"]:
                items[k - 1]["deadline_rows"] += items[k]["deadline_rows"]
        tasks.append({"no": task.no, "title": cn_text(task.title), "work_items": items})
    plan = plan_context(model)
    return kind("annex").document({"plan": plan, "tasks": tasks, "task_parts": in_parts(tasks, _annex_rows),
                                   "has_deadlines": any(i.deadline.text for i in model.items())})


def _annex_rows(task: dict[str, Any]) -> int:
    """The weight of a task in the annex: its rows, a multi-line content counting for its lines."""
    return sum(max(1, len(item["content"])) for item in task["work_items"])
