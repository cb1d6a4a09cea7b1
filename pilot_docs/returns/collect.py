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
from ..errors import FontError, Location, Problem, SourceError, ValidationFailed, os_cause, quote
from ..locks import exclusive
from ..model import Model
from ..render.fonts import FontConfig
from ..source.grid import clean_text, sheet_values, too_long, unusable_cells
from ..source.project import display_path, find_project, load_model
from ..source.xlsx import DEFAULT_LIMITS, Limits, open_source
from .forms import (
    COLUMNS,
    FORM_SHEET,
    HEADER_ROW,
    INPUT_COLUMNS,
    LOCKED_COLUMNS,
    META_SHEET,
    REPORT_DATE_CELL,
    STATUSES,
    agency_line,
    locked_digest,
    locked_rows,
    plan_id,
)
from .ledger import LOCK_NAME, Entry, append_entries, ledger_path, read_ledger
from .printable import glyph_check

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
    ledger = read_ledger(path)
    known = {e.sha256 for e in ledger}
    _remove_temporaries(path)
    settings = project.config.get("returns", {})
    try:
        fonts = FontConfig(project.config.get("fonts") or None, folder=project.root / "fonts")
    except FontError:
        fonts = None  # a bad [fonts] table is the build's to report; the text is not checked against it here
    printable = glyph_check(fonts) if fonts is not None else None
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
        entries, problems = read_form(file, display, model, digest, now, settings=settings, printable=printable)
        if problems:
            result.refused.extend(problems)
            continue
        pending.append((file, data, digest, entries))
    written: list[Path] = []  # archived copies made by this run: removed again if the ledger cannot be appended
    try:
        for file, data, digest, entries in pending:
            agency = entries[0].agency if entries else "_"
            folder = path.parent / "returns" / safe_name(agency)
            archive = _unrecorded_copy(folder, digest) or folder / f"{digest[:12]}-{safe_name(file.stem)}.xlsx"
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
    _remove_unrecorded(path, project.root, {e.file for e in ledger} | {e.file for e in result.added})
    return result


# what collect itself leaves when killed or stopped by a full disk: atomic_write's temporary files, and copies
# archived by a run whose ledger append never happened. Only names collect makes are touched, under the lock.
_ARCHIVED = re.compile(r"^([0-9a-f]{12})-.*\.xlsx$")
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


def _remove_temporaries(path: Path) -> None:
    """Remove the temporary files a killed collect left beside the ledger and among the archived copies."""
    stale = list(path.parent.glob(f".{path.name}.*.tmp"))
    returns = path.parent / "returns"
    if returns.is_dir():
        stale += [p for p in returns.glob("*/.*.tmp") if _TEMPORARY.match(p.name)]
    for file in stale:
        file.unlink(missing_ok=True)


def _sha256(file: Path) -> str | None:
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return None


def _unrecorded_copy(folder: Path, digest: str) -> Path | None:
    """An archived copy of these very bytes already there (left by a run that was stopped): adopted, not copied."""
    if not folder.is_dir():
        return None
    return next((p for p in sorted(folder.glob(f"{digest[:12]}-*.xlsx")) if _sha256(p) == digest), None)


def _remove_unrecorded(path: Path, root: Path, recorded: set[str]) -> None:
    """Remove archived copies no ledger line records: collect's own (named by the first 12 hex digits of their
    sha256, which their bytes still have), never a file someone else put there."""
    returns = path.parent / "returns"
    if not returns.is_dir():
        return
    for file in sorted(returns.glob("*/*.xlsx")):
        m = _ARCHIVED.match(file.name)
        if m and Path(os.path.relpath(file, root)).as_posix() not in recorded and (_sha256(file) or "").startswith(
                m.group(1)):
            file.unlink(missing_ok=True)


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
              limits: Limits = DEFAULT_LIMITS, settings: dict | None = None,
              printable: Callable[[str], str | None] | None = None) -> tuple[list[Entry], list[Problem]]:
    """The rows of one returned form, or the problems that refuse it (each naming its cell).

    The form is checked against the current plan, not only against itself: its header row, its 填报单位 line and
    its hidden sheet must agree, and each item row's locked cells must say what the plan says now (`settings`,
    the config's [returns] table, may accept some changes of an older form). `printable` tells which character
    of a text no document could print (None: all can)."""
    settings = settings or {}
    try:
        book = open_source(path, display, limits)
    except SourceError as exc:
        return [], [Problem(exc.location or Location(display), exc.detail)]
    if book.macros:  # never archived: a refused form is not kept
        return [], [Problem(Location(display), "the workbook contains macros (an .xlsm, or saved with a VBA "
                                               "project); pilot-docs does not take files with macros: open it in "
                                               "Excel or WPS and save it as Excel Workbook (.xlsx), which removes "
                                               "them")]
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
    if header != HEADER_ROW or isinstance(header, bool):
        return [], [Problem(Location(display, META_SHEET, "B7"), "the form's hidden sheet was changed "
                                                                 f"(header_row {quote(header)}); use a fresh form")]
    values = sheet_values(ws)
    structure = _structure(values, display, agency, model)
    if structure:
        return [], structure
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
    else:
        problems += _report_date_problems(reported, model, now.date(), settings, where(REPORT_DATE_CELL))
    accepted = set(settings.get("accept_old_versions", ()))
    current = locked_rows(model, agency)
    sent = [i for i in str(meta.get("items") or "").split(",") if i]  # the items the form was made with
    seen: set[str] = set()
    entries: list[Entry] = []
    rows = sorted({r for (r, c) in values if r > header and c in _READ_COLUMNS})
    for r in rows:
        item_id = clean_text(values.get((r, 1)))
        inputs = {k: values.get((r, c)) for k, c in INPUT_COLUMNS.items()}
        if not item_id and all(v in (None, "") for v in inputs.values()):
            continue
        if item_id in seen:
            problems.append(Problem(where(f"A{r}"), f"item {item_id} appears twice"))
            continue
        seen.add(item_id)
        own = [values.get((r, c)) for c in range(1, LOCKED_COLUMNS + 1)]
        untouched = meta.get(f"row:{item_id}") == locked_digest(own)  # as the form was made
        if item_id not in current:
            if item_id in sent and untouched:
                if "removed" not in accepted:
                    problems.append(Problem(where(f"A{r}"), f"item {item_id} is no longer one of {agency.name}'s "
                                                            f"items in the current plan: {_old_form(agency)}"))
                continue
            problems.append(Problem(where(f"A{r}"), f"unknown item {quote(item_id)} (the items of {agency.name} "
                                                    f"are {_listed(agency.items)})"))
            continue
        changed = [c for c in range(2, LOCKED_COLUMNS + 1) if _cell_text(own[c - 1]) != current[item_id][c - 1]]
        if changed and not untouched:
            c = changed[0]
            problems.append(Problem(where(f"{get_column_letter(c)}{r}"), f"{COLUMNS[c - 1]} of item {item_id} was "
                                    "changed (a locked cell); use the form as it was sent, or a new one"))
            continue
        refused_old = [c for c in changed if _CHANGE_OF_COLUMN[c] not in accepted]
        for c in refused_old:
            problems.append(Problem(where(f"{get_column_letter(c)}{r}"), f"{COLUMNS[c - 1]} of item {item_id} is "
                                    f"now {quote(current[item_id][c - 1])} in the plan: {_old_form(agency)}"))
        if refused_old:
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
        date_cell = f"{get_column_letter(INPUT_COLUMNS['date'])}{r}"
        if inputs["date"] not in (None, ""):
            completed = parse_date(inputs["date"])
            if completed is None:
                problems.append(Problem(where(date_cell),
                                        f"完成日期 {quote(inputs['date'])} is not a date (e.g. 2009-06-30)"))
                continue
            if reported is not None and completed > reported:
                problems.append(Problem(where(date_cell), f"完成日期 {completed.isoformat()} is after the form's "
                                        f"填报日期 {reported.isoformat()} ({REPORT_DATE_CELL})"))
                continue
        texts = {k: clean_text(inputs[k]) for k in ("text", "problems", "contact")}
        unprintable = [(k, why) for k, why in ((k, printable(v) if printable else None) for k, v in texts.items())
                       if why]
        for k, why in unprintable:
            problems.append(Problem(where(f"{get_column_letter(INPUT_COLUMNS[k])}{r}"), why))
        if unprintable:
            continue
        entries.append(Entry(
            agency=agency.name, item=item_id, status=status, date=completed.isoformat() if completed else None,
            text=texts["text"], problems=texts["problems"],
            contact=texts["contact"], reported=reported.isoformat() if reported else "",
            file="", sha256=digest, sheet=FORM_SHEET, row=r, collected_at=now.isoformat(),
            sample=bool(meta.get("sample")),
        ))
    for item_id in current:
        if item_id not in seen:
            if item_id not in sent:
                if "added" not in accepted:
                    problems.append(Problem(Location(display, FORM_SHEET), f"item {item_id} was added to "
                                            f"{agency.name}'s items since this form was made: {_old_form(agency)}"))
            else:
                problems.append(Problem(Location(display, FORM_SHEET), f"the row of item {item_id} was deleted; "
                                        "use the form as it was sent, or a new one"))
    if problems:
        return [], problems
    if not entries:
        return [], [Problem(where(f"E{header + 1}"), "the form reports nothing: fill 进展状态 for at least one item")]
    return entries, []


_CHANGE_OF_COLUMN = {2: "task", 3: "content", 4: "deadline"}  # the [returns] accept_old_versions name of a column
_FILE_AGENCY = re.compile(r"^进度反馈表-(.+?)(?:\s*[(（]\d+[)）])?$")  # as build names it, maybe "(1)" added


def _old_form(agency) -> str:
    return f"this form is of an older version of the plan; use the new form (build/forms/) for {agency.name}"


def _cell_text(value: object) -> str:
    """A locked cell as text, as the form wrote it (a program saving the form may turn \n into \r\n)."""
    return "" if value is None else str(value).replace("\r\n", "\n")


def _structure(values: dict, display: str, agency, model: Model) -> list[Problem]:
    """The form's frame agrees with itself and its agency: the header row, the 填报单位 line, the file's name."""
    for c, name in enumerate(COLUMNS, 1):
        got = clean_text(values.get((HEADER_ROW, c)))
        if got != name:
            return [Problem(Location(display, FORM_SHEET, f"{get_column_letter(c)}{HEADER_ROW}"),
                            f"the header row was changed: column {get_column_letter(c)} is {quote(got)}, not "
                            f"'{name}' (a column deleted, inserted or moved?); use the form as it was sent")]
    line = clean_text(values.get((3, 1)))
    if line != agency_line(agency):
        other = next((a for a in model.agencies if agency_line(a) == line), None)
        why = (f"the 填报单位 line names {other.name} but the form's hidden sheet says {agency.name}" if other else
               f"the 填报单位 line was changed (it should read {quote(agency_line(agency))})")
        return [Problem(Location(display, FORM_SHEET, "A3"), f"{why}; use the form as it was sent")]
    m = _FILE_AGENCY.match(Path(display).stem)
    if m:
        named = next((a for a in model.agencies if safe_name(a.name) == m.group(1).strip()), None)
        if named is not None and named.name != agency.name:
            return [Problem(Location(display), f"the file is named for {named.name} but the form inside is "
                                               f"{agency.name}'s; send each agency's own form")]
    return []


DATE_MARGIN_DAYS = 90  # a 填报日期 may fall this long before or after the plan's year ([returns] date_margin_days)


def _report_date_problems(reported: dt.date, model: Model, today: dt.date, settings: dict,
                          where: Location) -> list[Problem]:
    if reported > today:
        return [Problem(where, f"填报日期 {reported.isoformat()} is after today ({today.isoformat()})")]
    year = model.plan.year
    if year:
        margin = dt.timedelta(days=settings.get("date_margin_days", DATE_MARGIN_DAYS))
        first, last = dt.date(year, 1, 1) - margin, dt.date(year, 12, 31) + margin
        if not first <= reported <= last:
            return [Problem(where, f"填报日期 {reported.isoformat()} is not within the plan's year {year} (from "
                                   f"{first.isoformat()} to {last.isoformat()}; [returns] date_margin_days)")]
    return []


_READ_COLUMNS = {1, *INPUT_COLUMNS.values()}  # 编号 and the input columns: what collect reads of a row
_REPORT_DATE = coordinate_to_tuple(REPORT_DATE_CELL)


def _listed(ids: list[str], shown: int = 10) -> str:
    """Item ids for a message, the first few of a long list."""
    return ", ".join(ids[:shown]) + (f" and {len(ids) - shown} more" if len(ids) > shown else "")


def raise_if_refused(result: CollectResult) -> None:
    """Report refused forms as one line per bad cell, exit status 1."""
    if result.refused:
        raise ValidationFailed(result.refused)
