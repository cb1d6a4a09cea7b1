"""A worksheet as a grid of plain values, with merged ranges filled in and every cell's address kept."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import Location, SourceError, quote
from .xlsx import DEFAULT_LIMITS, Limits

# Characters no document format can carry: C0 controls but tab and line breaks, lone surrogates (from
# openpyxl's _xD800_ escapes) and the non-characters U+FFFE and U+FFFF. They are dropped on reading.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


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


_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\x85": "\n", "\x0b": "\n", "\x0c": "\n"})


def writable(text: str) -> str:
    """Text without the characters that no document format can carry (see _UNWRITABLE); the other ways of
    breaking a line (U+2028 from a web page, a vertical tab from Word) become line breaks."""
    return _UNWRITABLE.sub("", text.translate(_BREAKS))


def sheet_values(sheet: Worksheet) -> dict[tuple[int, int], object]:
    """The (row, col) → value of every cell that holds something usable, without touching the empty ones.

    openpyxl's own iteration creates a cell for every address of the used range, which a single stray cell at
    XFD1048576 makes billions; its dictionary of the cells it read is what holds the data. Strings come back
    without unwritable characters; Excel errors (#REF!) are left out (see `unusable_cells`)."""
    values: dict[tuple[int, int], object] = {}
    for key, cell in sorted(getattr(sheet, "_cells", {}).items()):
        value = getattr(cell, "value", None)
        if value is not None and getattr(cell, "data_type", None) != "e":
            values[key] = writable(value) if isinstance(value, str) else value
    return values


def unusable_cells(sheet: Worksheet, uncached: Collection[str] = ()) -> dict[tuple[int, int], str]:
    """Why a cell's value cannot be used, by (row, col): an Excel error such as #REF!, or a formula whose value
    the file does not store (`uncached`, found by xlsx.open_source)."""
    found: dict[tuple[int, int], str] = {}
    for key, cell in getattr(sheet, "_cells", {}).items():
        if getattr(cell, "data_type", None) == "e" and cell.value is not None:
            found[key] = f"the cell shows the Excel error {quote(cell.value, 20)}; correct its formula"
    for coordinate in uncached:
        found[coordinate_to_tuple(coordinate)] = ("the cell holds a formula whose value the file does not store; "
                                                  "open the workbook in Excel or LibreOffice and save it again")
    return dict(sorted(found.items()))


class Grid:
    """The used range of a worksheet as rows of Cells (1-based rows and columns, like Excel).

    `unreadable` maps (row, col) to why a cell's value cannot be used: a formula whose value the file does not
    store, or an Excel error such as #REF!. The reader refuses such cells where it reads them.
    """

    def __init__(self, sheet: Worksheet, file: str, uncached: Collection[str] = (),
                 limits: Limits = DEFAULT_LIMITS) -> None:
        self.file = file
        self.name = sheet.title
        self.unreadable = unusable_cells(sheet, uncached)
        values = sheet_values(sheet)
        for (r, c), value in values.items():
            if isinstance(value, str) and len(value) > limits.cell_chars:
                raise SourceError(too_long(value, limits), self.location(r, c))
            self._check_bounds(r, c, limits)
        self._cells: dict[tuple[int, int], Cell] = {k: Cell(v, k[0], k[1]) for k, v in values.items()}
        for rng in sheet.merged_cells.ranges:
            top, left = rng.min_row, rng.min_col
            value = values.get((top, left))
            for r in range(rng.min_row, min(rng.max_row, limits.rows) + 1):
                for c in range(rng.min_col, min(rng.max_col, limits.columns) + 1):
                    self._cells[(r, c)] = Cell(value, r, c, merged=(r, c) != (top, left), origin=(top, left))
        self.max_row = max((r for r, _ in self._cells), default=0)
        self.max_col = max((c for _, c in self._cells), default=0)
        self._columns: dict[int, list[int]] = {}
        for r, c in sorted(self._cells):
            self._columns.setdefault(r, []).append(c)

    def _check_bounds(self, r: int, c: int, limits: Limits) -> None:
        if r > limits.rows:
            raise SourceError(f"the sheet has a value in row {r:,}, past the limit of {limits.rows:,} rows",
                              self.location(r, c))
        if c > limits.columns:
            raise SourceError(f"the sheet has a value in column {get_column_letter(c)} ({c:,}), past the limit "
                              f"of {limits.columns:,} columns", self.location(r, c))

    def cell(self, row: int, col: int) -> Cell:
        """The cell at (row, col); blank when nothing is there."""
        return self._cells.get((row, col)) or Cell(None, row, col)

    def row(self, row: int) -> list[Cell]:
        """The cells of one row, columns 1..max_col."""
        return [self.cell(row, c) for c in range(1, self.max_col + 1)]

    def first_text(self, row: int) -> str:
        """The text of the first cell of a row that has any."""
        return next((t for c in self._columns.get(row, []) if (t := self._cells[(row, c)].text)), "")

    def location(self, row: int, col: int) -> Location:
        """The location of a cell, for messages."""
        return Location(self.file, self.name, f"{get_column_letter(col)}{row}")


def too_long(text: str, limits: Limits) -> str:
    """The message for a cell whose text is past the limit."""
    return f"the cell holds {len(text):,} characters, more than the limit of {limits.cell_chars:,} (Excel's own)"
