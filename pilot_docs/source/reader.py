"""任务分解表: read the responsibility table from a workbook's grids into tasks and work items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Problem, quote
from ..model import Task, WorkItem
from .deadlines import cn_number, parse_deadline
from .grid import Cell, Grid
from .registry import Registry
from .units import role_mark, split_units

TABLE_HEADERS: dict[str, tuple[str, ...]] = {
    "no": ("序号", "编号"),
    "task": ("工作任务", "重点任务", "主要任务", "项目名称", "民生实事", "专项整治行业名称"),
    "content": ("工作内容", "具体要求", "主要内容", "具体措施", "目标任务", "工作措施", "具体内容"),
    "units": ("责任单位", "责任科室", "责任部门"),
    "lead": ("牵头单位", "牵头责任单位", "主要责任单位", "牵头部门"),
    "partners": ("配合单位", "协同配合单位", "协办单位", "配合部门"),
    "deadline": ("完成时间", "完成时限", "时限要求", "时间安排", "完成期限", "时间节点"),
}
HEADER_SCAN_ROWS = 30
_NOTE_ROW = re.compile(r"^(注|备注|说明)\s*[:：1１]")


@dataclass
class Table:
    """What the reader found: the sheet, header row, title rows above it, and the tasks."""

    grid: Grid
    header_row: int
    roles: dict[str, list[int]]
    title: str = ""
    tasks: list[Task] = field(default_factory=list)


def _normalize_header(text: str) -> str:
    text = "".join(text.split())
    return re.sub(r"[（(].*?[）)]$", "", text)  # 完成时间（截止日期） counts as 完成时间


def table_roles(cells: list[Cell]) -> dict[str, list[int]]:
    """Columns of a header row by role; a header merged over two columns gives the role both."""
    roles: dict[str, list[int]] = {}
    for cell in cells:
        text = _normalize_header(cell.text)
        for role, synonyms in TABLE_HEADERS.items():
            if text in synonyms:
                roles.setdefault(role, []).append(cell.col)
    return roles


def _is_header(roles: dict) -> bool:
    return ("task" in roles or "content" in roles) and ("units" in roles or "lead" in roles)


def find_table(grids: list[Grid]) -> Table | None:
    """The first sheet and row that look like the table's header, wherever they are."""
    for grid in grids:
        for r in range(1, min(grid.max_row, HEADER_SCAN_ROWS) + 1):
            roles = table_roles(grid.row(r))
            if _is_header(roles):
                title_lines = [c.text for rr in range(1, r) for c in grid.row(rr) if c.text and not c.merged]
                table = Table(grid, r, roles, title=" ".join(title_lines[:1]))
                _sub_header(table)
                return table
    return None


def _sub_header(table: Table) -> None:
    """A two-row header (责任单位 over 牵头单位 | 配合单位): roles named in the second row win."""
    r = table.header_row + 1
    if r > table.grid.max_row:
        return
    cells = table.grid.row(r)
    sub = table_roles(cells)
    named = {c for cols in sub.values() for c in cols}
    # Only a row made of header words and cells merged down from the header is a second header row.
    if not sub or any(not (c.blank or c.merged or c.col in named) for c in cells):
        return
    taken = {c for cols in sub.values() for c in cols}
    for role in list(table.roles):
        table.roles[role] = [c for c in table.roles[role] if c not in taken]
        if not table.roles[role]:
            del table.roles[role]
    for role, cols in sub.items():
        table.roles.setdefault(role, []).extend(cols)
    table.header_row = r


def missing_columns(roles: dict) -> list[str]:
    """The required columns a header lacks, by their usual names."""
    missing = []
    if "task" not in roles and "content" not in roles:
        missing.append("工作任务/工作内容")
    if "units" not in roles and "lead" not in roles:
        missing.append("责任单位/牵头单位")
    return missing


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


def read_tasks(table: Table, registry: Registry | None, year: int | None, problems: list[Problem]) -> None:
    """Fill table.tasks from the data rows, appending every problem found to `problems`."""
    grid, roles = table.grid, table.roles
    protected = registry.names() if registry else []
    current: Task | None = None
    numbers: dict[int, tuple[str, str]] = {}  # 序号 → (task title, cell) of its first use
    by_key: dict[tuple[int, str], Task] = {}  # (序号, title) → task, for a task continued further down
    last_deadline: tuple[Task | None, object] = (None, None)
    content_origin: dict[tuple[int, int], WorkItem] = {}
    year_missing_reported = False
    for r in range(table.header_row + 1, grid.max_row + 1):
        row = _Row(grid, r, roles)
        if row.blank():
            continue
        first_text = grid.first_text(r)
        if _NOTE_ROW.match(first_text) and not row.text("units") and not row.text("lead"):
            continue
        title = row.text("task") if "task" in roles else ""
        content = row.text("content") if "content" in roles else ""
        no_cell = row.first("no")
        no: int | None = None
        if no_cell is not None and not no_cell.blank:
            no = _task_number(no_cell, grid, problems)
        new_task = current is None
        if current is not None:
            if no is not None and no != current.no:
                new_task = True
            elif title and title != current.title and not _from_merge(row, "task"):
                new_task = not (no_cell is not None and no_cell.merged)
        if "task" not in roles:
            title = content
            new_task = True
        if new_task:
            if not title:
                title = content
            if no is None:
                no = (current.no + 1) if current else 1
            if no in numbers and numbers[no][0] != title:
                where = grid.location(r, no_cell.col) if no_cell else grid.location(r, 1)
                problems.append(Problem(where, f"序号 {no} is already used for task {quote(numbers[no][0])} "
                                               f"(at {numbers[no][1]})"))
            existing = by_key.get((no, title))
            if existing is not None:
                current = existing
            else:
                numbers.setdefault(no, (title, (grid.location(r, no_cell.col) if no_cell else
                                                grid.location(r, 1)).cell or ""))
                current = by_key[(no, title)] = Task(no=no, title=title)
                table.tasks.append(current)
        assert current is not None
        if not content:
            content = current.title if "content" not in roles else ""
        content_cell = row.first("content") or row.first("task")
        assert content_cell is not None
        # Rows under one merged content cell are one item whose units add up.
        origin = content_cell.origin if content_cell.merged else None
        units, lead, partners = _units(row, protected)
        deadline_cell = row.first("deadline")
        raw_deadline = deadline_cell.value if deadline_cell is not None else None
        if deadline_cell is not None and deadline_cell.blank and last_deadline[0] is current:
            raw_deadline = last_deadline[1]  # same as above within one task
        last_deadline = (current, raw_deadline)
        deadline, needs_year = parse_deadline(raw_deadline, year)
        if origin is not None and origin in content_origin:
            item = content_origin[origin]
            item.units.extend(u for u in units if u not in item.units)
            item.lead.extend(u for u in lead if u not in item.lead)
            item.partners.extend(u for u in partners if u not in item.partners)
        else:
            item = WorkItem(id=f"{current.no}.{len(current.items) + 1}", content=content, units=units,
                            deadline=deadline, lead=lead, partners=partners,
                            location=grid.location(r, content_cell.col))
            current.items.append(item)
            if origin is not None:
                content_origin[origin] = item
            if not content:
                problems.append(Problem(grid.location(r, content_cell.col), "work item has no content (工作内容)"))
        units_cell = row.first("units") or row.first("lead")
        assert units_cell is not None
        if not units and not lead and not partners:
            problems.append(Problem(grid.location(r, units_cell.col), "work item has no responsible unit (责任单位)"))
        if registry is not None:
            _check_units(registry, row, units + lead + partners, grid, r, problems)
        if deadline.kind == "unknown" and deadline_cell is not None:
            if needs_year and not year_missing_reported:
                year_missing_reported = True
                problems.append(Problem(grid.location(r, deadline_cell.col),
                                        f"deadline {quote(deadline.text)} needs the plan's year: set [plan] year in "
                                        "pilot-docs.toml, pass --year, or put the year in the table's title"))
            elif not needs_year:
                problems.append(Problem(grid.location(r, deadline_cell.col),
                                        f"deadline {quote(deadline.text)} names no date", "warning"))


def _from_merge(row: _Row, role: str) -> bool:
    cell = row.first(role)
    return bool(cell and cell.merged)


def _task_number(cell: Cell, grid: Grid, problems: list[Problem]) -> int | None:
    text = cell.text.strip().rstrip(".、．)）").lstrip("(（")
    value = cn_number(text.split(".")[0]) if text else None
    if value is None:
        problems.append(Problem(grid.location(cell.row, cell.col), f"序号 {quote(cell.text)} is not a number"))
    return value


def _units(row: _Row, protected: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Units as written, plus lead and co-operating units from their columns or from marks such as （牵头）."""
    units: list[str] = []
    lead: list[str] = []
    partners: list[str] = []
    for unit in split_units(row.text("units"), protected):
        name, role = role_mark(unit)
        units.append(name)
        if role == "lead":
            lead.append(name)
        elif role == "partner":
            partners.append(name)
    for role, bucket in (("lead", lead), ("partners", partners)):
        for unit in split_units(row.text(role), protected):
            name, _ = role_mark(unit)
            if name not in bucket:
                bucket.append(name)
            if name not in units:
                units.append(name)
    return units, lead, partners


def _check_units(registry: Registry, row: _Row, units: list[str], grid: Grid, r: int,
                 problems: list[Problem]) -> None:
    for unit in dict.fromkeys(units):
        if registry.resolve(unit) is None:
            cell = next((c for role in ("units", "lead", "partners") for c in row.cells.get(role, [])
                         if unit in " ".join(c.text.split())), row.first("units") or row.first("lead"))
            hint = registry.suggest(unit)
            problems.append(Problem(grid.location(r, cell.col), f"unknown unit {quote(unit)}"
                                    + (f" (did you mean {hint}?)" if hint else "")))


def year_from_title(title: str) -> int | None:
    """The plan's year from a table title such as 2016年民生实事…"""
    m = re.search(r"((?:19|20)\d{2})\s*年", title)
    return int(m.group(1)) if m else None

