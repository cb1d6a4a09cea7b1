"""A project: where its config, workbook and templates are, and loading them into a validated model."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EmptyTable, Location, Problem, SourceError, ValidationFailed, quote
from ..model import Agency, Model, Plan
from .config import CONFIG_NAME, _line_of, load_config
from .grid import Grid
from .reader import (
    column_warnings,
    find_table,
    missing_columns,
    no_header_message,
    read_tasks,
    year_from_title,
)
from .registry import Registry, read_registry
from .units import place_prefix, same_body
from .xlsx import DEFAULT_LIMITS, Limits, SourceBook, open_source


def display_path(path: Path) -> str:
    """A path as users see it in messages: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


@dataclass
class Project:
    """A project folder (or a lone workbook) and its configuration."""

    root: Path
    workbook: Path
    config: dict[str, Any] = field(default_factory=dict)
    config_path: Path | None = None

    @property
    def templates_dir(self) -> Path:
        """The project's own templates, which override the built-in ones."""
        return self.root / "templates"


def find_project(source: Path | None = None) -> Project:
    """The project at `source`: a project folder, a folder of workbooks, or one .xlsx file."""
    source = Path(source or ".")
    if not source.exists():
        raise SourceError("no such file or folder", Location(display_path(source)))
    if not source.is_file() and not source.is_dir():  # a named pipe or a device would block or never end
        raise SourceError("not a regular file", Location(display_path(source)))
    if source.is_file():
        root = source.parent.parent if source.parent.name == "source" else source.parent
        config_path = root / CONFIG_NAME
        config = load_config(config_path, display_path(config_path)) if config_path.is_file() else {}
        return Project(root=root, workbook=source, config=config,
                       config_path=config_path if config else None)
    config_path = source / CONFIG_NAME
    config = load_config(config_path, display_path(config_path)) if config_path.is_file() else {}
    configured = config.get("source", {}).get("workbook")
    if configured:
        workbook = source / configured
        if not workbook.is_file():
            raise SourceError(f"source.workbook '{configured}' does not exist", Location(display_path(config_path)))
        return Project(source, workbook, config, config_path)
    for folder in (source / "source", source):
        found = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$")) if folder.is_dir() else []
        if len(found) == 1:
            return Project(source, found[0], config, config_path if config else None)
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise SourceError(f"several workbooks ({names}): set [source] workbook in {CONFIG_NAME}",
                              Location(display_path(folder)))
    raise SourceError(f"no .xlsx workbook in {display_path(source / 'source')} or {display_path(source)}",
                      Location(display_path(source)))


def load_model(project: Project, year: int | None = None,
               limits: Limits = DEFAULT_LIMITS) -> tuple[Model, list[Problem]]:
    """The validated model and the warnings; raises ValidationFailed listing every error found."""
    display = display_path(project.workbook)
    book = open_source(project.workbook, display, limits)
    return read_model(book, display, project.config, year, limits)


# What a letter cannot do without: the key, what it is, and what the documents show until it is set.
MASTHEAD = (("issuer", "发文机关, the signature"), ("issuer_mark", "发文机关标志, the red masthead"),
            ("doc_number", "发文字号"), ("date", "成文日期"))


def masthead_warnings(project: Project, model: Model) -> list[Problem]:
    """A warning for each masthead field of [plan] that the config does not set, naming the key to set; the
    documents show a visible placeholder instead (documents/common.py PLACEHOLDERS)."""
    from ..documents.common import PLACEHOLDERS

    plan = project.config.get("plan", {})
    path = project.config_path or project.root / CONFIG_NAME
    config_text = _text_or_empty(path)
    year = model.plan.year or "年份"
    examples = {"issuer": '"××市××委员会"', "issuer_mark": '"××市××委员会文件"',
                "doc_number": f'"××〔{year}〕1号"', "date": f"{model.plan.year or 2025}-01-15"}
    found = []
    for key, what in MASTHEAD:
        if plan.get(key) or (key == "issuer_mark" and plan.get("issuer")):  # the mark defaults to issuer + 文件
            continue
        found.append(Problem(
            Location(display_path(path), line=_line_of(config_text, "plan")),
            f"[plan] {key} ({what}) is not set: the documents show {PLACEHOLDERS[key]} until you set "
            f"{key} = {examples[key]}", "warning"))
    if not project.config.get("report", {}).get("doc_number"):
        found.append(Problem(Location(display_path(path), line=_line_of(config_text, "report")),
                             f"[report] doc_number (发文字号 of the progress report) is not set: the report shows "
                             f"{PLACEHOLDERS['doc_number']} until you set doc_number = {examples['doc_number']}",
                             "warning"))
    from ..mail.register import register_path

    if register_path(project).exists() and not project.config.get("change", {}).get("date"):
        found.append(Problem(Location(display_path(path), line=_line_of(config_text, "change")),
                             f"[change] date (成文日期 of the change notices) is not set: they show "
                             f"{PLACEHOLDERS['date']} until you set date = {examples['date']} in [change]",
                             "warning"))
    if not project.config.get("numbering", {}).get("change") and register_path(project).exists():
        found.append(Problem(Location(display_path(path), line=_line_of(config_text, "numbering")),
                             f"[numbering.change] is not set: change notices show {PLACEHOLDERS['doc_number']} "
                             f"until you set pattern = \"{examples['doc_number'][1:-1].replace('1号', '{n}号')}\"",
                             "warning"))
    return found


def _text_or_empty(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def read_model(book: SourceBook, display: str, config: dict[str, Any], year: int | None = None,
               limits: Limits = DEFAULT_LIMITS) -> tuple[Model, list[Problem]]:
    """The model of an opened workbook (and the warnings), as load_model; `display` names it in messages."""
    grids = [Grid(sheet, display, book.uncached.get(sheet.title, ()), limits) for sheet in book.workbook.worksheets]
    problems: list[Problem] = []
    registry = read_registry(grids, problems)
    registries = [g for g in grids if _is_registry(g)]
    overrides = dict(config.get("source", {}).get("columns", {}))
    table = find_table([g for g in grids if g not in registries], overrides)
    for grid in registries + ([table.grid] if table else []):
        problems.extend(Problem(grid.location(r, c), why) for (r, c), why in sorted(grid.unreadable.items()))
    if table is None:
        problems.append(no_header_message([g for g in grids if g not in registries] or grids, display))
        raise ValidationFailed(problems)
    missing = missing_columns({**table.roles, **{c.role: list(c.cols) for c in table.columns if c.role == "people"}})
    if missing:
        problems.append(Problem(table.grid.location(table.header_row, 1), f"header lacks {', '.join(missing)}"))
        raise ValidationFailed(problems)
    plan_conf = dict(config.get("plan", {}))
    plan_year = year or plan_conf.get("year") or year_from_title(table.title or plan_conf.get("title", ""))
    problems.extend(column_warnings(table))
    read_tasks(table, registry, plan_year, problems)
    merge_unit_names(table.tasks, registry, problems)
    items = [item for task in table.tasks for item in task.items]
    if len(items) > limits.items:
        where = items[limits.items].location or table.grid.location(table.header_row, 1)
        raise SourceError(f"the table has {len(items):,} work items, more than the limit of {limits.items:,}",
                          where)
    if not table.tasks:
        problems.append(Problem(table.grid.location(table.header_row + 1, 1),
                                f"the table has no work items yet: fill in one row per work item below its header "
                                f"(row {table.header_row}), then run pilot-docs check"))
        if not any(p.severity == "error" for p in problems[:-1]):
            raise EmptyTable(problems)
    if any(p.severity == "error" for p in problems):
        raise ValidationFailed(problems)
    plan_conf.pop("year", None)
    plan = Plan(title=plan_conf.pop("title", table.title) or table.title, year=plan_year,
                issuer=plan_conf.pop("issuer", ""), extra=plan_conf)
    model = Model(plan=plan, tasks=table.tasks, agencies=agencies_of(table.tasks, registry), source=display,
                  columns=table.columns)
    return model, problems


_COLLECTIVE = ("各", "相关", "有关", "全", "其他", "其它")
_BODY = re.compile(r"(局|委|办|厅|署|中心|委员会|管委会)$")
_PLACE_INSIDE = re.compile(r"[省市区县州镇乡]")  # 滁州经开区管委会 names its own place


def merge_unit_names(tasks: list, registry: Registry | None, problems: list[Problem]) -> None:
    """One agency for one body written two ways: a name without the place prefix its neighbours in the cell
    have (市教育局、卫健委) takes it where the prefixed name is known (registry) or used elsewhere in the table;
    交通局 and 市交通局 in one table are one agency; a warning (did you mean) where more than one name fits."""
    items = [item for task in tasks for item in task.items]
    used: list[str] = list(dict.fromkeys(u for item in items for u in item.units))
    known = set(used) | (set(registry.names()) if registry else set())

    def resolves(name: str) -> bool:
        return registry.resolve(name) is not None if registry else False

    rename: dict[str, str] = {}
    warned: set[str] = set()
    for item in items:
        for n, unit in enumerate(item.units):
            if place_prefix(unit) or (registry and resolves(unit)) or unit in rename:
                continue
            previous = rename.get(item.units[n - 1], item.units[n - 1]) if n else ""  # 市A、B、C: B is 市B
            before = place_prefix(previous)
            if before and before + unit in known:
                rename[unit] = before + unit  # the prefix written once, for the whole list
                continue
            owner = previous[: previous.index("各")] if "各" in previous[1:] else ""
            if unit.startswith("各") and owner.endswith("政府"):
                rename[unit] = owner + unit  # 省政府各部门、各直属机构: the owner written once
                known.add(owner + unit)
                continue
            prefixes = {place_prefix(u) for u in item.units if u != unit} - {""}
            if before and not before.startswith("各") and prefixes == {before} and not unit.startswith(_COLLECTIVE) \
                    and _BODY.search(unit) and not _PLACE_INSIDE.search(unit) \
                    and not (registry and registry.names()):
                # 市发改委、外经贸局、规划局: every other name of the list carries the prefix, so this one has it too
                rename[unit] = before + unit
                known.add(before + unit)
                if item.location is not None:
                    problems.append(Problem(item.location, f"unit {quote(unit)} is read as {quote(before + unit)}: "
                                                           f"the {before} written once before it", "warning"))
                continue
            fits = sorted(k for k in known if k != unit and same_body(unit, k) and (not registry or resolves(k)))
            if len(fits) == 1 and (registry is None or not resolves(unit)):
                rename[unit] = fits[0]
                if item.location is not None:
                    problems.append(Problem(item.location, f"unit {quote(unit)} is read as {quote(fits[0])}, "
                                                           "the name the table uses elsewhere", "warning"))
            elif len(fits) > 1 and unit not in warned and item.location is not None:
                warned.add(unit)
                problems.append(Problem(item.location, f"unit {quote(unit)} is kept apart: did you mean "
                                                       f"{' or '.join(fits)}?", "warning"))
    _merge_reordered(items, used, registry, rename, problems)
    if not rename:
        return
    for item in items:
        for bucket in (item.units, item.lead, item.partners):
            bucket[:] = list(dict.fromkeys(rename.get(u, u) for u in bucket))


def _merge_reordered(items: list, used: list[str], registry: Registry | None, rename: dict[str, str],
                     problems: list[Problem]) -> None:
    """省农村农业厅 beside 省农业农村厅: the same words in another order, one body; it takes the name the table
    uses more often (the first used, on a tie), with a warning. A registry decides instead where it knows a name."""
    count: dict[str, int] = {}
    first: dict[str, object] = {}
    for item in items:
        for unit in item.units:
            count[unit] = count.get(unit, 0) + 1
            first.setdefault(unit, item.location)
    names = [u for u in used if u not in rename and len(u) >= 5]
    by_letters: dict[tuple[str, str], list[str]] = {}
    for name in names:
        by_letters.setdefault((place_prefix(name), "".join(sorted(name))), []).append(name)
    for group in by_letters.values():
        if len(group) != 2 or (registry and any(registry.resolve(g) is not None for g in group)):
            continue
        keep, other = sorted(group, key=lambda g: (-count[g], used.index(g)))
        if keep[-1] != other[-1]:
            continue  # 局 and 委 are different kinds of body whatever the letters
        rename[other] = keep
        where = first.get(other)
        if where is not None:
            problems.append(Problem(where, f"unit {quote(other)} is read as {quote(keep)}: the same words in another "
                                           "order, the name the table uses elsewhere", "warning"))


def _is_registry(grid: Grid) -> bool:
    from .registry import GROUP_HEADERS, REGISTRY_HEADERS, find_header

    return bool(find_header(grid, REGISTRY_HEADERS, ("name", "full_name"))[0]
                or find_header(grid, GROUP_HEADERS, ("group", "member"))[0])


def agencies_of(tasks: list, registry: Registry | None) -> list[Agency]:
    """The recipients: every unit named, groups expanded and aliases merged, each with its item ids."""
    by_name: dict[str, Agency] = {}
    listed: set[tuple[str, str]] = set()  # (agency, item) already listed: a set, for tables of many items
    for task in tasks:
        for item in task.items:
            for unit in item.units:
                names = registry.resolve(unit) if registry else [unit]
                for name in names or []:
                    agency = by_name.get(name)
                    if agency is None:
                        agency = by_name[name] = _agency(name, registry)
                    if (name, item.id) not in listed:
                        listed.add((name, item.id))
                        agency.items.append(item.id)
                    if registry and unit in registry.groups and unit not in agency.groups:
                        agency.groups.append(unit)
    if registry is None:
        return list(by_name.values())
    order = {name: n for n, name in enumerate(registry.entries)}  # the office's protocol order
    return sorted(by_name.values(), key=lambda a: order[a.name])


def _agency(name: str, registry: Registry | None) -> Agency:
    entry = registry.entries.get(name) if registry else None
    if entry is None:
        return Agency(name=name, full_name=name)
    return Agency(name=name, full_name=entry.full_name, aliases=list(entry.aliases), email=entry.email,
                  contact=entry.contact, phone=entry.phone)
