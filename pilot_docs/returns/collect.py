"""pilot-docs collect: check returned forms and append their rows to the progress ledger, losing nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple

from ..build.output import atomic_write, safe_name
from ..errors import Location, Problem, SourceError, ValidationFailed, os_cause, quote
from ..locks import exclusive
from ..model import Model
from ..source.grid import clean_text, sheet_values, too_long, unusable_cells
from ..source.project import display_path, find_project, load_model
from ..source.xlsx import DEFAULT_LIMITS, Limits, open_source
from .forms import (
    FORM_SHEET,
    HEADER_ROW,
    INPUT_COLUMNS,
    META_SHEET,
    REPORT_DATE_CELL,
    STATUSES,
    locked_digest,
    plan_id,
)
from .ledger import LOCK_NAME, Entry, append_entries, ledger_path, read_ledger

_DATE = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*$")


@dataclass
class CollectResult:
    """What a collect run did with each file."""

    added: list[Entry] = field(default_factory=list)
    collected: list[str] = field(default_factory=list)  # files recorded now
    skipped: list[str] = field(default_factory=list)  # files already in the ledger
    refused: list[Problem] = field(default_factory=list)


def collect(files: list[Path], source: Path | None = None, now: dt.datetime | None = None,
            on_wait: Callable[[str], None] | None = None) -> CollectResult:
    """Validate each form whole; record the good ones (archived, appended to the ledger), refuse the bad ones.

    The whole run holds the ledger's lock (another collect waits, telling on_wait), and reads the ledger under it:
    two runs at once each append to what the other wrote, and never lose a row.
    """
    project = find_project(source)
    model, _ = load_model(project)
    path = ledger_path(project)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SourceError(f"cannot create the folder of the ledger: {os_cause(exc)}",
                          Location(str(path.parent))) from exc
    with exclusive(path.parent / LOCK_NAME, f"the ledger {path.name}", on_wait=on_wait):
        return _collect(files, project, model, path, now)


def _collect(files: list[Path], project, model: Model, path: Path, now: dt.datetime | None) -> CollectResult:
    known = {e.sha256 for e in read_ledger(path)}
    now = now or _now()
    result = CollectResult()
    pending: list[tuple[Path, bytes, str, list[Entry]]] = []
    for file in files:
        display = display_path(file)
        try:
            data = _read_return(file, DEFAULT_LIMITS)
        except OSError as exc:
            result.refused.append(Problem(Location(display), f"cannot read: {os_cause(exc)}"))
            continue
        except SourceError as exc:
            result.refused.append(Problem(Location(display), exc.detail))
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in known:
            result.skipped.append(display)
            continue
        known.add(digest)
        entries, problems = read_form(file, display, model, digest, now)
        if problems:
            result.refused.extend(problems)
            continue
        pending.append((file, data, digest, entries))
    written: list[Path] = []  # archived copies made by this run: removed again if the ledger cannot be appended
    try:
        for file, data, digest, entries in pending:
            agency = entries[0].agency if entries else "_"
            archive = path.parent / "returns" / safe_name(agency) / f"{digest[:12]}-{safe_name(file.stem)}.xlsx"
            if not archive.exists():
                atomic_write(archive, data)  # the bytes that were checked, whatever happens to the file meanwhile
                written.append(archive)
            relative = Path(os.path.relpath(archive, project.root)).as_posix()
            entries = [_with_file(e, relative) for e in entries]
            result.added.extend(entries)
            result.collected.append(display_path(file))
        if result.added:
            append_entries(path, result.added)
    except BaseException:
        for archive in written:
            archive.unlink(missing_ok=True)
        raise
    return result


def _read_return(file: Path, limits: Limits) -> bytes:
    """The bytes of a returned file: a regular file no larger than a workbook may be."""
    info = file.stat()
    if not stat.S_ISREG(info.st_mode):
        raise SourceError("not a file" if not stat.S_ISDIR(info.st_mode) else "a folder, not a file")
    if info.st_size > limits.file_bytes:
        raise SourceError(f"file is {info.st_size / 2**20:.0f} MB, more than the limit of "
                          f"{limits.file_bytes / 2**20:.0f} MB")
    return file.read_bytes()


def _with_file(entry: Entry, file: str) -> Entry:
    return Entry(**{**entry.__dict__, "file": file})


def _now() -> dt.datetime:
    """The collection time; SOURCE_DATE_EPOCH fixes it for reproducible demos and tests."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def parse_date(value: object) -> dt.date | None:
    """A date from a cell: an Excel date, or text such as 2009-06-30, 2009/6/30 or 2009年6月30日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = _DATE.match(value)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def read_form(path: Path, display: str, model: Model, digest: str, now: dt.datetime,
              limits: Limits = DEFAULT_LIMITS) -> tuple[list[Entry], list[Problem]]:
    """The rows of one returned form, or the problems that refuse it (each naming its cell)."""
    try:
        book = open_source(path, display, limits)
    except SourceError as exc:
        return [], [Problem(exc.location or Location(display), exc.detail)]
    wb = book.workbook
    if META_SHEET not in wb.sheetnames or FORM_SHEET not in wb.sheetnames:
        return [], [Problem(Location(display), "not a pilot-docs return form (use the form written by pilot-docs "
                                               "build under build/forms/)")]
    hidden = sheet_values(wb[META_SHEET])
    meta = {str(v): hidden.get((r, 2)) for (r, c), v in hidden.items() if c == 1}
    ws = wb[FORM_SHEET]

    def where(cell: str) -> Location:
        return Location(display, FORM_SHEET, cell)

    if meta.get("plan_id") != plan_id(model):
        return [], [Problem(Location(display, META_SHEET, "B3"), f"this form belongs to another plan "
                            f"({quote(meta.get('plan_title'))}), not {quote(model.plan.title)}")]
    if str(meta.get("form_version")) != "1":
        return [], [Problem(Location(display, META_SHEET, "B2"),
                            f"unsupported form version {quote(meta.get('form_version'))}")]
    agency_name = str(meta.get("agency"))
    agency = next((a for a in model.agencies if a.name == agency_name), None)
    if agency is None:
        return [], [Problem(Location(display, META_SHEET, "B5"), f"agency {quote(agency_name)} is not in this plan")]
    header = meta.get("header_row", HEADER_ROW)
    if not isinstance(header, int) or isinstance(header, bool) or not 1 <= header <= 100:
        return [], [Problem(Location(display, META_SHEET, "B7"), "the form's hidden sheet was changed "
                                                                 f"(header_row {quote(header)}); use a fresh form")]
    values = sheet_values(ws)
    unusable = unusable_cells(ws, book.uncached.get(FORM_SHEET, ()))
    problems = [Problem(where(f"{get_column_letter(c)}{r}"), why) for (r, c), why in unusable.items()
                if (r, c) == _REPORT_DATE or (r > header and c in _READ_COLUMNS)]
    problems += [Problem(where(f"{get_column_letter(c)}{r}"), too_long(v, limits)) for (r, c), v in values.items()
                 if isinstance(v, str) and len(v) > limits.cell_chars and ((r, c) == _REPORT_DATE or c in _READ_COLUMNS)]
    if problems:
        return [], problems
    report_value = values.get(_REPORT_DATE)
    reported = parse_date(report_value)
    if reported is None:
        problems.append(Problem(where(REPORT_DATE_CELL), "填报日期 is missing or not a date (e.g. 2009-06-30)"
                                if report_value in (None, "") else
                                f"填报日期 {quote(report_value)} is not a date (e.g. 2009-06-30)"))
    seen: set[str] = set()
    entries: list[Entry] = []
    rows = sorted({r for (r, c) in values if r > header and c in _READ_COLUMNS})
    for r in rows:
        item_id = clean_text(values.get((r, 1)))
        inputs = {k: values.get((r, c)) for k, c in INPUT_COLUMNS.items()}
        if not item_id and all(v in (None, "") for v in inputs.values()):
            continue
        if item_id not in agency.items:
            problems.append(Problem(where(f"A{r}"), f"unknown item {quote(item_id)} (the items of {agency.name} "
                                                    f"are {_listed(agency.items)})"))
            continue
        if item_id in seen:
            problems.append(Problem(where(f"A{r}"), f"item {item_id} appears twice"))
            continue
        seen.add(item_id)
        expected = meta.get(f"row:{item_id}")
        if expected and locked_digest([values.get((r, c)) for c in range(1, 5)]) != expected:
            problems.append(Problem(where(f"B{r}"), f"cells outside the input columns of item {item_id} were changed; "
                                                    "use a fresh form"))
            continue
        if all(v in (None, "") for v in inputs.values()):
            continue  # not reported this time
        status = clean_text(inputs["status"])
        status_cell = f"{get_column_letter(INPUT_COLUMNS['status'])}{r}"
        if not status:
            problems.append(Problem(where(status_cell), f"进展状态 is empty; choose one of {'/'.join(STATUSES)}"))
            continue
        if status not in STATUSES:
            problems.append(Problem(where(status_cell), f"进展状态 {quote(status)} is not one of {'/'.join(STATUSES)}"))
            continue
        completed = None
        if inputs["date"] not in (None, ""):
            completed = parse_date(inputs["date"])
            if completed is None:
                problems.append(Problem(where(f"{get_column_letter(INPUT_COLUMNS['date'])}{r}"),
                                        f"完成日期 {quote(inputs['date'])} is not a date (e.g. 2009-06-30)"))
                continue
        entries.append(Entry(
            agency=agency.name, item=item_id, status=status, date=completed.isoformat() if completed else None,
            text=clean_text(inputs["text"]), problems=clean_text(inputs["problems"]),
            contact=clean_text(inputs["contact"]), reported=reported.isoformat() if reported else "",
            file="", sha256=digest, sheet=FORM_SHEET, row=r, collected_at=now.isoformat(),
            sample=bool(meta.get("sample")),
        ))
    if problems:
        return [], problems
    if not entries:
        return [], [Problem(where(f"E{header + 1}"), "the form reports nothing: fill 进展状态 for at least one item")]
    return entries, []


_READ_COLUMNS = {1, *INPUT_COLUMNS.values()}  # 编号 and the input columns: what collect reads of a row
_REPORT_DATE = coordinate_to_tuple(REPORT_DATE_CELL)


def _listed(ids: list[str], shown: int = 10) -> str:
    """Item ids for a message, the first few of a long list."""
    return ", ".join(ids[:shown]) + (f" and {len(ids) - shown} more" if len(ids) > shown else "")


def raise_if_refused(result: CollectResult) -> None:
    """Report refused forms as one line per bad cell, exit status 1."""
    if result.refused:
        raise ValidationFailed(result.refused)
