"""Write the real-table corpus: tests/real/<slug>.xlsx and <slug>.json from the transcriptions in tables.py.

    .venv/bin/python -m tests.real.make_real          # rewrite every workbook and expectation file
    .venv/bin/python -m tests.real.make_real --check  # exit 1 if any file on disk differs from what it would write

The workbooks are deterministic (fixed document dates, zip entries in fixed order with fixed times), so running
this again gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from pilot_docs.build.ziputil import normalize_zip
from tests.real.tables import TABLES, L, U

HERE = Path(__file__).resolve().parent
WHEN = dt.datetime(2024, 1, 1)
JSON_KEYS = ("source", "office", "title", "year", "shape", "excerpt", "counts", "agencies", "extra_columns", "items")
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def owners(grid: list[list[Any]]) -> dict[tuple[int, int], tuple[int, int]]:
    """For every cell (0-based row, col), the cell whose value it shows: itself, or the origin of its merge."""
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if value == U:
                owner[r, c] = owner[r - 1, c]
            elif value == L:
                owner[r, c] = owner[r, c - 1]
            else:
                owner[r, c] = (r, c)
    return owner


def merges(grid: list[list[Any]]) -> list[tuple[int, int, int, int]]:
    """The merged ranges (first row, first col, last row, last col; 0-based) the markers describe."""
    spans: dict[tuple[int, int], list[int]] = {}
    for (r, c), origin in owners(grid).items():
        span = spans.setdefault(origin, [r, c, r, c])
        span[0], span[1] = min(span[0], r), min(span[1], c)
        span[2], span[3] = max(span[2], r), max(span[3], c)
    out = []
    for origin, (r0, c0, r1, c1) in sorted(spans.items()):
        if (r0, c0) != origin:
            raise ValueError(f"merge marker above or left of its origin at {origin}")
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 1:
            out.append((r0, c0, r1, c1))
    return out


def header_row(table: dict[str, Any]) -> int:
    """The 0-based index of the (last) header row: the first row whose every cell is filled and not merged."""
    for r, row in enumerate(table["grid"]):
        if all(v not in (None, U, L) for v in row) and len(row) > 1:
            return r
    raise ValueError("no header row")


def workbook(table: dict[str, Any]) -> bytes:
    """The table typed into a worksheet, as deterministic .xlsx bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    grid = table["grid"]
    first_header = header_row(table)
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c)
            if value not in (None, U, L):
                cell.value = value
            if r - 1 < first_header:
                cell.font = Font(name="宋体", size=16 if value and len(str(value)) > 4 else 11, bold=len(row) > 1)
                cell.alignment = Alignment(horizontal="center" if c == 1 and len(row) > 1 else "left",
                                           vertical="center", wrap_text=True)
            else:
                cell.font = Font(name="宋体", size=11, bold=r - 1 == first_header)
                cell.alignment = Alignment(horizontal="center" if r - 1 == first_header else "left",
                                           vertical="center", wrap_text=True)
                cell.border = _BOX
    for r0, c0, r1, c1 in merges(grid):
        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    for c, width in enumerate(table["widths"], start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    wb.properties.created = wb.properties.modified = WHEN
    wb.properties.creator = wb.properties.lastModifiedBy = "pilot-docs tests"
    buffer = io.BytesIO()
    wb.save(buffer)
    return normalize_zip(buffer.getvalue(), WHEN)


def expectations(table: dict[str, Any]) -> bytes:
    """The table's JSON: what a careful human reads in it."""
    data = {key: table[key] for key in JSON_KEYS}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def files() -> dict[Path, bytes]:
    """Every file of the corpus and its bytes."""
    out: dict[Path, bytes] = {}
    for slug, table in TABLES.items():
        out[HERE / f"{slug}.xlsx"] = workbook(table)
        out[HERE / f"{slug}.json"] = expectations(table)
    return out


def main(argv: list[str]) -> int:
    """Write the corpus, or with --check report the files that differ."""
    wanted = files()
    if "--check" in argv:
        stale = [p.name for p, data in wanted.items() if not p.is_file() or p.read_bytes() != data]
        for name in stale:
            print(f"stale: tests/real/{name}")
        return 1 if stale else 0
    for path, data in wanted.items():
        path.write_bytes(data)
    print(f"wrote {len(wanted)} files to tests/real/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
