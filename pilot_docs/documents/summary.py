"""年度总结汇编: what the year-end summary and the compiled volume say, as plain data for their templates.

Both are made as of the plan's year end from the progress ledger. Their tables of contents carry page numbers
that only a first PDF layout can tell: `pages_of` turns its outline into them (jobs.TocPass), and the build lays the
document out twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import Model
from ..returns.ledger import Entry, latest
from .annex import annex
from .common import Document, cn_ordinal, in_parts, plan_context
from .kinds import kind
from .progress import Progress, progress
from .report import _charts, _item_row, _tally_row, percent
from .typography import cn_date, cn_text


def year_end(model: Model) -> dt.date:
    """The last day of the plan's year."""
    return dt.date(model.plan.year or dt.date.today().year, 12, 31)


def summary_context(model: Model, entries: list[Entry], font: tuple[str, int]) -> dict[str, Any]:
    """The summary's content: totals, charts, each item's outcome per unit, per-agency rates, what is unfinished."""
    as_of = year_end(model)
    figures: Progress = progress(model, entries, as_of, 0)
    plan = plan_context(model)
    total = figures.total
    tasks = []
    for n, task in enumerate(model.tasks, 1):
        items = []
        for item_progress in (i for i in figures.items if i.task_no == task.no):
            rows = []
            for pair in item_progress.pairs:
                entry = pair.entry
                finished = entry.completed if entry else None
                on_time = "是" if pair.on_time else ("否" if pair.done else "—")
                rows.append({"agency": cn_text(pair.agency), "status": pair.status,
                             "date": cn_date(finished) if finished else "", "on_time": on_time,
                             "text": cn_text(" ".join(x for x in (entry.text, entry.problems) if x)) if entry else ""})
            row = _item_row(item_progress, {})
            items.append({**row, "rows": rows, "done": item_progress.done})
        tasks.append({"no": task.no, "ordinal": cn_ordinal(n), "title": cn_text(task.title), "work_items": items})
    return {
        "plan": {**plan, "date": cn_date(as_of)},
        "title": cn_text(f"{plan['subject']}年度总结汇编"),
        "year_end": cn_date(as_of),
        "summary": {"tasks": len(model.tasks), "work_items": total.items, "agencies": len(model.agencies),
                    "pairs": total.pairs, "done": total.done, "rate": percent(total.rate), "on_time": total.on_time,
                    "items_done": figures.items_done,
                    "items_rate": percent(figures.items_done / total.items if total.items else 0),
                    "reported": figures.agencies_reported, "unfinished": len(figures.items) - figures.items_done},
        "charts": _charts(figures, font) if total.pairs else [],
        "tasks": tasks,
        "task_parts": in_parts(tasks, lambda t: sum(len(i["rows"]) + 2 for i in t["work_items"])),
        "agencies": [_tally_row(a, a.name) for a in figures.agencies],
        "total": _tally_row(total, "合计"),
        "unfinished": (unfinished := [_item_row(i, {}) for i in figures.items if not i.done]),
        "unfinished_parts": in_parts(unfinished, lambda _: 2),
        "sample": any(e.sample for e in entries if e.reported_date <= as_of),
        "toc": [("一、总体情况", False), ("二、各项任务完成情况", False),
                *[(f"（{t['ordinal']}）{t['title']}", True) for t in tasks],
                ("三、各单位完成情况", False), ("四、未完成事项", False)],
        "pages": {},  # heading → page, filled from a first layout (jobs.TocPass)
    }


def returns_context(model: Model, entries: list[Entry]) -> list[dict[str, Any]]:
    """Each agency's latest return as of the year end: its items with status, dates and what it reported."""
    reports = latest(entries, year_end(model))
    out = []
    for agency in model.agencies:
        rows = []
        for item_id in agency.items:
            entry = reports.get((agency.name, item_id))
            rows.append({"id": item_id, "content": cn_text(model.item(item_id).content).replace("\n", ""),
                         "status": entry.status if entry else "未报送",
                         "date": cn_date(entry.completed) if entry and entry.completed else "",
                         "text": cn_text(" ".join(x for x in (entry.text, entry.problems) if x)) if entry else "",
                         "reported": cn_date(entry.reported_date) if entry else ""})
        reported = sorted({r["reported"] for r in rows if r["reported"]})
        out.append({"name": cn_text(agency.name), "full_name": cn_text(agency.full_name), "rows": rows,
                    "reported": reported[-1] if reported else ""})
    return out


def year_end_summary(model: Model, entries: list[Entry], font: tuple[str, int],
                     context: dict[str, Any] | None = None) -> Document:
    """年度总结汇编 in DOCX and PDF (from `context`, the summary_context already made, when given)."""
    context = dict(context or summary_context(model, entries, font))
    return kind("summary").document(context, year=model.plan.year)


def compiled_volume(model: Model, entries: list[Entry], font: tuple[str, int], own=None,
                    context: dict[str, Any] | None = None) -> Document:
    """The compiled volume: the summary, the agencies' own summaries when `source/summaries/` exists (`own`,
    own_summaries.OwnSummaries), the annex and every agency's latest return, one page sequence (from `context`,
    the summary_context already made, when given: its charts are drawn once for both)."""
    context = dict(context or summary_context(model, entries, font))
    context["annex"] = annex(model).context
    context["returns"] = returns_context(model, entries)
    context["return_parts"] = in_parts(context["returns"], lambda a: len(a["rows"]) + 3)
    context["title"] = cn_text(f"{context['plan']['subject']}年度汇编")
    titles = ["年度总结", *(["各单位年度总结"] if own is not None else []), "任务责任分解表", "各单位进度反馈"]
    context["part_titles"] = {t: f"第{cn_ordinal(n)}部分　{t}" for n, t in enumerate(titles, 1)}
    context["own"] = None if own is None else {
        "parts": [{"name": cn_text(s.agency), "full_name": cn_text(s.full_name), "file": s.file, "format": s.format,
                   "sha256": s.sha256, "title": cn_text(f"{s.agency}年度工作总结")} for s in own.parts],
        "missing": [cn_text(a) for a in own.missing], "refused": [cn_text(a) for a in own.refused]}
    part = context["part_titles"]
    own_parts = [] if own is None else [(part["各单位年度总结"], False),
                                        *[(s["title"], True) for s in context["own"]["parts"]]]
    context["toc"] = [(part["年度总结"], False), *context["toc"], *own_parts, (part["任务责任分解表"], False),
                      (part["各单位进度反馈"], False), *[(a["name"], True) for a in context["returns"]]]
    return kind("volume").document(context, year=model.plan.year)


def pages_of(outline: list[tuple[str, int, int]]) -> dict[str, int]:
    """Each heading's page, from a first layout's outline (title, level, page): what fills a 目录."""
    return {title: page for title, _, page in outline}
