"""The issue register (source/issued.jsonl): what was issued to each agency — its items as they stood, the
document's number and sha256, the date — and what changed in the table since.

Append-only like the progress ledger: a record is one JSON line, appended under an exclusive lock with O_APPEND
and fsync, never rewritten, readable line by line after a crash (a torn last line is reported, never skipped).
Document numbers come from `[numbering]`: a number is assigned when a document is issued and kept by a
document rebuilt unchanged; a changed document gets the next one. Reminders (督办通知) are recorded too, each
with the rows it lists as its items: a reminder rebuilt with the same rows keeps its number.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Location, SourceError, quote
from ..locks import append_lines

if TYPE_CHECKING:
    from ..model import Agency, Model
    from ..source.project import Project

REGISTER_NAME = "issued.jsonl"
KINDS_ISSUED = ("letter", "change")  # what carries an agency's assignment


@dataclass(frozen=True)
class Issued:
    """One document issued to one agency."""

    agency: str
    kind: str  # "letter" | "change" | "reminder"
    number: str  # its 发文字号 ("" when no [numbering] and no doc_number)
    serial: int  # the n of its numbering pattern (0 when none)
    path: str  # in the output folder
    sha256: str
    date: str  # date of issue (ISO)
    items: list[dict[str, Any]] = field(default_factory=list)  # the agency's assignment as it stood (a reminder:
    # the rows it lists, as documents/reminder.py makes them)


@dataclass(frozen=True)
class Change:
    """One difference between what an agency was issued and what the table says now."""

    item: str
    what: str  # added | removed | content | deadline | units | role
    before: str
    after: str

    @property
    def label(self) -> str:
        """What changed, in the documents' words."""
        return LABELS[self.what]


LABELS = {"added": "新增", "removed": "取消", "content": "工作内容调整", "deadline": "完成时间调整",
          "units": "责任单位调整", "role": "承担方式调整"}


def register_path(project: Project) -> Path:
    """Beside the progress ledger, in source/."""
    from ..returns.ledger import ledger_path

    return ledger_path(project).with_name(REGISTER_NAME)


def read_register(path: Path) -> list[Issued]:
    """Every record in order; a damaged line is an error naming the file and line."""
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read the issue register: {exc}", Location(str(path))) from exc
    records = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict) or set(data) != {f for f in Issued.__dataclass_fields__}:
                raise ValueError("not a register record")
            dt.date.fromisoformat(data["date"])
            records.append(Issued(**data))
        except (ValueError, TypeError, KeyError) as exc:
            raise SourceError(f"damaged register line: {quote(exc, 120)[1:-1]}", Location(str(path), line=n)) from exc
    return records


def append_issued(path: Path, records: list[Issued]) -> None:
    """Append records: one write of whole lines with O_APPEND under an exclusive lock, then fsync."""
    if not records:
        return
    append_lines(path, "".join(json.dumps(asdict(r), ensure_ascii=False, sort_keys=True) + "\n"
                               for r in records).encode("utf-8"))


def assignment(model: Model, agency: Agency) -> list[dict[str, Any]]:
    """An agency's items as they stand: content, units, its role, deadline — what a change is measured on."""
    from ..documents.letter import _names_agency

    out = []
    for item_id in agency.items:
        item = model.item(item_id)
        role = ("lead" if any(_names_agency(u, agency) for u in item.lead) else
                "partner" if any(_names_agency(u, agency) for u in item.partners) else "")
        out.append({"id": item.id, "content": item.content, "units": list(item.units), "role": role,
                    "deadline": item.deadline.text, "deadline_date": item.deadline.date.isoformat()
                    if item.deadline.date else None})
    return out


def last_issued(records: list[Issued], since: dt.date | None = None) -> dict[str, Issued]:
    """Each agency's latest record that carries its assignment (issued on or before `since`)."""
    out: dict[str, Issued] = {}
    for record in records:
        if record.kind in KINDS_ISSUED and (since is None or dt.date.fromisoformat(record.date) <= since):
            out[record.agency] = record
    return out


def differences(before: list[dict[str, Any]], now: list[dict[str, Any]]) -> list[Change]:
    """Item by item, what changed between two assignments."""
    old = {i["id"]: i for i in before}
    new = {i["id"]: i for i in now}
    found = []
    for item_id, item in new.items():
        was = old.get(item_id)
        if was is None:
            found.append(Change(item_id, "added", "", item["content"]))
            continue
        if was["content"] != item["content"]:
            found.append(Change(item_id, "content", was["content"], item["content"]))
        if (was["deadline"], was["deadline_date"]) != (item["deadline"], item["deadline_date"]):
            found.append(Change(item_id, "deadline", was["deadline"], item["deadline"]))
        if was["units"] != item["units"]:
            found.append(Change(item_id, "units", "、".join(was["units"]), "、".join(item["units"])))
        if was["role"] != item["role"]:
            found.append(Change(item_id, "role", ROLE[was["role"]], ROLE[item["role"]]))
    found += [Change(item_id, "removed", was["content"], "") for item_id, was in old.items() if item_id not in new]
    return found


ROLE = {"lead": "牵头", "partner": "配合", "": "承担"}


def changes(model: Model, records: list[Issued], since: dt.date | None = None) -> dict[str, list[Change]]:
    """Per agency issued to before, what changed since; agencies with no change are left out. An agency that
    is no longer in the table has all its items removed."""
    last = last_issued(records, since)
    out: dict[str, list[Change]] = {}
    current = {a.name: a for a in model.agencies}
    for name, record in last.items():
        now = assignment(model, current[name]) if name in current else []
        found = differences(record.items, now)
        if found:
            out[name] = found
    order = {a.name: n for n, a in enumerate(model.agencies)}
    return dict(sorted(out.items(), key=lambda kv: order.get(kv[0], len(order))))


# ---- numbering ---------------------------------------------------------------------------------------------

PATTERN_FIELDS = re.compile(r"\{(year|n)\}")


@dataclass(frozen=True)
class Numbering:
    """[numbering.<kind>]: the pattern (××委〔{year}〕{n}号), the first n, and whether one number serves a
    whole batch (every letter issued together)."""

    pattern: str
    start: int = 1
    batch: bool = False

    def number(self, year: int | None, n: int) -> str:
        """The number for serial n."""
        return self.pattern.replace("{year}", str(year or "")).replace("{n}", str(n))

    def serial_of(self, number: str, year: int | None) -> int | None:
        """The serial of a number made by this pattern in this year, None for any other number."""
        parts = re.split(r"(\{year\}|\{n\})", self.pattern)
        regex = "".join(r"(\d+)" if part == "{n}" else re.escape(str(year or "")) if part == "{year}"
                        else re.escape(part) for part in parts)
        match = re.fullmatch(regex, number)
        return int(match.group(1)) if match else None


def numbering_of(config: dict[str, Any], kind: str) -> Numbering | None:
    """The kind's numbering from the config, if any."""
    table = config.get("numbering", {}).get(kind)
    if not table:
        return None
    return Numbering(table["pattern"], int(table.get("start", 1)), bool(table.get("batch", False)))


def planned_numbers(model: Model, records: list[Issued], config: dict[str, Any], kind: str,
                    agencies: list[str], unchanged: set[str]) -> dict[str, tuple[str, int]]:
    """The number each agency's document of a kind carries: the one it was issued with when it is unchanged,
    else the next of the pattern (shared by all when `batch`), in the agencies' order. Deterministic: the same
    register and table give the same numbers, and `pilot-docs issue` records exactly these."""
    numbering = numbering_of(config, kind)
    if numbering is None:
        return {}
    last = {r.agency: r for r in records if r.kind == kind}
    # One series per pattern and year, whatever kinds share it: a number is never used twice.
    used = (numbering.serial_of(r.number, model.plan.year) for r in records if r.number)
    n = max([numbering.start - 1, *(serial for serial in used if serial is not None)])
    out: dict[str, tuple[str, int]] = {}
    fresh = None
    for name in agencies:
        if name in unchanged and name in last and last[name].number:
            out[name] = (last[name].number, last[name].serial)
            continue
        if fresh is None or not numbering.batch:
            n += 1
            fresh = n
        out[name] = (numbering.number(model.plan.year, fresh), fresh)
    return out


def reminder_numbers(model: Model, records: list[Issued], config: dict[str, Any],
                     rows: dict[str, list[dict[str, Any]]]) -> dict[str, tuple[str, int]]:
    """The number of each agency's reminder (`rows`: agency → the rows it lists, in the agencies' order): the one
    of its last recorded reminder when that listed the same rows, else the next of [numbering.reminder]."""
    last = {r.agency: r for r in records if r.kind == "reminder"}
    unchanged = {name for name, items in rows.items() if name in last and last[name].items == items}
    return planned_numbers(model, records, config, "reminder", list(rows), unchanged)


REMINDER_DATE = re.compile(r"-(\d{4}-\d{2}-\d{2})\.pdf$")


def _issue_reminders(project: Project, model: Model, records: list[Issued], outputs: list, out: Path,
                     date: dt.date) -> list[Issued]:
    """The reminders of the build's latest date (older ones were superseded by it) not yet recorded as they
    are: each with the number the build printed and the rows it lists."""
    from ..build.jobs import project_fonts
    from ..documents.reminder import reminders
    from ..returns.ledger import ledger_path
    from ..returns.printable import printable_entries

    built: dict[str, dict[str, Any]] = {}
    for o in outputs:
        match = REMINDER_DATE.search(o.path) if o.kind == "reminder" and o.format == "pdf" else None
        if match:
            built.setdefault(match.group(1), {})[o.agency] = o
    if not built:
        return []
    as_of = max(built)
    path = ledger_path(project)
    entries, _ = printable_entries(path, str(path), project_fonts(project))
    documents = reminders(model, entries, dt.date.fromisoformat(as_of), project.config.get("report", {}),
                          project.config.get("reminder", {}), records, project.config.get("numbering", {}))
    rows = {d.agency: d.context["items"] for d in documents}
    numbers = reminder_numbers(model, records, project.config, rows)
    last = {r.agency: r for r in records if r.kind == "reminder"}
    fallback = project.config.get("reminder", {}).get("doc_number", "")
    new = []
    for name, items in rows.items():
        output = built[as_of].get(name)
        if output is None:
            raise SourceError(f"no reminder for {name} as of {as_of} in the build: run pilot-docs build first",
                              Location(str(out / "manifest.json")))
        if name in last and last[name].items == items:
            continue  # issued as it is: it keeps its number
        number, serial = numbers.get(name, (fallback, 0))
        new.append(Issued(name, "reminder", number, serial, output.path, output.sha256, date.isoformat(), items))
    return new


def issue(project: Project, model: Model, out: Path, date: dt.date) -> list[Issued]:
    """Record what the build in `out` issues: each agency's letter the first time, its change notice when its
    assignment changed since; nothing for an agency whose assignment is as issued. The documents must be in
    the build's manifest (run pilot-docs build first)."""
    from ..build.output import read_manifest

    path = register_path(project)
    records = read_register(path)
    outputs = read_manifest(out)
    built = {(o.kind, o.agency): o for o in outputs if o.format == "pdf"}
    last = last_issued(records)
    changed = changes(model, records)
    letters = planned_numbers(model, records, project.config, "letter", [a.name for a in model.agencies],
                              {r.agency for r in records if r.kind == "letter"})
    notices = planned_numbers(model, records, project.config, "change", list(changed), set())
    fallback = {"letter": model.plan.extra.get("doc_number", ""), "change": ""}  # not the letters' number
    new = []
    for agency in model.agencies:
        if agency.name in last and agency.name not in changed:
            continue  # issued as it stands
        kind = "change" if agency.name in last else "letter"
        output = built.get((kind, agency.name))
        if output is None:
            raise SourceError(f"no {'change notice' if kind == 'change' else 'letter'} for {agency.name} in the "
                              "build: run pilot-docs build first", Location(str(out / "manifest.json")))
        number, serial = (notices if kind == "change" else letters).get(agency.name, (fallback[kind], 0))
        new.append(Issued(agency.name, kind, number, serial, output.path, output.sha256, date.isoformat(),
                          assignment(model, agency)))
    new += _issue_reminders(project, model, records, outputs, out, date)
    archive(project, out, new)
    append_issued(path, new)
    return new


ARCHIVE_NAME = "issued"


def archive_path(project: Project, record: Issued) -> Path:
    """Where the issued document is kept: source/issued/<date of issue>/<its path in the build>."""
    return register_path(project).with_name(ARCHIVE_NAME) / record.date / record.path


def archive(project: Project, out: Path, records: list[Issued]) -> None:
    """Copy each issued document (its PDF, and its DOCX beside it) into the archive before it is recorded, so
    what went out is kept as it was when the table changes and the next build makes it anew. The PDF must be the
    one recorded (same sha256: the build was not changed since); each file is written whole, then renamed."""
    import hashlib

    from ..build.output import atomic_write

    for record in records:
        pdf = out / record.path
        try:
            data = pdf.read_bytes()
        except OSError as exc:
            raise SourceError(f"cannot read the issued document: {exc.strerror or exc}", Location(str(pdf))) from exc
        if hashlib.sha256(data).hexdigest() != record.sha256:
            raise SourceError("changed since the build listed it: run pilot-docs build first",
                              Location(str(pdf)))
        target = archive_path(project, record)
        for source, copy in ((pdf, target), (pdf.with_suffix(".docx"), target.with_suffix(".docx"))):
            if not source.is_file() or (copy.is_file() and copy.read_bytes() == source.read_bytes()):
                continue
            copy.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(copy, source.read_bytes())


def register_workbook(records: list[Issued]) -> bytes:
    """The register as the office's 发文登记簿: one row per document issued (deterministic bytes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..build.ziputil import workbook_bytes

    wb = Workbook()
    ws = wb.active
    ws.title = "发文登记簿"
    ws.append(["序号", "发文日期", "发文字号", "文种", "主送单位", "事项数", "文件", "SHA-256"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    names = {"letter": "交办通知", "change": "变更通知", "reminder": "督办通知"}
    for n, r in enumerate(records, 1):
        ws.append([n, dt.date.fromisoformat(r.date), r.number, names.get(r.kind, r.kind), r.agency, len(r.items),
                   r.path, r.sha256])
        ws.cell(n + 1, 2).number_format = "yyyy-mm-dd"
    for col, width in zip("ABCDEFGH", (6, 12, 22, 10, 20, 8, 40, 20), strict=True):
        ws.column_dimensions[col].width = width
    return workbook_bytes(wb, dt.datetime(2000, 1, 1))
