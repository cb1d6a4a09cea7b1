"""交办通知: what one agency's assignment letter says, as plain data for letter.html.j2."""

from __future__ import annotations

from ..model import Agency, Model, WorkItem
from ..source.units import name_key
from .common import Document, plan_context
from .kinds import kind
from .typography import cn_date, cn_list, cn_text, doc_number


def _deadline_text(item: WorkItem) -> str:
    text = cn_text(item.deadline.text)
    if item.deadline.date and item.deadline.kind == "by" and cn_date(item.deadline.date) != text:
        return f"{text}（{cn_date(item.deadline.date)}前）"
    return text


def letter(model: Model, agency: Agency, number: str = "") -> Document:
    """交办通知 for one agency: its items grouped by task, with deadlines, partners and its role; `number` is its
    发文字号 from the register's numbering (else [plan] doc_number)."""
    plan = plan_context(model)
    if number:
        plan["doc_number"] = doc_number(number)
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
            lead = [u for u in item.lead if u in others]
            partners = [u for u in item.partners if u in others] if role == "牵头" else []
            rest = [u for u in others if u not in lead and u not in partners]
            items.append({"id": item.id, "content": cn_text(item.content).split("\n"),
                          "deadline": _deadline_text(item), "kind": item.deadline.kind,
                          "others": cn_text(cn_list(rest) + ("等" if item.more_units and rest else "")),
                          "role": role, "lead": cn_text(cn_list(lead)),
                          "partners": cn_text(cn_list(partners) + ("等" if item.more_units and not rest else "")),
                          "numbered": bool(item.number) and item.content.lstrip().startswith(item.number or ""),
                          "milestones": [cn_text(text) for _, text in item.milestones],
                          "people": _people(model, item)})
        if items:
            groups.append({"no": task.no, "title": cn_text(task.title), "work_items": items})
    title = plan_title(model)
    context = {
        "plan": plan,
        "title": title,
        "recipient": cn_text(agency.full_name),
        "agency": {"name": cn_text(agency.name), "full_name": cn_text(agency.full_name),
                   "aliases": [cn_text(a) for a in agency.aliases], "groups": [cn_text(g) for g in agency.groups],
                   "contact": cn_text(agency.contact or ""), "phone": agency.phone or "", "email": agency.email or ""},
        # [plan] letter_intro; when it is empty the template says the default sentence
        "intro": cn_text(model.plan.extra.get("letter_intro", "")),
        "tasks": groups,
        "count": count,
        "attachment": plan["title"],
    }
    return kind("letter").document(context, agency.name)


def _people(model: Model, item: WorkItem) -> list[dict[str, str]]:
    """The people the table names for an item (责任领导, 联系人), by their column's header as typed."""
    return [{"header": cn_text(c.header), "text": cn_text(item.extra[c.header]).replace("\n", "、")}
            for c in model.columns if c.role == "people" and item.extra.get(c.header)]


def plan_title(model: Model) -> str:
    """The letters' title: config `letter_title`, else 关于落实《name》任务分工的通知."""
    configured = model.plan.extra.get("letter_title")
    if configured:
        return cn_text(configured)
    name = plan_context(model)["subject"]
    return f"关于落实{name}任务分工的通知"


def _names_agency(unit: str, agency: Agency) -> bool:
    """True when a unit as written stands for this agency (itself, an alias, or a group it belongs to)."""
    key = name_key(unit)
    return any(key == name_key(n) for n in (agency.name, *agency.aliases, *agency.groups))
