"""任务分解表: read the responsibility table from a workbook's grids into groups, tasks and work items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from ..errors import Location, Problem, quote
from ..model import Column, Task, WorkItem
from .columns import READER_ROLE, ROLE_NAMES, TABLE_HEADERS, header_role, looks_like, normalize_header
from .deadlines import (
    cn_number,
    deadline_in_content,
    impossible_date,
    milestones,
    parse_deadline,
    written_years,
)
from .grid import Cell, Grid
from .registry import Registry
from .units import CellNotes, cell_notes, read_units_cell, same_body

__all__ = ["TABLE_HEADERS", "Table", "find_table", "missing_columns", "read_tasks", "year_from_title"]

HEADER_SCAN_ROWS = 30
_ANNEX_LABEL = re.compile(r"^\s*(附件|附表|附)\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?\s*$")
_NOTE_ROW = re.compile(r"^(注|备注|说明)\s*[:：1１]")
_CORE = ("no", "task", "content", "units", "lead", "partners", "deadline", "group")
_KEPT = ("people", "remarks", "extra")  # columns whose values are kept per item, by header as typed


@dataclass
class Table:
    """What the reader found: the sheet, header row, title rows above it, the columns and the tasks."""

    grid: Grid
    header_row: int
    roles: dict[str, list[int]]
    title: str = ""
    tasks: list[Task] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    first_header_row: int = 0


# ---------------------------------------------------------------- the header


def _header_cells(grid: Grid, r: int, two_rows: bool) -> list[tuple[int, str, str]]:
    """(column, header text as typed, role-deciding text) of a header row, the second row of a two-row header
    naming the column when it has its own text (责任单位 over 牵头单位 | 配合单位)."""
    out = []
    for c in range(1, grid.max_col + 1):
        top = grid.cell(r, c)
        text = top.text
        if two_rows:
            below = grid.cell(r + 1, c)
            if below.text and not (below.merged and below.origin == top.origin):
                text = below.text
        out.append((c, text, text))
    return out


def _roles_of(cells: list[tuple[int, str, str]], overrides: dict[str, str]) -> dict[int, str | None]:
    roles: dict[int, str | None] = {}
    for c, text, _ in cells:
        if not text:
            roles[c] = None
            continue
        wanted = overrides.get(text) or overrides.get(normalize_header(text))
        roles[c] = READER_ROLE[wanted] if wanted else header_role(text)
    return roles


def _is_header(roles: dict) -> bool:
    """A task or content column and someone responsible: units, or (a township's table) a 责任领导."""
    return ("task" in roles or "content" in roles) and any(r in roles for r in ("units", "lead", "partners", "people"))


def _by_role(roles: dict[int, str | None]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for c, role in roles.items():
        if role:
            out.setdefault(role, []).append(c)
    return out


def _two_rows(grid: Grid, r: int) -> bool:
    """Row r+1 is the second row of a two-row header: cells merged down from row r, the rest header words."""
    if r + 1 > grid.max_row:
        return False
    below = grid.row(r + 1)
    if not any(c.merged and c.origin and c.origin[0] == r for c in below):
        # no vertical merge from the header: only a row made entirely of header words counts
        texts = [c for c in below if c.text]
        return bool(texts) and all(header_role(c.text) in ("lead", "partners", "units") for c in texts) and \
            any(grid.cell(r, c.col).merged or grid.cell(r, c.col).origin for c in texts)
    return all(c.blank or (c.merged and c.origin and c.origin[0] <= r) or header_role(c.text) is not None
               for c in below)


def find_table(grids: list[Grid], overrides: dict[str, str] | None = None) -> Table | None:
    """The first sheet and row that look like the table's header, wherever they are."""
    overrides = {**{normalize_header(k): v for k, v in (overrides or {}).items()}, **(overrides or {})}
    for grid in grids:
        for r in range(1, min(grid.max_row, HEADER_SCAN_ROWS) + 1):
            two = _two_rows(grid, r)
            cells = _header_cells(grid, r, two)
            roles = _roles_of(cells, overrides)
            if not _is_header(_by_role(roles)) and two:
                two = False
                cells = _header_cells(grid, r, False)
                roles = _roles_of(cells, overrides)
            if not _is_header(_by_role(roles)) and not _units_unnamed(grid, r + (2 if two else 1), roles):
                continue
            title_lines = [c.text for rr in range(1, r) for c in grid.row(rr) if c.text and not c.merged]
            header_row = r + 1 if two else r
            # 附件 / 附件2 / 附表：above the title is the annex's label, not its title.
            titled = [t for t in title_lines if not _ANNEX_LABEL.match(t)] or title_lines
            table = Table(grid, header_row, {}, title=" ".join(titled[:1]), first_header_row=r)
            _settle_columns(table, cells, roles)
            return table
    return None


def _units_unnamed(grid: Grid, first_data: int, roles: dict[int, str | None]) -> bool:
    """A header with a task or content column whose units column has no name, but cells that list agencies."""
    named = _by_role(roles)
    if "task" not in named and "content" not in named or sum(len(v) for v in named.values()) < 3:
        return False
    for c, role in roles.items():
        if role is None and grid.cell(first_data - 1, c).blank:
            values = [grid.cell(r, c).text for r in range(first_data, min(grid.max_row, first_data + 50) + 1)]
            if any(values) and looks_like(values) == "units":
                return True
    return False


def header_like(grids: list[Grid]) -> tuple[Grid, int, list[str], list[str]] | None:
    """The most header-like row of the workbook (the most cells naming a role), with the names it understood
    and those it did not; None when no row names any role."""
    best = None
    for grid in grids:
        for r in range(1, min(grid.max_row, HEADER_SCAN_ROWS) + 1):
            texts = list(dict.fromkeys(c.text for c in grid.row(r) if c.text))
            known = [t for t in texts if header_role(t)]
            if known and (best is None or len(known) > len(best[2])):
                best = (grid, r, known, [t for t in texts if not header_role(t)])
    return best


def _settle_columns(table: Table, cells: list[tuple[int, str, str]], roles: dict[int, str | None]) -> None:
    """The columns' roles once every header is read: ties resolved by position, unnamed columns by what their
    cells hold, everything else kept as an extra column."""
    grid = table.grid
    first_data = table.header_row + 1
    values = {c: [grid.cell(r, c).text for r in range(first_data, grid.max_row + 1)] for c in roles}
    headers = {c: text for c, text, _ in cells}
    # A header merged over several columns is one column of the office's table, whatever its sub-columns.
    origin = {c: grid.cell(table.first_header_row, c).origin for c in roles}
    by_role = _by_role(roles)
    distinct: dict[str, list[str]] = {}
    for role, cols in by_role.items():
        distinct[role] = list(dict.fromkeys(headers[c] for c in cols))
    # Two task headers: the first is the task, the next the content when there is none (重点任务 | 具体任务);
    # with a content column, the first is the group the tasks belong to (重点领域 | 重点任务 | 具体措施).
    if len(distinct.get("task", [])) > 1:
        first = [c for c in by_role["task"] if headers[c] == distinct["task"][0]]
        second = [c for c in by_role["task"] if headers[c] != distinct["task"][0]]
        if "content" not in by_role:
            for c in second:
                roles[c] = "content"
        elif "group" not in by_role:
            for c in first:
                roles[c] = "group"
    # Two number columns: the first numbers tasks, the next items (kept as the items' numbers).
    if len(distinct.get("no", [])) > 1:
        for c in [c for c in by_role["no"] if headers[c] != distinct["no"][0]]:
            roles[c] = "item_no"
    for c, role in list(roles.items()):
        if role is None and any(values[c]):
            guessed = looks_like(values[c])
            taken = _by_role(roles)
            if guessed == "units" and not any(r in taken for r in ("units", "lead")):
                roles[c] = "units"
            elif guessed == "deadline" and "deadline" not in taken:
                roles[c] = "deadline"
            else:
                roles[c] = "extra"
    table.roles = {role: cols for role, cols in _by_role(roles).items() if role in (*_CORE, "item_no")}
    columns: list[Column] = []
    for c in sorted(roles):
        role = roles[c]
        if role is None:
            continue
        header = headers[c] or f"{get_column_letter(c)}列"
        name = {"item_no": "number"}.get(role, ROLE_NAMES.get(role, role))
        if columns and columns[-1].header == header and columns[-1].role == name and (
                origin[c] is not None and origin[c] == origin.get(columns[-1].cols[-1])):
            columns[-1] = Column(header, name, (*columns[-1].cols, c))
        else:
            columns.append(Column(header, name, (c,)))
    table.columns = columns


def column_warnings(table: Table) -> list[Problem]:
    """A warning naming each column kept as typed rather than understood: nothing is dropped silently."""
    out = []
    for column in table.columns:
        if column.role == "extra":
            where = table.grid.location(table.header_row, column.cols[0])
            out.append(Problem(where, f"column {quote(column.header)} is not one the reader knows (task, content, "
                                      "units, lead, partners, deadline, people, remarks): its values are kept as "
                                      "an extra column; set [source] columns in pilot-docs.toml to give it a role",
                               "warning"))
    return out


def missing_columns(roles: dict) -> list[str]:
    """The required columns a header lacks, by their usual names."""
    missing = []
    if "task" not in roles and "content" not in roles:
        missing.append("工作任务/工作内容")
    if not any(r in roles for r in ("units", "lead", "partners", "people")):
        missing.append("责任单位/牵头单位")
    return missing


# ---------------------------------------------------------------- numbers and headings

_LEVELS = (
    (1, re.compile(r"^([一二三四五六七八九十百]+)\s*[、.．]")),
    (2, re.compile(r"^[（(]\s*([一二三四五六七八九十百]+)\s*[）)]")),
    (3, re.compile(r"^(\d{1,3})(?:\s*[、.．](?!\d)|$)")),
    (4, re.compile(r"^[（(]\s*(\d+)\s*[）)]|^(\d+)\s*[）)]")),
    (5, re.compile(r"^([①-⑳])")),
)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def number_level(text: str) -> tuple[int, int, str] | None:
    """The numbering level (1 for 一、, 2 for （一）, 3 for 1, 4 for （1）, 5 for ①), value and the number as
    typed (without its trailing 、 or .) that a text starts with; None when it starts with no number."""
    text = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if re.fullmatch(r"[一二三四五六七八九十]+", text):
        value = cn_number(text)
        return (1, value, text) if value else None
    for level, pattern in _LEVELS:
        m = pattern.match(text)
        if not m:
            continue
        digits = next(g for g in m.groups() if g)
        value = _CIRCLED.index(digits) + 1 if level == 5 else cn_number(digits)
        if value is None:
            continue
        typed = m.group(0).strip().rstrip("、.．").strip()
        return level, value, typed
    m = re.match(r"^(\d+(?:\.\d+)+)\s*[、.．]?(?!\d)", text)  # 1.2 / 3.1.2
    if m:
        return 3 + m.group(1).count("."), int(m.group(1).split(".")[-1]), m.group(1)
    return None


# ---------------------------------------------------------------- rows


class _Row:
    """The cells of one data row, by role."""

    def __init__(self, grid: Grid, r: int, roles: dict[str, list[int]]) -> None:
        self.r = r
        self.cells = {role: [grid.cell(r, c) for c in cols] for role, cols in roles.items()}

    def text(self, role: str) -> str:
        return "\n".join(dict.fromkeys(c.text for c in self.cells.get(role, []) if c.text))

    def first(self, role: str) -> Cell | None:
        cells = self.cells.get(role)
        return cells[0] if cells else None

    def blank(self) -> bool:
        return all(c.blank for cells in self.cells.values() for c in cells)


def _heading(grid: Grid, r: int, row: _Row, roles: dict[str, list[int]], width: int) -> str | None:
    """The text of a section row (一、总体要求 spanning the table, or a number and a heading with no units), or
    None for a row of the table's data."""
    texts = [c for c in grid.row(r) if c.text]
    origins = {c.origin or (c.row, c.col) for c in texts}
    words = list(dict.fromkeys(c.text for c in texts))
    if not words:
        return None
    if len(origins) == 1 and len(texts) >= max(2, width // 2) and len(texts) > 1:
        return words[0]  # one cell merged across the table
    units = row.text("units") or row.text("lead") or row.text("partners")
    if units or row.text("deadline"):
        return None
    heading_cols = sorted({c for role in ("no", "task") for c in roles.get(role, [])}) or [1]
    first = texts[0]
    if len(origins) == 1:
        spans = sum(1 for c in grid.row(r) if (c.origin or (c.row, c.col)) in origins)
        numbered = number_level(words[0]) is not None and number_level(words[0])[0] <= 2
        if spans >= max(2, width // 2) or numbered or first.col <= heading_cols[-1]:
            return words[0]
        return None
    if len(words) == 2 and row.text("no") == words[0] and words[1] in (row.text("task"), row.text("content")):
        return f"{words[0]}{'' if re.search(r'[、.．）)]$', words[0]) else '、'}{words[1]}" \
            if number_level(words[0]) and number_level(words[0])[0] <= 2 else None
    return None


def read_tasks(table: Table, registry: Registry | None, year: int | None, problems: list[Problem]) -> None:
    """Fill table.tasks from the data rows, appending every problem found to `problems`."""
    grid, roles = table.grid, table.roles
    protected = registry.names() if registry else []
    current: Task | None = None
    current_origin: tuple[int, int] | None = None  # the merged task cell the current task comes from
    current_level: int | None = None  # numbering level of the current task's 序号
    numbers: dict[int, tuple[str, str]] = {}  # 序号 → (task title, cell) of its first use
    by_key: dict[tuple[int, str], Task] = {}  # (序号, title) → task, for a task continued further down
    last_deadline: tuple[Task | None, object] = (None, None)
    content_origin: dict[tuple[int, int], WorkItem] = {}
    year_missing_reported = False
    lead_first_below = False  # a unit cell's note said the first unit listed leads, 下同 (for the rows below too)
    headings: list[tuple[int, str]] = []  # (level, text) of the section rows above
    kept = [c for c in table.columns if c.role in ("people", "remarks", "extra")]
    width = len([c for c in table.columns])
    unit_first = "task" not in roles and "content" in roles and any(
        c < min(roles["content"]) for c in roles.get("units", []) + roles.get("lead", []))
    for r in range(table.header_row + 1, grid.max_row + 1):
        row = _Row(grid, r, roles)
        if row.blank() and not any(grid.cell(r, c).text for col in kept for c in col.cols):
            continue
        first_text = grid.first_text(r)
        if _NOTE_ROW.match(first_text) and not row.text("units") and not row.text("lead"):
            continue
        heading = _heading(grid, r, row, roles, width)
        if heading is not None:
            level = number_level(heading)
            lv = level[0] if level else 0
            headings = [h for h in headings if h[0] < lv] if lv else []
            headings.append((lv, heading))
            current, current_origin, current_level = None, None, None
            continue
        group_text = " ".join(row.text("group").split()) if "group" in roles else ""
        if group_text and (not headings or headings[-1] != (9, group_text)):
            headings = [h for h in headings if h[0] != 9] + [(9, group_text)]  # the group column: innermost
            current, current_origin, current_level = None, None, None
        title = row.text("task") if "task" in roles else ""
        content = row.text("content") if "content" in roles else ""
        no_cell = row.first("no")
        no: int | None = None
        typed: str | None = None
        level: int | None = None
        if no_cell is not None and not no_cell.blank:
            parsed = number_level(no_cell.text)
            if parsed is None:
                value = _task_number(no_cell, grid, problems)
                parsed = (3, value, no_cell.text.strip()) if value is not None else None
            if parsed is not None:
                level, no, typed = parsed
        task_cell = row.first("task")
        origin = task_cell.origin if task_cell is not None and task_cell.origin else None
        item_number: str | None = None
        new_task = current is None
        if current is not None and not unit_first:
            same_merge = origin is not None and origin == current_origin
            same_title = bool(title) and title == current.title
            if same_merge or same_title:
                new_task = False
                if no is not None and not (no_cell is not None and no_cell.merged) and no != current.no:
                    item_number = typed  # 序号 per row under one task: the items' own numbers
                    if len(current.items) == 1 and current.items[0].number is None:
                        current.items[0].number = current.number
            elif title and title != current.title:
                new_task = not (no_cell is not None and no_cell.merged)
            elif no is not None and not (no_cell is not None and no_cell.merged):
                deeper = current_level is not None and level is not None and level > current_level
                if deeper:  # （1） under 1: an item of task 1, with its own number
                    item_number = typed
                else:
                    new_task = no != current.no
        if unit_first:
            units_cell = row.first("units") or row.first("lead")
            u_origin = units_cell.origin if units_cell is not None and units_cell.origin else None
            unit_text = row.text("units") or row.text("lead")
            new_task = current is None or not (u_origin is not None and u_origin == current_origin) and \
                bool(unit_text) and unit_text != current.title
            origin = u_origin
            title = unit_text or (current.title if current else "")
            if no is not None:
                item_number = typed
        elif "task" not in roles:
            title = content
            new_task = True
        if new_task:
            if not title:
                title = content
            task_no = no if (no is not None and not unit_first) else None
            if task_no is None or (task_no in numbers and numbers[task_no][0] != title and item_number):
                task_no = max([t.no for t in table.tasks], default=0) + 1
            if task_no in numbers and numbers[task_no][0] != title:
                where = grid.location(r, no_cell.col) if no_cell else grid.location(r, 1)
                problems.append(Problem(where, f"序号 {task_no} is already used for task {quote(numbers[task_no][0])} "
                                               f"(at {numbers[task_no][1]})"))
            existing = by_key.get((task_no, title))
            if existing is not None:
                current = existing
            else:
                numbers.setdefault(task_no, (title, (grid.location(r, no_cell.col) if no_cell else
                                                     grid.location(r, 1)).cell or ""))
                task_typed = typed if not unit_first else None
                if task_typed is None and not unit_first:
                    in_title = number_level(title)  # 1.努力… with no 序号: the number typed in the task cell
                    if in_title is not None and len(title) > len(in_title[2]) + 1:
                        task_typed = in_title[2]
                current = by_key[(task_no, title)] = Task(no=task_no, title=title,
                                                          groups=[h for _, h in headings], number=task_typed)
                table.tasks.append(current)
            current_origin, current_level = origin, level
        assert current is not None
        if not content and "content" not in roles:
            # the only text column: a row of its own text under a merged 序号 is an item of that task
            row_text = row.text("task")
            content = row_text if row_text and not (task_cell is not None and task_cell.merged) else current.title
        content_cell = row.first("content") or row.first("task")
        assert content_cell is not None
        item_no_cell = row.first("item_no")
        if item_no_cell is not None and item_no_cell.text and not item_no_cell.merged:
            item_number = item_no_cell.text.strip().rstrip("、.．").strip()
        if item_number is None and content and "content" in roles:
            lead_no = number_level(content)
            if lead_no is not None and len(content) > len(lead_no[2]) + 1:
                item_number = lead_no[2]
        # Rows under one merged content cell are one item whose units add up.
        c_origin = content_cell.origin if content_cell.merged else None
        units, lead, partners, more, said = _units(row, protected, lead_first_below)
        lead_first_below = lead_first_below or (said.lead_first and said.standing)
        deadline_cell = row.first("deadline")
        raw_deadline = deadline_cell.value if deadline_cell is not None else None
        if deadline_cell is not None and deadline_cell.blank and last_deadline[0] is current:
            raw_deadline = last_deadline[1]  # same as above within one task
        last_deadline = (current, raw_deadline)
        deadline_where = grid.location(r, deadline_cell.col) if deadline_cell is not None else None
        if deadline_cell is None and content:
            written = deadline_in_content(content)
            if written is not None:
                raw_deadline = written
                deadline_where = grid.location(r, content_cell.col)
                problems.append(Problem(deadline_where, f"the table has no deadline column: the deadline "
                                                        f"{quote(written)} is taken from the content", "warning"))
        if deadline_cell is None and raw_deadline is None and said.deadline:
            raw_deadline = said.deadline  # （牵头单位：…；责任单位：…，6月底完成）
            units_at = row.first("units") or row.first("lead") or row.first("partners")
            deadline_where = grid.location(r, units_at.col) if units_at is not None else None
            if deadline_where is not None:
                problems.append(Problem(deadline_where, f"the table has no deadline column: the deadline "
                                                        f"{quote(said.deadline)} is taken from the unit cell", "warning"))
        deadline, needs_year = parse_deadline(raw_deadline, year)
        impossible = impossible_date(raw_deadline) if not (
            deadline_cell is not None and deadline_cell.blank) else None
        extra = {}
        for column in kept:
            value = "\n".join(dict.fromkeys(t for c in column.cols if (t := grid.cell(r, c).text)))
            if value:
                extra[column.header] = value
        if c_origin is not None and c_origin in content_origin:
            item = content_origin[c_origin]
            item.units.extend(u for u in units if u not in item.units)
            item.lead.extend(u for u in lead if u not in item.lead)
            item.partners.extend(u for u in partners if u not in item.partners)
            item.more_units = item.more_units or more
            for key, value in extra.items():
                if value not in item.extra.get(key, "").split("\n"):
                    item.extra[key] = f"{item.extra[key]}\n{value}" if key in item.extra else value
        else:
            item = WorkItem(id=f"{current.no}.{len(current.items) + 1}", content=content, units=units,
                            deadline=deadline, lead=lead, partners=partners,
                            location=grid.location(r, content_cell.col), number=item_number,
                            milestones=milestones(raw_deadline, year) if deadline.date else [],
                            extra=extra, more_units=more)
            current.items.append(item)
            if c_origin is not None:
                content_origin[c_origin] = item
            if not content:
                problems.append(Problem(grid.location(r, content_cell.col), "work item has no content (工作内容)"))
        units_cell = row.first("units") or row.first("lead") or row.first("partners")
        if units_cell is not None and not units and not lead and not partners:  # none: a 责任领导 answers for it
            problems.append(Problem(grid.location(r, units_cell.col), "work item has no responsible unit (责任单位)"))
        if registry is not None:
            _check_units(registry, row, units + lead + partners, grid, r, problems)
        if impossible is not None and deadline_where is not None:
            problems.append(Problem(deadline_where, f"deadline {quote(deadline.text)} names a date that does not "
                                                    f"exist: {impossible}"))
        elif deadline.kind == "unknown" and deadline_where is not None:
            if needs_year and not year_missing_reported:
                year_missing_reported = True
                problems.append(Problem(deadline_where,
                                        f"deadline {quote(deadline.text)} needs the plan's year: set [plan] year in "
                                        "pilot-docs.toml, pass --year, or put the year in the table's title"))
            elif not needs_year:
                problems.append(Problem(deadline_where, f"deadline {quote(deadline.text)} names no date", "warning"))
        elif year is not None and deadline_where is not None and not (
                deadline_cell is not None and deadline_cell.blank):
            other = sorted({y for y in written_years(raw_deadline) if y != year})
            if other:
                problems.append(Problem(deadline_where, f"deadline {quote(deadline.text)} is in "
                                                        f"{'、'.join(map(str, other))}, not the plan's year {year}: "
                                                        "kept as written", "warning"))


def _task_number(cell: Cell, grid: Grid, problems: list[Problem]) -> int | None:
    text = cell.text.strip().rstrip(".、．)）").lstrip("(（")
    value = cn_number(text.split(".")[0]) if text else None
    if value is None:
        problems.append(Problem(grid.location(cell.row, cell.col), f"序号 {quote(cell.text)} is not a number"))
    return value


def _units(row: _Row, protected: list[str], lead_first: bool = False
           ) -> tuple[list[str], list[str], list[str], bool, CellNotes]:
    """Units as written, plus lead and co-operating units from their columns, from labels in the cell
    (牵头单位：…；配合单位：…, X牵头，Y配合) or from marks such as （牵头）; whether a cell ended in 等; and what the
    cells said besides names (a note that the first unit listed leads, a deadline among the names).
    `lead_first`: a note above said the first unit listed leads, for the rows below too (下同)."""
    units: list[str] = []
    lead: list[str] = []
    partners: list[str] = []
    any_more = False
    said = CellNotes("")
    # 责任单位 beside a 牵头单位 column names the co-operating units; beside a 配合单位 column, the lead.
    units_role = "partner" if row.cells.get("lead") else "lead" if row.cells.get("partners") else None
    for column_role in ("units", "lead", "partners"):
        notes = cell_notes(row.text(column_role))
        if notes.lead_first or notes.deadline or notes.shared:
            said = CellNotes("", said.lead_first or notes.lead_first, said.standing or notes.standing,
                             said.deadline or notes.deadline, said.shared or notes.shared)
        found, more = read_units_cell(notes.text, protected)
        any_more = any_more or more
        for name, role in found:
            role = {"lead": "lead", "partners": "partner"}.get(column_role, role or (
                units_role if column_role == "units" else None))
            if name not in units:
                units.append(name)
            bucket = lead if role == "lead" else partners if role == "partner" else None
            if bucket is not None and name not in bucket:
                bucket.append(name)
    if (lead_first or said.lead_first) and not said.shared and units and not lead and not partners and not row.cells.get("lead"):
        lead.append(units[0])  # （列第一位者为工作牵头单位）: the first listed leads, the others co-operate
        partners.extend(units[1:])
    return units, lead, partners, any_more, said


def _check_units(registry: Registry, row: _Row, units: list[str], grid: Grid, r: int,
                 problems: list[Problem]) -> None:
    for unit in dict.fromkeys(units):
        if registry.resolve(unit) is None:
            if len([k for k in registry.names() if same_body(unit, k)]) == 1:
                continue  # 交通局 for the registered 市交通局: read as it, with a warning (merge_unit_names)
            cell = next((c for role in ("units", "lead", "partners") for c in row.cells.get(role, [])
                         if unit in " ".join(c.text.split())), row.first("units") or row.first("lead")
                        or row.first("partners"))
            hint = registry.suggest(unit)
            problems.append(Problem(grid.location(r, cell.col), f"unknown unit {quote(unit)}"
                                    + (f" (did you mean {hint}?)" if hint else "")))


def no_header_message(grids: list[Grid], display: str) -> Problem:
    """The problem for a workbook without a header row: the most header-like row and what it did not know."""
    expected = "expected columns such as 序号 | 工作任务 | 工作内容 | 责任单位 | 完成时间 in the first rows of a sheet"
    best = header_like(grids)
    if best is None:
        first = grids[0].name if grids else None
        return Problem(Location(display, first, "A1" if first else None), f"no header row found: {expected}")
    grid, r, known, unknown = best
    col = next(c.col for c in grid.row(r) if c.text)
    named = "、".join(f"{t}（{ROLE_NAMES[header_role(t) or 'extra']}）" for t in known)
    lacks = "、".join(missing_columns(_by_role({i: header_role(t) for i, t in enumerate(known)})))
    return Problem(grid.location(r, col),
                   f"no header row found: {expected}; the most header-like row is row {r}, which names {named}"
                   + (f" but not {lacks}" if lacks else "")
                   + (f"; names not understood: {'、'.join(quote(t, 20) for t in unknown[:8])}" if unknown else "")
                   + "; set [source] columns in pilot-docs.toml to give a header its role")


def year_from_title(title: str) -> int | None:
    """The plan's year from a table title such as 2016年民生实事…"""
    m = re.search(r"((?:19|20)\d{2})\s*年", title.translate(_FULL_WIDTH_DIGITS))
    if m:
        return int(m.group(1))
    m = re.search(r"([一二][〇○零0Ｏ一二三四五六七八九]{3})\s*年", title)  # 二〇一六年
    if m:
        return int("".join(str("〇一二三四五六七八九".index(ch)) if ch in "一二三四五六七八九" else "0"
                           for ch in m.group(1)))
    return None


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
