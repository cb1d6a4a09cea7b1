"""Helpers for tests: write small workbooks the way offices type them, and run the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner
from openpyxl import Workbook

REPO = Path(__file__).resolve().parent.parent
HEADER = ["序号", "工作任务", "工作内容", "责任单位", "完成时间"]


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]], merges: dict[str, list[str]] | None = None) -> Path:
    """Write sheets of rows (None for a blank cell) with merged ranges such as 'A2:A4'."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is not None:
                    ws.cell(r, c, value)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def registry_sheets(units: list[str | tuple[str, str, str]], groups: dict[str, list[str]] | None = None
                    ) -> dict[str, list[list[Any]]]:
    """A 单位名录 sheet (and a 单位分组 sheet) for these units: name, or (name, full name, aliases)."""
    rows: list[list[Any]] = [["简称", "全称", "别名", "电子邮箱", "联系人"]]
    for unit in units:
        if isinstance(unit, tuple):
            rows.append(list(unit))
        else:
            rows.append([unit, "江门" + unit, None])
    sheets = {"单位名录": rows}
    if groups:
        g_rows: list[list[Any]] = [["组名", "成员"]]
        for group, members in groups.items():
            for n, member in enumerate(members):
                g_rows.append([group if n == 0 else None, member])
        sheets["单位分组"] = g_rows
    return sheets


def run_cli(*args: str) -> Any:
    """Run the pilot-docs CLI in-process; returns click's Result (stdout, stderr, exit_code)."""
    from pilot_docs.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)
