"""The progress ledger (进度台账): an append-only JSON Lines file in source/ of every collected return row."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from ..build.output import atomic_write
from ..errors import Location, SourceError, os_cause, quote

if TYPE_CHECKING:
    from ..source.project import Project

LEDGER_NAME = "progress-ledger.jsonl"
LOCK_NAME = ".progress-ledger.lock"  # beside the ledger: held by a collect run for its whole check-and-append


def ledger_path(project: Project) -> Path:
    """Where the project's ledger lives: beside the workbook in source/."""
    folder = project.workbook.parent if project.workbook.parent.name == "source" else project.root / "source"
    return folder / LEDGER_NAME


@dataclass(frozen=True)
class Entry:
    """One collected row of a return form: what an agency said about one item, and where it came from."""

    agency: str
    item: str
    status: str
    date: str | None  # completion date (ISO), if given
    text: str  # 进展情况
    problems: str  # 存在问题
    contact: str
    reported: str  # 填报日期 of the form (ISO)
    file: str  # archived copy, relative to the project
    sha256: str
    sheet: str
    row: int
    collected_at: str  # ISO timestamp of the collect run
    sample: bool = False  # marked sample data (the embedded demo)

    @property
    def reported_date(self) -> dt.date:
        """The form's report date as a date."""
        return dt.date.fromisoformat(self.reported)

    @property
    def completed(self) -> dt.date | None:
        """The completion date as a date, if given."""
        return dt.date.fromisoformat(self.date) if self.date else None


def read_ledger(path: Path) -> list[Entry]:
    """Every entry in ledger order; a damaged line is an error naming the file and line, never skipped."""
    return [entry for _, entry in numbered_ledger(path)]


def numbered_ledger(path: Path) -> list[tuple[int, Entry]]:
    """Every entry in ledger order with its line number (1-based)."""
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"the ledger is not UTF-8 text (byte {exc.start})", Location(str(path))) from exc
    except OSError as exc:
        raise SourceError(f"cannot read the ledger: {os_cause(exc)}", Location(str(path))) from exc
    entries = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            entries.append((n, entry_of(json.loads(line))))
        except (ValueError, TypeError, RecursionError) as exc:
            raise SourceError(f"damaged ledger line: {quote(exc, 120)[1:-1]}", Location(str(path), line=n)) from exc
    return entries


_FIELDS = {f.name: f for f in fields(Entry)}
_OPTIONAL = {"date"}  # may be null
_DATES = {"date", "reported"}


def entry_of(data: object) -> Entry:
    """An Entry from one parsed ledger line, every field checked (the error says which is wrong)."""
    if not isinstance(data, dict):
        raise TypeError("not a JSON object")
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    for name in _FIELDS:
        if name not in data:
            if name == "sample":
                continue
            raise ValueError(f"missing field {name!r}")
        value = data[name]
        want = {"row": int, "sample": bool}.get(name, str)
        if value is None and name in _OPTIONAL:
            continue
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            raise TypeError(f"field {name!r} must be {want.__name__}, not {type(value).__name__}")
        if name in _DATES:
            dt.date.fromisoformat(value)  # raises ValueError for a bad date
    return Entry(**data)


def append_entries(path: Path, entries: list[Entry]) -> None:
    """Append entries: the old content is kept byte for byte and the new file replaces it in one rename."""
    old = path.read_bytes() if path.exists() else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    new = "".join(json.dumps(asdict(e), ensure_ascii=False, sort_keys=True) + "\n" for e in entries)
    atomic_write(path, old + new.encode("utf-8"))


def latest(entries: list[Entry], as_of: dt.date | None = None) -> dict[tuple[str, str], Entry]:
    """The entry that counts for each (agency, item) as of a date: the latest report; later collection wins ties."""
    out: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        if as_of is not None and entry.reported_date > as_of:
            continue
        key = (entry.agency, entry.item)
        if key not in out or entry.reported_date >= out[key].reported_date:
            out[key] = entry
    return out
