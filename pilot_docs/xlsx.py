"""Open an untrusted .xlsx safely: check what the file is and how far it inflates before openpyxl parses it."""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook

from .errors import Location, SourceError


@dataclass(frozen=True)
class Limits:
    """Sizes past which a workbook is refused before it is parsed."""

    file_bytes: int = 50 * 1024 * 1024  # the .xlsx file itself
    part_bytes: int = 40 * 1024 * 1024  # one inflated part (a sheet's XML)
    total_bytes: int = 80 * 1024 * 1024  # all parts inflated
    ratio: int = 200  # inflated / compressed for one large part: a zip bomb, not a spreadsheet
    rows: int = 100_000
    columns: int = 200


DEFAULT_LIMITS = Limits()

_MAGIC = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel .xls or a password-protected workbook; save it as .xlsx without a password"),
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
    try:
        head.decode("utf-8")
        return "a text file (CSV?); open it in Excel and save it as .xlsx"
    except UnicodeDecodeError:
        return "not a spreadsheet"


def check_package(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a file that is not an .xlsx package or that would inflate past the limits."""
    where = Location(display)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror or exc}", where) from exc
    if size > limits.file_bytes:
        raise SourceError(f"file is {size / 2**20:.0f} MB, more than the limit of {limits.file_bytes / 2**20:.0f} MB", where)
    if not head.startswith(b"PK"):
        raise SourceError(f"not an .xlsx workbook: it is {describe_non_xlsx(head)}", where)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SourceError(f"not a readable .xlsx workbook (damaged or truncated zip: {exc})", where) from exc
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        kind = "a Word document" if any(n.startswith("word/") for n in names) else "a zip archive"
        raise SourceError(f"not an .xlsx workbook: it is {kind}", where)
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.part_bytes or (info.file_size > 10 * 2**20 and ratio > limits.ratio):
            raise SourceError(
                f"part {info.filename} inflates to {info.file_size / 2**20:.0f} MB "
                f"(compressed {info.compress_size / 2**10:.0f} KB): refused as a possible zip bomb",
                where,
            )
        if info.filename.endswith((".xml", ".rels", ".vml")) and info.file_size:
            _refuse_dtd(path, info, where)
    if total > limits.total_bytes:
        raise SourceError(
            f"workbook inflates to {total / 2**20:.0f} MB, more than the limit of {limits.total_bytes / 2**20:.0f} MB",
            where,
        )


def _refuse_dtd(path: Path, info: zipfile.ZipInfo, where: Location) -> None:
    """An XML part that declares a DTD or entities is refused: spreadsheets never need one."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(info) as part:
            head = part.read(4096)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise SourceError(f"part {info.filename} is damaged ({exc})", where) from exc
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise SourceError(f"part {info.filename} declares XML entities or a DTD: refused as a possible entity bomb",
                          where)


def open_workbook(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> Workbook:
    """The workbook at path, opened with cached formula values and XML read through defusedxml."""
    check_package(path, display, limits)
    if not openpyxl.DEFUSEDXML:  # openpyxl picks defusedxml up by itself when it is installed
        raise SourceError("defusedxml is not active in openpyxl (OPENPYXL_DEFUSEDXML=False?): refusing to parse")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation, styles, etc.
            return openpyxl.load_workbook(path, data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        causes = [exc]
        while causes[-1].__cause__ is not None or causes[-1].__context__ is not None:
            causes.append(causes[-1].__cause__ or causes[-1].__context__)
        names = " ".join(type(c).__name__ for c in causes)
        if "Entities" in names or "DTD" in names or "ExternalReference" in names:
            reason = "it declares XML entities or a DTD (possible entity bomb)"
        else:
            inner = causes[-1]
            first_line = (str(inner).strip().splitlines() or [""])[0]
            reason = f"damaged or not made by a spreadsheet program ({type(inner).__name__}: {first_line})"
        raise SourceError(f"cannot read the workbook: {reason}", Location(display)) from exc
