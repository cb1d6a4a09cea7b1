"""变更通知: what one agency's change notice says — item by item, what it was assigned when last issued to and
what the table says now — as plain data for change.html.j2."""

from __future__ import annotations

from typing import Any

from ..mail.register import Issued, changes, last_issued, planned_numbers
from ..model import Model
from .common import PLACEHOLDERS, Document, plan_context
from .kinds import kind
from .letter import plan_title
from .typography import cn_date, cn_text, doc_number


def change_notices(model: Model, records: list[Issued], config: dict[str, Any]) -> list[Document]:
    """One notice per agency whose assignment changed since it was last issued to; none before anything was
    issued. `config` gives [change] title and reason, [numbering.change] the numbers."""
    found = changes(model, records)
    if not found:
        return []
    settings = config.get("change", {})
    last = last_issued(records)
    numbers = planned_numbers(model, records, config, "change", list(found), set())
    names = {a.name: a for a in model.agencies}
    documents = []
    for name, items in found.items():
        agency = names.get(name)
        if agency is None:  # no longer in the table: nothing to send it a notice with
            continue
        plan = plan_context(model)
        # a number of its own, never the letters' (without [numbering.change]: 〔　〕号, filled in by hand)
        plan["doc_number"] = doc_number(numbers[name][0]) if name in numbers else PLACEHOLDERS["doc_number"]
        # [change] date: the notices' 成文日期 and 印发日期 — never the letters' own date, which they follow
        plan["date"] = plan["print_date"] = cn_date(settings["date"]) if settings.get("date") else PLACEHOLDERS["date"]
        previous = last[name]
        rows = [{"id": c.item, "what": c.label, "kind": c.what, "before": cn_text(c.before),
                 "after": cn_text(c.after)} for c in items]
        context = {
            "plan": plan,
            "title": cn_text(settings.get("title", f"关于调整{plan['subject']}任务分工的通知")),
            "recipient": cn_text(agency.full_name),
            "agency": {"name": cn_text(agency.name), "full_name": cn_text(agency.full_name)},
            "previous": {"number": doc_number(previous.number), "date": cn_date(_date(previous.date)),
                         "title": plan_title(model)},
            "changes": rows,
            "count": len({c.item for c in items}),
            "reason": cn_text(settings.get("reason", "")),  # [change] reason: why the table changed
        }
        documents.append(kind("change").document(context, name))
    return documents


def _date(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)
