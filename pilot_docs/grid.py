"""A worksheet as a grid of plain values, with merged ranges filled in and every cell's address kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .errors import Location


@dataclass(frozen=True)
class Cell:
    """One cell's value; `merged` says it was filled from the top-left cell of a merged range."""

    value: object
    row: int
    col: int
    merged: bool = False
    origin: tuple[int, int] | None = None  # (row, col) of the merged range's top-left cell

    @property
    def coordinate(self) -> str:
        """The cell's address, e.g. D7."""
        return f"{get_column_letter(self.col)}{self.row}"

    @property
    def text(self) -> str:
        """The value as text with whitespace runs collapsed (line breaks kept as \\n)."""
        return clean_text(self.value)

    @property
    def blank(self) -> bool:
        """True for an empty cell or one holding only whitespace."""
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


def clean_text(value: object) -> str:
    """Cell text with spaces collapsed on each line, blank lines dropped and line breaks kept."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


class Grid:
    """The used range of a worksheet as rows of Cells (1-based rows and columns, like Excel)."""

    def __init__(self, sheet: Worksheet, file: str) -> None:
        self.file = file
        self.name = sheet.title
        self.max_row = sheet.max_row
        self.max_col = sheet.max_column
        values: dict[tuple[int, int], object] = {}
        for row in sheet.iter_rows(min_row=1, max_row=self.max_row, max_col=self.max_col):
            for cell in row:
                if cell.value is not None:
                    values[(cell.row, cell.column)] = cell.value
        self._cells: dict[tuple[int, int], Cell] = {k: Cell(v, k[0], k[1]) for k, v in values.items()}
        for rng in sheet.merged_cells.ranges:
            top, left = rng.min_row, rng.min_col
            value = values.get((top, left))
            for r in range(rng.min_row, min(rng.max_row, self.max_row) + 1):
                for c in range(rng.min_col, min(rng.max_col, self.max_col) + 1):
                    self._cells[(r, c)] = Cell(value, r, c, merged=(r, c) != (top, left), origin=(top, left))

    def cell(self, row: int, col: int) -> Cell:
        """The cell at (row, col); blank when nothing is there."""
        return self._cells.get((row, col)) or Cell(None, row, col)

    def row(self, row: int) -> list[Cell]:
        """The cells of one row, columns 1..max_col."""
        return [self.cell(row, c) for c in range(1, self.max_col + 1)]

    def location(self, row: int, col: int) -> Location:
        """The location of a cell, for messages."""
        return Location(self.file, self.name, f"{get_column_letter(col)}{row}")
