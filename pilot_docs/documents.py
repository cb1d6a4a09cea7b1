"""What each document says, as plain data for its template: the annex and one assignment letter per agency.

Text from the workbook and config is normalized here (full-width punctuation, 〔〕, Chinese dates), so the
templates only lay it out. Nothing here knows about HTML, DOCX or PDF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .model import Agency, Model, WorkItem
from .typography import cn_date, cn_list, cn_text, doc_number
from .units import name_key

CN_DIGITS = "零一二三四五六七八九"
CN_ORDINALS = "一二三四五六七八九十"  # 1..10, for templates that index it


def _cn_below_10000(n: int) -> str:
    """1..9999 in Chinese numerals: 一百零一, 一千零一十, 三千二百."""
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            out += ("零" if zero and out else "") + CN_DIGITS[digit] + unit
            zero = False
        else:
            zero = True
    return out


PART_ROWS = 600  # table rows in one part of a long document, about 40 pages (see render/parts.py)


def in_parts(things: list, weight: Callable[[Any], int] = lambda _: 1, limit: int = PART_ROWS) -> list[list]:
    """Consecutive runs of `things`, each weighing at most `limit` (a heavier single thing is a run of its own):
    a long document puts each run after the first in a <section class="part">, which begins on a new page and
    is laid out on its own, so that memory stays bounded. A short document is one run: its layout is unchanged."""
    runs: list[list] = [[]]
    total = 0
    for thing in things:
        w = weight(thing)
        if runs[-1] and total + w > limit:
            runs.append([])
            total = 0
        runs[-1].append(thing)
        total += w
    return runs


def cn_ordinal(n: int) -> str:
    """A positive number in Chinese numerals, for headings 一、 and （一）: 1 → 一, 12 → 十二, 21 → 二十一,
    101 → 一百零一, 1010 → 一千零一十, 20003 → 二万零三. Zero and negatives stay in Arabic digits."""
    if n <= 0:
        return str(n)
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        return cn_ordinal(high) + "万" + (("零" if low < 1000 else "") + _cn_below_10000(low) if low else "")
    text = _cn_below_10000(n)
    return text[1:] if 10 <= n < 20 else text  # 十二, not 一十二


@dataclass
class Document:
    """One document to produce: its kind, template, file stem, the agency it is for, and what it says."""

    kind: str  # "annex" | "letter"
    template: str
    stem: str  # file name without extension, before sanitizing
    agency: str | None
    context: dict[str, Any] = field(default_factory=dict)
    landscape: bool = False


def _deadline_text(item: WorkItem) -> str:
    text = cn_text(item.deadline.text)
    if item.deadline.date and item.deadline.kind == "by" and cn_date(item.deadline.date) != text:
        return f"{text}（{cn_date(item.deadline.date)}前）"
    return text


def plan_context(model: Model) -> dict[str, Any]:
    """What every document shows of the plan: issuer, number, dates, 抄送, 组织领导."""
    extra = model.plan.extra
    year = model.plan.year
    date = extra.get("date") or (dt.date(year, 1, 1) if year else None)
    issuer = cn_text(model.plan.issuer or extra.get("office", ""))
    return {
        "title": cn_text(model.plan.title),
        "name": cn_text(extra.get("name", model.plan.title)),
        "year": year,
        "issuer": issuer,
        "issuer_mark": cn_text(extra.get("issuer_mark") or (issuer + "文件" if issuer else "")),
        "office": cn_text(extra.get("office", issuer)),
        "doc_number": doc_number(extra.get("doc_number", "")),
        "date": cn_date(date),
        "print_date": cn_date(extra.get("print_date") or date),
        "cc": [cn_text(c) for c in extra.get("cc", [])],
        "leadership": [{"heading": cn_text(e.get("heading", "")), "text": cn_text(e["text"])}
                       for e in extra.get("leadership", [])],
    }


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
    return Document(kind="annex", template="annex.html.j2", stem="附件-任务责任分解表", agency=None,
                    context={"plan": plan, "tasks": tasks, "task_parts": in_parts(tasks, _annex_rows),
                             "has_deadlines": any(i.deadline.text for i in model.items())},
                    landscape=True)


def _annex_rows(task: dict[str, Any]) -> int:
    """The weight of a task in the annex: its rows, a multi-line content counting for its lines."""
    return sum(max(1, len(item["content"])) for item in task["work_items"])


def letter(model: Model, agency: Agency) -> Document:
    """交办通知 for one agency: its items grouped by task, with deadlines, partners and its role."""
    plan = plan_context(model)
    own = set(agency.items)
    groups = []
    count = 0
    for task in model.tasks:
        items = []
        for item in task.items:
            if item.id not in own:
                continue
            count += 1
            others = [u for u in item.units if not _names_agency(u, agency)]
            role = ""
            if any(_names_agency(u, agency) for u in item.lead):
                role = "牵头"
            elif any(_names_agency(u, agency) for u in item.partners):
                role = "配合"
            items.append({"id": item.id, "content": cn_text(item.content).split("\n"),
                          "deadline": _deadline_text(item), "kind": item.deadline.kind,
                          "others": cn_text(cn_list(others)), "role": role,
                          "lead": cn_text(cn_list([u for u in item.lead if u in others]))})
        if items:
            groups.append({"no": task.no, "title": cn_text(task.title), "work_items": items})
    title = plan_title(model)
    context = {
        "plan": plan,
        "title": title,
        "recipient": cn_text(agency.full_name),
        "agency": {"name": cn_text(agency.name), "full_name": cn_text(agency.full_name)},
        "intro": cn_text(model.plan.extra.get("letter_intro") or (
            f"为贯彻落实《{plan['name']}》，确保试点工作各项任务按时完成，现将你单位承担的{count}项工作任务及有关"
            "要求通知如下，请认真抓好落实。")),
        "tasks": groups,
        "count": count,
        "attachment": plan["title"],
    }
    return Document(kind="letter", template="letter.html.j2", stem=f"交办通知-{agency.name}", agency=agency.name,
                    context=context)


def plan_title(model: Model) -> str:
    """The letters' title: config `letter_title`, else 关于落实《name》任务分工的通知."""
    configured = model.plan.extra.get("letter_title")
    if configured:
        return cn_text(configured)
    name = cn_text(model.plan.extra.get("name", model.plan.title))
    return f"关于落实{name}任务分工的通知"


def _names_agency(unit: str, agency: Agency) -> bool:
    """True when a unit as written stands for this agency (itself, an alias, or a group it belongs to)."""
    key = name_key(unit)
    return any(key == name_key(n) for n in (agency.name, *agency.aliases, *agency.groups))


def documents(model: Model) -> list[Document]:
    """Every document of a build, in a stable order: the annex, then one letter per agency."""
    return [annex(model), *(letter(model, a) for a in model.agencies)]
