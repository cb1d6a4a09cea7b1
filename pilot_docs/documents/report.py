"""What a progress report (进度通报) says as of a date, as plain data for its template, charts included."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from ..model import Model
from ..returns.ledger import Entry
from .charts import MAX_BARS, Bar, bar_chart, bounded
from .common import PLACEHOLDERS, Document, in_parts, plan_context
from .kinds import kind
from .progress import LIGHT_WORDS, Progress, Tally, progress
from .typography import cn_date, cn_list, cn_text, doc_number


def percent(value: float) -> str:
    """A share as a whole percentage: 0.456 → 46%."""
    return f"{round(100 * value)}%"


def png_uri(data: bytes) -> str:
    """A PNG as a data: URI, so the HTML carries its images and both writers read the same bytes."""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _tally_row(tally: Tally, label: str) -> dict[str, Any]:
    return {"name": cn_text(label), "items": tally.items, "pairs": tally.pairs, "reported": tally.reported,
            "done": tally.done, "on_time": tally.on_time, "overdue": tally.overdue, "at_risk": tally.at_risk,
            "rate": percent(tally.rate)}


def report_date(settings: dict[str, Any], as_of: dt.date | None) -> dt.date:
    """The as-of date: the option, else [report] as_of of the config, else today."""
    return as_of or settings.get("as_of") or dt.date.today()


def progress_report(model: Model, entries: list[Entry], as_of: dt.date, settings: dict[str, Any],
                    font: tuple[str, int]) -> Document:
    """进度通报 as of a date: overall completion, per task and per agency tables, overdue items, charts.

    `settings` is the [report] table of the config (issuer, doc_number, title, recipients, at_risk_days…).
    """
    at_risk_days = int(settings.get("at_risk_days", 30))
    figures = progress(model, entries, as_of, at_risk_days)
    plan = plan_context(model)
    office = plan["office"]
    issuer = cn_text(settings.get("issuer", office))
    names = {a.name: a for a in model.agencies}
    items = [_item_row(i, names) for i in figures.items]
    overdue = [_item_row(i, names) for i in figures.overdue_items]
    at_risk = [_item_row(i, names) for i in figures.at_risk_items]
    charts = _charts(figures, font) if figures.total.pairs else []
    total = figures.total
    sample = any(e.sample for e in entries if e.reported_date <= as_of)
    tasks = [_tally_row(t, f"{task.no}．{task.title}") | {"no": task.no, "title": cn_text(task.title)}
             for t, task in zip(figures.tasks, model.tasks, strict=True)]
    context = {
        "plan": {**plan, "issuer_mark": cn_text(settings.get("issuer_mark", issuer + "文件")),
                 "doc_number": doc_number(settings.get("doc_number", "")) or PLACEHOLDERS["doc_number"],
                 "issuer": issuer,
                 "date": cn_date(as_of), "print_date": cn_date(as_of)},
        "title": cn_text(settings.get("title", f"关于{plan['subject']}进展情况的通报")),
        "recipients": cn_text(settings.get("recipients") or cn_list(units_of(model))),
        "as_of": cn_date(as_of),
        "at_risk_days": at_risk_days,
        "summary": {
            "tasks": len(model.tasks), "work_items": total.items, "agencies": len(model.agencies),
            "reported": figures.agencies_reported, "items_done": figures.items_done,
            "items_rate": percent(figures.items_done / total.items if total.items else 0),
            "pairs": total.pairs, "done": total.done, "rate": percent(total.rate), "on_time": total.on_time,
            "overdue": len(overdue), "at_risk": len(at_risk),
            "not_reported": cn_list([cn_text(a.name) for a in figures.agencies if not a.reported]),
        },
        "charts": charts,
        "tasks": tasks,
        "agencies": [_tally_row(a, a.name) for a in figures.agencies],
        "total": _tally_row(total, "合计"),
        "items": items,
        # each long table in runs, each run after the first a part of its own (laid out apart: bounded memory)
        "task_parts": in_parts(tasks),
        "item_parts": in_parts(items),
        "lights": {light: sum(1 for i in items if i["light"] == light) for light in LIGHT_WORDS},
        "overdue": overdue,
        "at_risk": at_risk,
        "overdue_parts": in_parts(overdue),
        "at_risk_parts": in_parts(at_risk),
        "office": office,
        # [report] requirements; when it is empty the template says the default paragraph
        "requirements": cn_text(settings.get("requirements", "")),
        "sample": sample,
    }
    return kind("progress").document(context, date=as_of.isoformat())


def units_of(model: Model) -> list[str]:
    """Every unit the table names, as written (a group such as a county-level list stays one name), in order."""
    return list(dict.fromkeys(u for item in model.items() for u in item.units))


def _deadline_cell(item) -> str:
    """An item's deadline as written, with the date it names when that differs: 年底前（2009年12月31日）."""
    deadline = cn_text(item.deadline.text)
    if item.deadline.date and deadline != cn_date(item.deadline.date):
        deadline += f"（{cn_date(item.deadline.date)}）"
    return deadline


def _item_row(item_progress, names) -> dict[str, Any]:
    item = item_progress.item
    return {"id": item.id, "content": cn_text(item.content).replace("\n", ""), "deadline": _deadline_cell(item),
            "pending": cn_list([cn_text(n) for n in item_progress.pending_agencies]),
            "statuses": cn_list([f"{cn_text(p.agency)}（{p.status}）" for p in item_progress.pairs if not p.done]),
            "units_done": f"{sum(p.done for p in item_progress.pairs)}/{len(item_progress.pairs)}",
            **light_cell(item_progress)}


def light_cell(item_progress) -> dict[str, Any]:
    """An item's light for a template: `light` red, yellow, green or "" (none) and the word it shows (`light_word`:
    逾期, 临期, 已完成; 未到期 or 未完成 — no deadline — without a light)."""
    light = item_progress.light
    if light:
        return {"light": light, "light_word": LIGHT_WORDS[light]}
    return {"light": "", "light_word": "未到期" if item_progress.item.deadline.date else "未完成"}


def _charts(figures: Progress, font: tuple[str, int]) -> list[dict[str, str]]:
    by_task = [Bar(f"{n + 1}．{t.name}", t.pairs, t.done, t.overdue, t.at_risk) for n, t in enumerate(figures.tasks)]
    by_agency = [Bar(a.name, a.pairs, a.done, a.overdue, a.at_risk) for a in figures.agencies]
    # a long table's charts show the bars with the most overdue and sum the rest (charts.bounded): one page each
    task_note = f"，逾期较多的{MAX_BARS - 1}项单列，其余{n}项合并" if (n := bounded(by_task)[1]) else ""
    agency_note = f"，逾期较多的{MAX_BARS - 1}个单位单列，其余{n}个合并" if (n := bounded(by_agency)[1]) else ""
    return [
        {"src": png_uri(bar_chart(by_task, *font)), "caption": f"图1　各项任务完成情况（按责任单位计{task_note}）",
         "alt": "各项任务完成情况"},
        {"src": png_uri(bar_chart(by_agency, *font, font_pt=9)),
         "caption": f"图2　各责任单位完成情况{f'（{agency_note[1:]}）' if agency_note else ''}",
         "alt": "各责任单位完成情况"},
    ]
