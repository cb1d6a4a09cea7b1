"""单位名录: the agency registry (short name → full name, aliases, groups, contacts) and name resolution."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..errors import Location, Problem, quote
from .grid import Grid
from .units import name_key, split_units

REGISTRY_HEADERS = {
    "name": ("简称", "单位简称", "单位名称", "单位"),
    "full_name": ("全称", "单位全称", "正式名称", "机关全称"),
    "aliases": ("别名", "其他写法", "又称"),
    "email": ("电子邮箱", "邮箱", "email", "e-mail", "电子邮件"),
    "contact": ("联系人",),
    "phone": ("联系电话", "电话"),
}
GROUP_HEADERS = {"group": ("组名", "分组", "单位组", "组"), "member": ("成员", "成员单位", "包括单位")}
# a row that explains rather than lists (示例：…, 说明：…, 注：…), as in the sheets `pilot-docs init` writes
EXAMPLE_ROW = re.compile(r"^\s*[（(]?(示例|例|说明|注)\s*[:：）)]")


@dataclass
class RegistryEntry:
    """One agency of the registry."""

    name: str
    full_name: str
    aliases: list[str] = field(default_factory=list)
    email: str | None = None
    contact: str | None = None
    phone: str | None = None
    location: Location | None = None


@dataclass
class Registry:
    """Known agencies, their aliases and the groups (各市、区人民政府) that stand for several of them."""

    entries: dict[str, RegistryEntry] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    _keys: dict[str, str] = field(default_factory=dict)  # folded name or alias → canonical name

    def add(self, entry: RegistryEntry) -> None:
        """Register an agency and its aliases."""
        self.entries[entry.name] = entry
        for name in [entry.name, *entry.aliases]:
            self._keys[name_key(name)] = entry.name

    def names(self) -> list[str]:
        """Every name the table may use: short names, aliases and group names."""
        out = [n for e in self.entries.values() for n in (e.name, *e.aliases)]
        return out + list(self.groups)

    def canonical(self, unit: str) -> str | None:
        """The registry's short name for a unit or alias, None when unknown."""
        return self._keys.get(name_key(unit))

    def resolve(self, unit: str) -> list[str] | None:
        """The agencies a unit stands for (a group expands to its members), None when unknown."""
        key = name_key(unit)
        for group, members in self.groups.items():
            if name_key(group) == key:
                return [m for member in members for m in (self.resolve(member) or [])]
        name = self._keys.get(key)
        return [name] if name else None

    def suggest(self, unit: str) -> str | None:
        """The closest known name, for a did-you-mean."""
        names = self.names()
        match = difflib.get_close_matches(name_key(unit), [name_key(n) for n in names], n=1, cutoff=0.6)
        if not match:
            return None
        return next(n for n in names if name_key(n) == match[0])


def header_roles(cells: list, table: dict[str, tuple[str, ...]]) -> dict[str, list[int]]:
    """Which columns of a row hold which role, by the header synonyms of `table`."""
    roles: dict[str, list[int]] = {}
    for cell in cells:
        text = "".join(cell.text.split()).lower()
        for role, synonyms in table.items():
            if text in synonyms:
                roles.setdefault(role, []).append(cell.col)
    return roles


def find_header(grid: Grid, table: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> tuple[int, dict]:
    """The first row (of the first 20) whose cells name all required roles, and its roles; (0, {}) if none."""
    for r in range(1, min(grid.max_row, 20) + 1):
        roles = header_roles(grid.row(r), table)
        if all(role in roles for role in required):
            return r, roles
    return 0, {}


def read_registry(grids: list[Grid], problems: list[Problem]) -> Registry | None:
    """The registry from the sheets that hold one (简称 | 全称 …, 组名 | 成员); None when there is none."""
    registry: Registry | None = None
    group_grids = []
    for grid in grids:
        row, roles = find_header(grid, REGISTRY_HEADERS, ("name", "full_name"))
        if row:
            registry = registry or Registry()
            _read_entries(grid, row, roles, registry, problems)
        g_row, g_roles = find_header(grid, GROUP_HEADERS, ("group", "member"))
        if g_row:
            group_grids.append((grid, g_row, g_roles))
    for grid, g_row, g_roles in group_grids:
        registry = registry or Registry()
        _read_groups(grid, g_row, g_roles, registry, problems)
    if registry is not None and not registry.entries and not registry.groups:
        return None  # sheets with only their header (a new project's): no registry yet, any unit is accepted
    return registry


def _example(grid: Grid, r: int) -> bool:
    return bool(EXAMPLE_ROW.match(grid.first_text(r)))


def _first(grid: Grid, r: int, cols: list[int] | None) -> str:
    if not cols:
        return ""
    return "\n".join(dict.fromkeys(t for c in cols if (t := grid.cell(r, c).text)))


def _read_entries(grid: Grid, header: int, roles: dict, registry: Registry, problems: list[Problem]) -> None:
    for r in range(header + 1, grid.max_row + 1):
        name = " ".join(_first(grid, r, roles["name"]).split())
        full = " ".join(_first(grid, r, roles["full_name"]).split())
        if not name and not full or _example(grid, r):
            continue
        where = grid.location(r, roles["name"][0])
        if not name:
            problems.append(Problem(where, f"registry row has a full name {quote(full)} but no short name"))
            continue
        if registry.canonical(name) is not None:
            problems.append(Problem(where, f"{quote(name)} is already in the registry"))
            continue
        aliases = [" ".join(a.split()) for a in _first(grid, r, roles.get("aliases")).replace("；", "\n")
                   .replace(";", "\n").split("\n") if a.strip()]
        for alias in aliases:
            if registry.canonical(alias) is not None:
                problems.append(Problem(grid.location(r, roles["aliases"][0]),
                                        f"alias {quote(alias)} already names {quote(registry.canonical(alias))}"))
        registry.add(RegistryEntry(
            name=name,
            full_name=full or name,
            aliases=[a for a in aliases if registry.canonical(a) is None],
            email=_first(grid, r, roles.get("email")) or None,
            contact=_first(grid, r, roles.get("contact")) or None,
            phone=_first(grid, r, roles.get("phone")) or None,
            location=where,
        ))


def _read_groups(grid: Grid, header: int, roles: dict, registry: Registry, problems: list[Problem]) -> None:
    group = ""
    for r in range(header + 1, grid.max_row + 1):
        if _example(grid, r):
            continue
        text = " ".join(_first(grid, r, roles["group"]).split())
        members_text = _first(grid, r, roles["member"])
        if text:
            group = text
        if not members_text:
            continue
        if not group:
            problems.append(Problem(grid.location(r, roles["group"][0]), "group member without a group name"))
            continue
        for member in split_units(members_text, registry.names()):
            if registry.canonical(member) is None and member not in registry.groups:
                hint = registry.suggest(member)
                problems.append(Problem(grid.location(r, roles["member"][0]),
                                        f"group {quote(group)} names unknown unit {quote(member)}"
                                        + (f" (did you mean {hint}?)" if hint else "")))
                continue
            registry.groups.setdefault(group, []).append(member)
