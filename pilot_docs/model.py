"""The validated model of a plan: tasks, work items, deadlines and agencies. Plain data, no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .errors import Location


@dataclass(frozen=True)
class Deadline:
    """完成时间: the text as written, the date it names (if any) and its kind.

    kind is "by" (a date), "ongoing" (持续推进, 长期坚持), "recurring" (每季度) or "unknown"
    (text with no date), or "none" when the table has no deadline for the item.
    """

    text: str
    date: dt.date | None = None
    kind: str = "none"

    def to_json(self) -> dict[str, Any]:
        """The deadline as JSON-ready data."""
        return {"text": self.text, "date": self.date.isoformat() if self.date else None, "kind": self.kind}


@dataclass
class WorkItem:
    """工作内容: one work item of a task, with its responsible units as written in the table."""

    id: str
    content: str
    units: list[str]
    deadline: Deadline
    lead: list[str] = field(default_factory=list)  # 牵头单位
    partners: list[str] = field(default_factory=list)  # 配合单位
    location: Location | None = None  # where the item's content cell is
    number: str | None = None  # the item's own number as typed (（1）, ①, 3), from 序号 or the start of the content
    milestones: list[tuple[dt.date, str]] = field(default_factory=list)  # a schedule's (date, text), in order
    extra: dict[str, str] = field(default_factory=dict)  # header as typed → value, for the columns kept as typed
    more_units: bool = False  # the units cell ended in 等 / 等部门: others share the item

    def to_json(self) -> dict[str, Any]:
        """The item as JSON-ready data."""
        data: dict[str, Any] = {
            "id": self.id,
            "number": self.number,
            "content": self.content,
            "units": list(self.units),
            "lead": list(self.lead),
            "partners": list(self.partners),
            "deadline": self.deadline.to_json(),
            "milestones": [{"date": d.isoformat(), "text": t} for d, t in self.milestones],
            "extra": dict(self.extra),
        }
        if self.location is not None:
            data["cell"] = str(self.location)
        return data


@dataclass
class Task:
    """工作任务: a numbered task with its work items."""

    no: int
    title: str
    items: list[WorkItem] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # the section headings above it, outermost first (一、 then （一）)
    number: str | None = None  # the task's number as typed in 序号 (一, （二）, 3)

    @property
    def group(self) -> str | None:
        """The innermost section heading the task is under, or None."""
        return self.groups[-1] if self.groups else None

    def to_json(self) -> dict[str, Any]:
        """The task as JSON-ready data."""
        return {"no": self.no, "title": self.title, "group": self.group, "items": [i.to_json() for i in self.items]}


ROLES = ("number", "task", "content", "units", "lead", "partners", "deadline", "people", "remarks", "extra", "group")


@dataclass(frozen=True)
class Column:
    """One column of the office's table: its header as typed, its role (one of ROLES) and its position."""

    header: str
    role: str
    cols: tuple[int, ...] = ()  # the sheet columns it covers (a header merged over two covers both)

    def to_json(self) -> dict[str, Any]:
        """The column as JSON-ready data."""
        return {"header": self.header, "role": self.role}


@dataclass
class Agency:
    """A recipient of documents: one agency after aliases are merged and groups expanded."""

    name: str
    full_name: str
    items: list[str] = field(default_factory=list)  # ids of the agency's work items, in table order
    aliases: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # group names through which it is named
    email: str | None = None
    contact: str | None = None
    phone: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The agency as JSON-ready data."""
        return {
            "name": self.name,
            "full_name": self.full_name,
            "items": list(self.items),
            "aliases": list(self.aliases),
            "groups": list(self.groups),
            "email": self.email,
            "contact": self.contact,
            "phone": self.phone,
        }


@dataclass
class Plan:
    """The plan's metadata: issuer, year, document number, dates and the text of 组织领导."""

    title: str
    year: int | None
    issuer: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # further keys from pilot-docs.toml [plan]

    def to_json(self) -> dict[str, Any]:
        """The plan as JSON-ready data."""
        return {"title": self.title, "year": self.year, "issuer": self.issuer, **_jsonable(self.extra)}


@dataclass
class Model:
    """Everything the documents are made from: plan, tasks and recipient agencies."""

    plan: Plan
    tasks: list[Task]
    agencies: list[Agency]
    source: str = ""
    columns: list[Column] = field(default_factory=list)  # the table's columns, in the office's order

    def items(self) -> list[WorkItem]:
        """All work items in table order."""
        return [item for task in self.tasks for item in task.items]

    def item(self, item_id: str) -> WorkItem:
        """The work item with this id."""
        for item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def agency(self, name: str) -> Agency:
        """The agency with this short name."""
        for agency in self.agencies:
            if agency.name == name:
                return agency
        raise KeyError(name)

    def to_json(self) -> dict[str, Any]:
        """The whole model as JSON-ready data (the shape `pilot-docs check --json` prints)."""
        return {
            "source": self.source,
            "plan": self.plan.to_json(),
            "tasks": [t.to_json() for t in self.tasks],
            "agencies": [a.to_json() for a in self.agencies],
            "columns": [c.to_json() for c in self.columns],
        }


def _jsonable(value: Any) -> Any:
    """Dates and nested containers made JSON-ready."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
