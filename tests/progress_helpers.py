"""Helpers for progress tests: a copy of the seed project, and forms filled the way an agency would."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

from openpyxl import load_workbook

from pilot_docs.returns.forms import FORM_SHEET, HEADER_ROW, REPORT_DATE_CELL, return_form
from pilot_docs.source.project import find_project, load_model
from tests.helpers import REPO


def seed_project(tmp_path: Path) -> Path:
    """A copy of the repository's project (workbook and config, no ledger) to collect into."""
    root = tmp_path / "project"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "source" / "任务分解表.xlsx", root / "source")
    shutil.copy(REPO / "pilot-docs.toml", root)
    return root


def fill_form(root: Path, agency: str, rows: dict[str, tuple], reported: object = dt.date(2009, 6, 28),
              out: Path | None = None) -> Path:
    """The agency's form filled in: rows maps item id → (status, date, text, problems, contact)."""
    model, _ = load_model(find_project(root))
    wb = load_workbook(io.BytesIO(return_form(model, model.agency(agency))))
    ws = wb[FORM_SHEET]
    ws[REPORT_DATE_CELL] = reported
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        values = rows.get(str(ws.cell(r, 1).value))
        if values:
            for offset, value in enumerate(values):
                ws.cell(r, 5 + offset, value)
    path = out or root.parent / f"{agency}-{len(list(root.parent.glob('*.xlsx')))}.xlsx"
    wb.save(path)
    return path
