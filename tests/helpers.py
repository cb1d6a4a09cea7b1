"""Helpers for tests: write small workbooks the way offices type them, and run the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner
from openpyxl import Workbook

REPO = Path(__file__).resolve().parent.parent
HEADER = ["序号", "工作任务", "工作内容", "责任单位", "完成时间"]


def workbook_of(sheets: dict[str, list[list[Any]]], merges: dict[str, list[str]] | None = None) -> Workbook:
    """A workbook of sheets of rows (None for a blank cell) with merged ranges such as 'A2:A4'."""
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
    return wb


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]], merges: dict[str, list[str]] | None = None) -> Path:
    """Write sheets of rows (None for a blank cell) with merged ranges such as 'A2:A4'."""
    wb = workbook_of(sheets, merges)
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


def assert_same_words(docx: bytes, pdf: bytes, name: str = "") -> None:
    """The DOCX and the PDF carry the same words, in order (white space aside).

    The PDF may also repeat a table's head at the top of a continuation page: where the PDF shows a head that the
    DOCX does not have at that point, it is skipped. (Telling a repeated head from the head of a new table with the
    same columns is only possible against the DOCX's sequence.)
    """
    from pilot_docs.render import docx_repeated_headers, docx_text, normalize, pdf_text

    want = normalize(docx_text(docx))
    got = normalize(pdf_text(pdf))
    heads = sorted(set(docx_repeated_headers(docx)), key=len, reverse=True)
    i = j = 0
    while i < len(want) and j < len(got):
        if want[i] == got[j]:
            i += 1
            j += 1
            continue
        head = next((h for h in heads if h and got.startswith(h, j)), None)
        assert head is not None, f"{name}: differ at {i}: DOCX …{want[max(0, i - 40):i + 40]}… PDF …{got[max(0, j - 40):j + 40]}…"
        j += len(head)
    while j < len(got):
        head = next((h for h in heads if h and got.startswith(h, j)), None)
        assert head is not None, f"{name}: the PDF has more: …{got[j:j + 80]}…"
        j += len(head)
    assert i == len(want), f"{name}: the DOCX has more: …{want[i:i + 80]}…"


def pdf_outline(pdf: Path | bytes) -> list[tuple[str, int, int]]:
    """A PDF's bookmarks as (title, level from 1, page from 1), in order."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    out: list[tuple[str, int, int]] = []

    def walk(items, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((item.title, level, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return out


def seed_config_without(*tables: str) -> str:
    """The repository's pilot-docs.toml without the named tables (e.g. "numbering": [numbering.letter] …, and
    the comment lines just before them), for a test that sets its own."""
    import re

    text = (REPO / "pilot-docs.toml").read_text(encoding="utf-8")
    for table in tables:
        text = re.sub(rf"(?ms)(^#[^\n]*\n)*^\[{re.escape(table)}(\.[^\]]+)?\]\n.*?(?=^\[(?!{re.escape(table)}[.\]])|\Z)",
                      "", text)
    return text
