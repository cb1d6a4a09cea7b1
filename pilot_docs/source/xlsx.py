"""Open an untrusted .xlsx safely: check what the file is and how far it inflates before openpyxl parses it.

A workbook comes from another office, typed by hand, sometimes damaged, occasionally hostile. Before openpyxl
sees it, `check_package` makes sure that it is a zip of Office XML, that no part inflates too far, that no part
declares a DTD or entities, and that openpyxl would not build more objects than a real table needs (openpyxl
makes one object per cell of a merged or hyperlinked range, so a ten-byte range such as A1:XFD1048576 would
never finish). Every limit is in `Limits`; every refusal is one line naming the file, and the sheet and cell
when there is one.
"""

from __future__ import annotations

import html
import posixpath
import re
import stat
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook

from ..errors import Location, SourceError, quote

MB = 2**20


@dataclass(frozen=True)
class Limits:
    """Sizes past which a workbook is refused: before it is parsed (sizes, parts, elements, cells) or after
    (rows, columns, the text of one cell, work items)."""

    file_bytes: int = 50 * MB  # the .xlsx file itself
    part_bytes: int = 40 * MB  # one inflated part (a sheet's XML)
    total_bytes: int = 80 * MB  # all parts inflated
    ratio: int = 200  # inflated / compressed for one large part: a zip bomb, not a spreadsheet
    parts: int = 1_000  # files in the zip; a workbook has a few dozen
    elements: int = 200_000  # XML elements of one part, outside a sheet's cells and the shared strings
    markup: int = 2_000_000  # XML elements of all parts together
    cells: int = 250_000  # cells of all sheets, merged and hyperlinked ranges included
    rows: int = 50_000  # the last row that holds a value, in any sheet
    columns: int = 1_000  # the last column that holds a value, in any sheet
    cell_chars: int = 32_767  # the text of one cell: Excel's own limit
    items: int = 20_000  # work items in the table


DEFAULT_LIMITS = Limits()

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = ("a password-protected workbook; remove the password in Excel (File > Info > Protect Workbook > "
              "Encrypt with Password, clear it) and save it again")
_OLE_STREAMS = [  # stream names in an OLE2 (CFB) directory, UTF-16LE, and what they make the file
    ("EncryptedPackage", _ENCRYPTED),
    ("EncryptionInfo", _ENCRYPTED),
    ("Workbook", "an old Excel 97-2003 .xls workbook; open it in Excel and save it as Excel Workbook (.xlsx)"),
    ("Book", "an old Excel 5.0/95 .xls workbook; open it in Excel and save it as Excel Workbook (.xlsx)"),
    ("WordDocument", "an old Word .doc document"),
    ("PowerPoint Document", "an old PowerPoint .ppt presentation"),
]
_OFFICE_97 = ("an old Excel .xls or a password-protected workbook (an Office 97-2003 file); save it as .xlsx "
              "without a password")
_MAGIC = [
    (OLE2, _OFFICE_97),
    (b"%PDF", "a PDF document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
]


def describe_non_xlsx(head: bytes) -> str:
    """What a file that is not an .xlsx seems to be, from its first bytes."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<table")):
        return "an HTML page (some systems export 'Excel' files as HTML); open it in Excel and save it as .xlsx"
    if stripped.startswith(b"<?xml"):
        return "an XML file (perhaps an Excel 2003 XML workbook); save it as .xlsx"
    if not head:
        return "an empty file"
    if not head.strip(b"\0"):
        return "a file of zero bytes only (perhaps not completely copied)"
    if _looks_like_text(head):
        return "a text file (CSV?); open it in Excel and save it as .xlsx"
    return "not a spreadsheet"


def _looks_like_text(head: bytes) -> bool:
    """True for the start of a text file in UTF-8 or GB18030 (what Chinese systems export CSV in)."""
    for encoding in ("utf-8", "gb18030"):
        for cut in range(4):  # the head may end inside a character
            try:
                text = head[: len(head) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
            return all(ch.isprintable() or ch in "\t\r\n" for ch in text)
    return False


def describe_ole2(data: bytes) -> str:
    """What an OLE2 (Compound File) is, from the stream names in its directory."""
    for name, what in _OLE_STREAMS:
        if name.encode("utf-16-le") + b"\0\0" in data:
            return what
    return _OFFICE_97


# What the scan looks for in the XML parts. A namespace prefix (x:c) is allowed wherever XML allows one.
_P = rb"<(?:[A-Za-z_][\w.-]*:)?"
_CELL = re.compile(_P + rb"c[\s/>]")
_ROW = re.compile(_P + rb"row[\s/>]")
_FORMULA = re.compile(_P + rb"f[\s/>]")
_SHEET_DATA = re.compile(_P + rb"sheetData[\s/>]")
_SHEET_DATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>")
_SHARED_STRINGS = re.compile(_P + rb"sst[\s/>]")
_RANGES = re.compile(_P + rb"""(mergeCell|hyperlink)\b((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_REF = re.compile(rb"""\bref\s*=\s*(["'])(.*?)\1""", re.DOTALL)
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_ASCII_SUPERSETS = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin1", "latin-1", "windows-1252",
                    "cp1252"}


@dataclass
class PackageScan:
    """What `check_package` counted in the XML parts."""

    elements: int = 0  # start tags in all parts
    cells: int = 0  # cells of all sheets, merged and hyperlinked ranges included
    formulas: bool = False  # a sheet holds at least one formula (its saved value must then be checked)
    macros: bool = False  # the package carries a VBA project (an .xlsm, or an .xlsx renamed from one)


def check_package(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> PackageScan:
    """Refuse a file that is not an .xlsx package, that would inflate past the limits, that declares XML
    entities, or that would make openpyxl build more cells or elements than the limits allow."""
    where = Location(display)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
            raise SourceError("not a regular file", where)
        size = info.st_size
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror or exc}", where) from exc
    if size > limits.file_bytes:
        raise SourceError(f"file is {size / MB:.0f} MB, more than the limit of {limits.file_bytes / MB:.0f} MB",
                          where)
    if head.startswith(OLE2):
        if path.suffix.lower() == ".et":
            raise SourceError(f"not an .xlsx workbook: it is {_WPS_ET}", where)
        raise SourceError(f"not an .xlsx workbook: it is {describe_ole2(path.read_bytes())}", where)
    if not head.startswith(b"PK"):
        raise SourceError(f"not an .xlsx workbook: it is {describe_non_xlsx(head)}", where)
    declared = _declared_entries(path, size)
    if declared > limits.parts:  # before zipfile makes an object of each
        raise SourceError(f"the package holds {declared:,} files, more than the limit of {limits.parts:,}", where)
    try:
        with _zip(path, where) as archive:
            infos = archive.infolist()
            if len(infos) > limits.parts:
                raise SourceError(f"the package holds {len(infos):,} files, more than the limit of "
                                  f"{limits.parts:,}", where)
            names = {info.filename for info in infos}
            other = _other_package(archive, names)
            if other:
                raise SourceError(f"not an .xlsx workbook: it is {other}", where)
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                kind = "a Word document" if any(n.startswith("word/") for n in names) else (
                    "a PowerPoint presentation" if any(n.startswith("ppt/") for n in names) else "a zip archive")
                raise SourceError(f"not an .xlsx workbook: it is {kind}", where)
            _check_sizes(infos, where, limits)
            scanner = _Scanner(archive, display, limits)
            for info in infos:
                if info.file_size > 0:
                    scanner.scan(info)
            scanner.totals.macros = any(n.lower().endswith("vbaproject.bin") for n in names) or \
                b"macroEnabled" in _read_part(archive, archive.getinfo("[Content_Types].xml"), where)
            if _STRICT in _read_part(archive, archive.getinfo(_workbook_part(archive, names)), where)[:4096]:
                raise SourceError("not an .xlsx workbook: it is a Strict Open XML workbook, which pilot-docs cannot "
                                  "read; in Excel save it as 'Excel Workbook (.xlsx)', not 'Strict Open XML "
                                  "Spreadsheet'", where)
            return scanner.totals
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror or exc}", where) from exc


_SAVE_AS = "open it in Excel or WPS and save it as Excel Workbook (.xlsx)"
_WPS_ET = "a WPS spreadsheet (.et); in WPS choose 文件 → 另存为 → Excel 工作簿 (*.xlsx)"
_STRICT = b"purl.oclc.org/ooxml/spreadsheetml"


def _other_package(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """What a zip package that is a spreadsheet but not an .xlsx is: OpenDocument, Apple Numbers, WPS."""
    if "mimetype" in names:
        info = archive.getinfo("mimetype")
        kind = archive.read(info)[:100] if info.file_size <= 100 else b""
        if kind.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            return ("an OpenDocument spreadsheet (.ods, as LibreOffice saves by default); in LibreOffice choose "
                    f"File → Save As → Excel 2007-365 (.xlsx), or {_SAVE_AS}")
        if kind.startswith(b"application/vnd.oasis.opendocument"):
            return "an OpenDocument file, not a spreadsheet"
    if any(n.startswith("Index/") and n.endswith(".iwa") for n in names) or "Index.zip" in names:
        return "an Apple Numbers document (.numbers); in Numbers choose File → Export To → Excel… (.xlsx)"
    return None


def _workbook_part(archive: zipfile.ZipFile, names: set[str]) -> str:
    """The name of the workbook part (xl/workbook.xml in every file Excel writes)."""
    if "xl/workbook.xml" in names:
        return "xl/workbook.xml"
    return next((n for n in sorted(names) if n.startswith("xl/") and n.endswith("workbook.xml")), "[Content_Types].xml")


def _declared_entries(path: Path, size: int) -> int:
    """How many files the zip's end record says it holds (0 when it cannot be found: zipfile will say why)."""
    with path.open("rb") as fh:
        fh.seek(max(0, size - 65_557))  # the end record (22 bytes) and a comment of up to 64 KB
        tail = fh.read()
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or len(tail) < end + 22:
            return 0
        count = int.from_bytes(tail[end + 10:end + 12], "little")
        locator = tail.rfind(b"PK\x06\x07", 0, end)
        if count == 0xFFFF and locator >= 0 and len(tail) >= locator + 20:  # zip64: the count is elsewhere
            fh.seek(int.from_bytes(tail[locator + 8:locator + 16], "little"))
            record = fh.read(56)
            if record.startswith(b"PK\x06\x06") and len(record) == 56:
                count = int.from_bytes(record[32:40], "little")
        return count


def _zip(path: Path, where: Location) -> zipfile.ZipFile:
    """The file opened as a zip; a damaged or truncated one is refused."""
    try:
        return zipfile.ZipFile(path)
    except Exception as exc:  # zipfile raises many kinds on a damaged central directory
        raise SourceError(f"not a readable .xlsx workbook (damaged or truncated zip: {_first_line(exc)})",
                          where) from exc


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: Location) -> bytes:
    """One part inflated; a damaged, encrypted or oddly compressed one is refused."""
    try:
        return archive.read(info)
    except Exception as exc:  # zlib.error, BadZipFile (CRC), NotImplementedError, RuntimeError (encrypted), ...
        raise SourceError(f"part {info.filename} is damaged ({type(exc).__name__}: {_first_line(exc)})",
                          where) from exc


def _check_sizes(infos: list[zipfile.ZipInfo], where: Location, limits: Limits) -> None:
    """Refuse parts that inflate past the limits, from the sizes the zip declares (zipfile never inflates a
    part past its declared size, so these are upper bounds)."""
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.part_bytes or (info.file_size > 10 * MB and ratio > limits.ratio):
            raise SourceError(
                f"part {info.filename} inflates to {info.file_size / MB:.0f} MB "
                f"(compressed {info.compress_size / 2**10:.0f} KB): refused as a possible zip bomb",
                where,
            )
    if total > limits.total_bytes:
        raise SourceError(
            f"workbook inflates to {total / MB:.0f} MB, more than the limit of {limits.total_bytes / MB:.0f} MB",
            where,
        )


class _Scanner:
    """Reads the parts one at a time, counting what openpyxl would build, and refuses as soon as a limit is
    passed. Counting stops at the limit, so a part full of cells costs no more than a part at the limit."""

    def __init__(self, archive: zipfile.ZipFile, display: str, limits: Limits) -> None:
        self.archive = archive
        self.display = display
        self.limits = limits
        self.totals = PackageScan()
        self._names: dict[str, str] | None = None

    def scan(self, info: zipfile.ZipInfo) -> None:
        """Check one part: skipped unless it is XML (images and the like are left to openpyxl)."""
        data = _as_utf8(_read_part(self.archive, info, Location(self.display)), info.filename,
                        Location(self.display))
        if data is None:
            return
        if _DTD.search(data):
            raise SourceError(f"part {info.filename} declares XML entities or a DTD: refused as a possible "
                              "entity bomb", Location(self.display))
        limits, totals = self.limits, self.totals
        elements = _elements(data, 0, len(data))
        totals.elements += elements
        if totals.elements > limits.markup:
            raise SourceError(f"the workbook's XML has more than {limits.markup:,} elements (at part "
                              f"{info.filename}): too complex to be a task table", Location(self.display))
        outside = elements
        start = _SHEET_DATA.search(data)
        if start is not None:
            ends = list(_SHEET_DATA_END.finditer(data, start.end()))
            stop = ends[-1].start() if ends else len(data)
            outside -= _elements(data, start.end(), stop)
            rows = _count(_ROW, data, start.end(), stop, limits.rows)
            if rows > limits.rows:
                raise SourceError(f"the sheet has more than {limits.rows:,} rows (the limit)",
                                  self._where(info.filename))
            cells = _count(_CELL, data, start.end(), stop, limits.cells - totals.cells)
            totals.cells += cells
            if totals.cells > limits.cells:
                raise SourceError(f"the sheet takes the workbook past the limit of {limits.cells:,} cells",
                                  self._where(info.filename))
            totals.formulas = totals.formulas or _FORMULA.search(data, start.end(), stop) is not None
        elif _SHARED_STRINGS.search(data):
            outside = 0  # one string per cell at most matters; the markup limit bounds them
        if outside > limits.elements:
            what = "the sheet" if start is not None else f"part {info.filename}"
            raise SourceError(f"{what} has {outside:,} XML elements besides its cells, more than the limit of "
                              f"{limits.elements:,}", self._where(info.filename) if start is not None
                              else Location(self.display))
        for m in _RANGES.finditer(data):
            ref = _REF.search(m.group(2))
            if ref is None:
                continue
            text = html.unescape(ref.group(2).decode("utf-8", "replace"))
            covered = _range_cells(text)
            totals.cells += covered
            if totals.cells > limits.cells:
                kind = "merged range" if m.group(1) == b"mergeCell" else "hyperlinked range"
                first = text.split(":")[0].strip().replace("$", "")
                where = self._where(info.filename)
                if where.sheet is not None and re.fullmatch(r"[A-Za-z]{1,3}[0-9]{1,7}", first):
                    where = Location(where.file, where.sheet, first.upper())
                raise SourceError(f"{kind} {quote(text, 30)} covers {covered:,} cells: more than the limit of "
                                  f"{limits.cells:,} cells in the workbook", where)

    def _where(self, part: str) -> Location:
        """The location of a sheet's part, by the sheet's name when the workbook says it."""
        if self._names is None:
            self._names = _sheet_names(self.archive)
        return Location(self.display, self._names.get(part, part))


def _as_utf8(data: bytes, name: str, where: Location) -> bytes | None:
    """An XML part's bytes as UTF-8 (the scan looks for ASCII markup); None when the part is not XML."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
        if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
            raise SourceError(f"part {name} is in UTF-32: not made by a spreadsheet program", where)
        codec = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else (
            "utf-16-le" if data[0] == 0x3C else "utf-16-be")
        try:
            data = data.decode(codec).encode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(f"part {name} is damaged (bad UTF-16)", where) from exc
    elif not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        if name.lower().endswith((".xml", ".rels", ".vml")) or data.startswith(b"\x4c\x6f\xa7\x94"):
            raise SourceError(f"part {name} is not XML (damaged, or in an encoding such as EBCDIC)", where)
        return None  # an image or another binary part: openpyxl does not parse it as XML
    declared = _ENCODING.match(data.lstrip(b"\xef\xbb\xbf"))
    if declared is not None:
        encoding = declared.group(1).decode("ascii", "replace").strip().lower()
        if encoding not in _ASCII_SUPERSETS and not encoding.startswith("utf-16"):
            raise SourceError(f"part {name} is in the encoding {quote(encoding, 20)}: not made by a spreadsheet "
                              "program (Excel writes UTF-8)", where)
    return data


def _elements(data: bytes, start: int, stop: int) -> int:
    """Start tags between two offsets (end tags, declarations and comments not counted)."""
    return (data.count(b"<", start, stop) - data.count(b"</", start, stop) - data.count(b"<?", start, stop)
            - data.count(b"<!", start, stop))


def _count(pattern: re.Pattern[bytes], data: bytes, start: int, stop: int, budget: int) -> int:
    """Matches of a pattern between two offsets, counting no further than one past the budget."""
    n = 0
    for _ in pattern.finditer(data, start, stop):
        n += 1
        if n > budget:
            break
    return n


def _range_cells(ref: str) -> int:
    """How many cells openpyxl would make for a merged or hyperlinked range (whole rows or columns count in
    full); 1 for a single cell or a reference it cannot read."""
    if ":" not in ref:
        return 1
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref.strip())
    except (ValueError, TypeError):
        return 1
    rows = (max_row or 1_048_576) - (min_row or 1) + 1
    cols = (max_col or 16_384) - (min_col or 1) + 1
    return max(rows, 1) * max(cols, 1)


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet names by part name (xl/worksheets/sheet1.xml → 任务分解), for messages; {} when unreadable.

    defusedxml refuses entity declarations, so these small parts are safe to parse before they are scanned."""
    from defusedxml.ElementTree import fromstring

    try:
        book = "xl/workbook.xml"
        for rel in fromstring(archive.read("_rels/.rels")):
            if str(rel.get("Type", "")).endswith("/officeDocument"):
                book = rel.get("Target", book).lstrip("/")
        rels_name = posixpath.join(posixpath.dirname(book), "_rels", posixpath.basename(book) + ".rels")
        targets = {}
        for rel in fromstring(archive.read(rels_name)):
            target = rel.get("Target", "")
            targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(posixpath.dirname(book), target))
        names = {}
        for element in fromstring(archive.read(book)).iter():
            if element.tag.rsplit("}", 1)[-1] == "sheet":
                rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
                if rid in targets:
                    names[targets[rid]] = element.get("name", "")
        return names
    except Exception:  # noqa: BLE001 - names only improve messages; openpyxl reports a damaged workbook itself
        return {}


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


@dataclass
class SourceBook:
    """A workbook opened safely, with the cells whose formula has no saved value, by sheet."""

    workbook: Workbook
    uncached: dict[str, set[str]] = field(default_factory=dict)
    macros: bool = False  # an .xlsm: a workbook carrying a VBA project (refused as a return form)


def open_source(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> SourceBook:
    """The workbook at path with cached formula values, and the formula cells that have none.

    A file saved by Excel or LibreOffice stores the value of every formula; one written by another program
    may not, and then openpyxl reads the cell as empty: such cells are listed, so that the reader refuses them
    rather than read them as blank.
    """
    scan = check_package(path, display, limits)
    workbook = _load(path, display, data_only=True)
    uncached = _uncached(workbook, _load(path, display, data_only=False)) if scan.formulas else {}
    return SourceBook(workbook, uncached, scan.macros)


def open_workbook(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> Workbook:
    """The workbook at path, opened with cached formula values and XML read through defusedxml."""
    return open_source(path, display, limits).workbook


def _load(path: Path, display: str, data_only: bool) -> Workbook:
    if not openpyxl.DEFUSEDXML:  # openpyxl picks defusedxml up by itself when it is installed
        raise SourceError("defusedxml is not active in openpyxl (OPENPYXL_DEFUSEDXML=False?): refusing to parse")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation, styles, etc.
            return openpyxl.load_workbook(path, data_only=data_only, read_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        causes = [exc]
        while (causes[-1].__cause__ is not None or causes[-1].__context__ is not None) and len(causes) < 20:
            causes.append(causes[-1].__cause__ or causes[-1].__context__)
        names = " ".join(type(c).__name__ for c in causes)
        if "Entities" in names or "DTD" in names or "ExternalReference" in names:
            reason = "it declares XML entities or a DTD (possible entity bomb)"
        else:
            inner = causes[-1]
            reason = f"damaged or not made by a spreadsheet program ({type(inner).__name__}: {_first_line(inner)})"
        raise SourceError(f"cannot read the workbook: {quote(reason, 200)[1:-1]}", Location(display)) from exc


def _uncached(values: Workbook, formulas: Workbook) -> dict[str, set[str]]:
    """The cells, by sheet, that hold a formula whose value the file does not store."""
    found: dict[str, set[str]] = {}
    for sheet in formulas.worksheets:
        if sheet.title not in values.sheetnames:
            continue
        cached = values[sheet.title]._cells  # openpyxl keeps the cells it read in this dict
        for (row, col), cell in sheet._cells.items():
            if getattr(cell, "data_type", None) == "f":
                other = cached.get((row, col))
                if other is None or other.value is None:
                    found.setdefault(sheet.title, set()).add(f"{get_column_letter(col)}{row}")
    return found
