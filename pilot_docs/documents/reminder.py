"""督办通知: what one agency's reminder says — its items overdue or due soon as of a date, with the last status
and problems it reported — as plain data for reminder.html.j2."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import Model
from ..returns.ledger import Entry
from .common import PLACEHOLDERS, Document, plan_context
from .kinds import kind
from .progress import progress
from .report import _deadline_cell
from .typography import cn_date, cn_text, doc_number


def reminders(model: Model, entries: list[Entry], as_of: dt.date, report: dict[str, Any],
              settings: dict[str, Any], records: list | tuple = (),
              numbering: dict[str, Any] | None = None) -> list[Document]:
    """One 督办通知 per agency with items overdue or due within [report] at_risk_days, in the agencies' order.

    `report` is the [report] table (its issuer, at_risk_days), `settings` the [reminder] table (doc_number,
    title, reply_days, requirements); with `numbering` (the [numbering] table) holding `reminder`, each carries
    its own number from the issue register `records` (mail/register.py reminder_numbers), else doc_number."""
    from ..mail.register import reminder_numbers

    days = int(report.get("at_risk_days", 30))
    figures = progress(model, entries, as_of, days)
    plan = plan_context(model)
    office = plan["office"]
    issuer = cn_text(report.get("issuer", office))
    reply_by = as_of + dt.timedelta(days=int(settings.get("reply_days", 7)))
    rows: dict[str, list[dict[str, Any]]] = {}
    for item_progress in figures.items:
        for pair in item_progress.pairs:
            if not (pair.overdue or pair.at_risk):
                continue
            deadline = item_progress.item.deadline.date
            assert deadline is not None  # overdue and at risk both need a date
            gap = (deadline - as_of).days
            entry = pair.entry
            rows.setdefault(pair.agency, []).append({
                "id": item_progress.item.id, "content": cn_text(item_progress.item.content).replace("\n", ""),
                "deadline": _deadline_cell(item_progress.item), "overdue": pair.overdue,
                "days": -gap if pair.overdue else gap, "status": pair.status,
                "reported": cn_date(entry.reported_date) if entry else "",
                "text": cn_text(entry.text) if entry else "", "problems": cn_text(entry.problems) if entry else ""})
    rows = {a.name: rows[a.name] for a in model.agencies if rows.get(a.name)}  # in the agencies' order
    numbers = reminder_numbers(model, list(records), {"numbering": numbering or {}}, rows)
    documents = []
    for agency in model.agencies:
        items = rows.get(agency.name)
        if not items:
            continue
        number = numbers[agency.name][0] if agency.name in numbers else settings.get("doc_number", "")
        context = {
            "plan": {**plan, "issuer": issuer,
                     "issuer_mark": cn_text(report.get("issuer_mark", issuer + "文件")),
                     "doc_number": doc_number(number) or PLACEHOLDERS["doc_number"],
                     "date": cn_date(as_of), "print_date": cn_date(as_of)},
            "title": cn_text(settings.get("title", f"关于加快推进{plan['subject']}有关任务的督办通知")),
            "recipient": cn_text(agency.full_name),
            "agency": {"name": cn_text(agency.name), "full_name": cn_text(agency.full_name)},
            "as_of": cn_date(as_of),
            "at_risk_days": days,
            "items": items,
            "overdue": sum(1 for i in items if i["overdue"]),
            "at_risk": sum(1 for i in items if not i["overdue"]),
            "reply_by": cn_date(reply_by),
            "office": office,
            # [reminder] requirements; when empty the template says the default paragraph
            "requirements": cn_text(settings.get("requirements", "")),
            "sample": any(e.sample for e in entries if e.agency == agency.name and e.reported_date <= as_of),
        }
        documents.append(kind("reminder").document(context, agency.name, date=as_of.isoformat()))
    return documents
