"""Make the corpus of bad and awkward inputs under tests/corpus/, deterministically (same bytes every run).

    .venv/bin/python tests/corpus/make_corpus.py          # rewrite the stored files and README.md

The stored files are small. The big ones (a zip bomb, 5,000 items, a 100,000-character cell, a sheet of
300,000 cells) are made at test time by the `big_*` functions into a temporary folder. tests/test_corpus.py
checks that the stored files are what this script makes, and what pilot-docs does with each of them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent.parent))

from openpyxl import Workbook, load_workbook

from pilot_docs.build.ziputil import normalize_zip
from tests.helpers import workbook_of

WHEN = dt.datetime(2009, 5, 20)  # every generated package carries this date, so the bytes never change
HEADER = ["序号", "工作任务", "工作内容", "责任单位", "完成时间"]
TITLE = "2009年安全生产工作任务分解表"
REGISTRY = [
    ["简称", "全称", "别名", "电子邮箱", "联系人"],
    ["市安监局", "江门市安全生产监督管理局", "市安全监管局", "ajj@example.invalid", "张三"],
    ["市公安局", "江门市公安局", None, None, None],
    ["市财政局", "江门市财政局", None, None, None],
    ["蓬江区人民政府", "江门市蓬江区人民政府", None, None, None],
    ["江海区人民政府", "江门市江海区人民政府", None, None, None],
]
GROUPS = [["组名", "成员"], ["各区人民政府", "蓬江区人民政府"], [None, "江海区人民政府"]]
ROWS = [  # the good table: 3 tasks, 5 items; 序号 and 工作任务 merged over their items
    [1, "加强组织领导", "成立安全生产工作领导小组", "市安监局", "6月底前"],
    [None, None, "制定年度工作方案", "市安监局、市公安局", "上半年前"],
    [2, "强化隐患排查", "开展隐患排查治理", "各区人民政府", "10月底前"],
    [None, None, "落实专项经费保障", "市财政局", "年底前"],
    [3, "严格执法检查", "开展联合执法检查", "市公安局（牵头）、市安监局", "第三季度"],
]
MERGES = ["A1:E1", "A3:A4", "B3:B4", "A5:A6", "B5:B6"]
CONFIG = """[plan]
year = 2009
issuer = "江门市安全生产委员会"
issuer_mark = "江门市安全生产委员会文件"
office = "江门市安全生产委员会办公室"
doc_number = "江安委〔2009〕5号"
date = 2009-05-20
"""


@dataclass(frozen=True)
class Case:
    """One input of the corpus and what pilot-docs must do with it.

    kind says where the test puts it: `workbook` (the project's workbook), `form` (a returned form given to
    collect), `template` (templates/letter.html.j2), `config` (pilot-docs.toml), `ledger` (the progress
    ledger). `expected` is "accepted" or the first line of the refusal, with {wb} for the workbook's path.
    """

    file: str
    kind: str
    what: str
    expected: str


CASES: list[Case] = []


def case(file: str, kind: str, what: str, expected: str) -> Callable[[Callable[[], bytes]], Callable[[], bytes]]:
    """Register a stored input made by the decorated function."""
    def register(make: Callable[[], bytes]) -> Callable[[], bytes]:
        CASES.append(Case(file, kind, what, expected))
        MAKERS[file] = make
        return make
    return register


MAKERS: dict[str, Callable[[], bytes]] = {}

# ---------------------------------------------------------------- building blocks


def xlsx(sheets: dict[str, list[list[Any]]], merges: dict[str, list[str]] | None = None,
         tweak: Callable[[Workbook], None] | None = None) -> bytes:
    """A workbook of sheets of rows (None for a blank cell), as deterministic bytes."""
    wb = workbook_of(sheets, merges)
    if tweak is not None:
        tweak(wb)
    return save(wb)


def save(wb: Workbook) -> bytes:
    """A workbook's bytes with fixed dates and entry order."""
    wb.properties.created = wb.properties.modified = WHEN
    buffer = io.BytesIO()
    wb.save(buffer)
    return normalize_zip(buffer.getvalue(), WHEN)


def base_sheets(rows: list[list[Any]] | None = None, title: bool = True) -> dict[str, list[list[Any]]]:
    """The project's workbook: the table (with its title row), the registry and the groups."""
    table = ([[TITLE]] if title else []) + [HEADER] + (ROWS if rows is None else rows)
    return {"任务分解": table, "单位名录": REGISTRY, "单位分组": GROUPS}


def base(rows: list[list[Any]] | None = None, merges: list[str] | None = None) -> bytes:
    """The project's workbook, with other rows when given."""
    return xlsx(base_sheets(rows), {"任务分解": MERGES if merges is None else merges})


def patch(data: bytes, parts: dict[str, bytes | Callable[[bytes], bytes]]) -> bytes:
    """A package with some parts replaced (bytes) or rewritten (a function of the old bytes); fixed times."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = sorted(set(src.namelist()) | {n for n, v in parts.items() if isinstance(v, bytes)})
        for name in names:
            old = src.read(name) if name in src.namelist() else b""
            new = parts.get(name, old)
            content = new(old) if callable(new) else new
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, content)
    return out.getvalue()


def set_cell(ref: str, xml: str) -> Callable[[bytes], bytes]:
    """Rewrite one <c> element of a sheet's XML (the cell must exist)."""
    def rewrite(sheet: bytes) -> bytes:
        pattern = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.DOTALL)
        new, n = pattern.subn(xml.encode(), sheet, count=1)
        assert n == 1, ref
        return new
    return rewrite


def inline(ref: str, text: str) -> str:
    """A cell holding text inline (openpyxl would cut text past 32,767 characters)."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def before_end(tag: str, xml: str) -> Callable[[bytes], bytes]:
    """Insert XML after an element of a sheet (e.g. mergeCells after sheetData)."""
    def rewrite(sheet: bytes) -> bytes:
        end = f"</{tag}>".encode()
        assert end in sheet, tag
        return sheet.replace(end, end + xml.encode(), 1)
    return rewrite


SHEET1 = "xl/worksheets/sheet1.xml"


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 Compound File (version 3, 512-byte sectors) holding these streams at the root.

    Each stream is padded to at least 4096 bytes (its size says so) so that none lives in the mini stream;
    names must be given in the order CFB sorts them (shorter first), since they are chained as right siblings."""
    sector = 512
    free, end, fat_sect = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    blobs = [data.ljust(max(4096, -(-len(data) // sector) * sector), b"\0") for data in streams.values()]
    entries, fat, next_sector = [], [fat_sect, end], 2
    for n, (name, blob) in enumerate(zip(streams, blobs, strict=True)):
        count = len(blob) // sector
        fat += [next_sector + i + 1 for i in range(count - 1)] + [end]
        right = n + 2 if n + 1 < len(streams) else free
        entries.append(_dir_entry(name, 2, free, right, free, next_sector, len(blob)))
        next_sector += count
    root = _dir_entry("Root Entry", 5, free, free, 1, end, 0)
    directory = b"".join([root, *entries]).ljust(sector * -(-(len(entries) + 1) * 128 // sector), b"\0")
    assert len(directory) == sector, "the directory must fit in one sector"
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat).ljust(sector, b"\xff")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + b"\xff" * 4 * 108)
    assert len(header) == sector
    return header + fat_bytes + directory + b"".join(blobs)


def _dir_entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0"
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", left, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
            + struct.pack("<IQ", start, size))


def dense(n: int, seed: int) -> bytes:
    """n bytes that look random (for an encrypted package), always the same for a seed."""
    out, x = bytearray(), seed
    while len(out) < n:
        x = (x * 6364136223846793005 + 1442695040888963407) % 2**64
        out += x.to_bytes(8, "little")
    return bytes(out[:n])


# ---------------------------------------------------------------- the project every case is tried in


def project_files() -> dict[str, bytes]:
    """The good project the cases are swapped into: workbook and config."""
    return {"project/source/任务分解表.xlsx": base(), "project/pilot-docs.toml": CONFIG.encode()}


# ---------------------------------------------------------------- workbooks: not an .xlsx at all

WB = "workbooks/"


@case(WB + "empty.xlsx", "workbook", "a file of zero bytes", "{wb}: not an .xlsx workbook: it is an empty file")
def _() -> bytes:
    return b""


@case(WB + "csv-renamed.xlsx", "workbook", "a CSV export renamed .xlsx",
      "{wb}: not an .xlsx workbook: it is a text file (CSV?); open it in Excel and save it as .xlsx")
def _() -> bytes:
    return ("序号,工作任务,工作内容,责任单位,完成时间\n1,加强组织领导,成立领导小组,市安监局,6月底前\n").encode("gbk")


@case(WB + "html-export.xlsx", "workbook", "an 'Excel' export that is an HTML table",
      "{wb}: not an .xlsx workbook: it is an HTML page (some systems export 'Excel' files as HTML)")
def _() -> bytes:
    return "<html><body><table><tr><td>序号</td><td>工作任务</td></tr></table></body></html>".encode()


@case(WB + "pdf-renamed.xlsx", "workbook", "a PDF renamed .xlsx", "{wb}: not an .xlsx workbook: it is a PDF document")
def _() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@case(WB + "word-renamed.xlsx", "workbook", "a Word .docx renamed .xlsx",
      "{wb}: not an .xlsx workbook: it is a Word document")
def _() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in (("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")):
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text)
    return out.getvalue()


@case(WB + "truncated.xlsx", "workbook", "the good workbook cut in half (a copy that did not finish)",
      "{wb}: not a readable .xlsx workbook (damaged or truncated zip: File is not a zip file)")
def _() -> bytes:
    data = base()
    return data[: len(data) // 2]


@case(WB + "password.xlsx", "workbook", "a password-protected workbook: an OLE2 file with EncryptionInfo and "
      "EncryptedPackage streams", "{wb}: not an .xlsx workbook: it is a password-protected workbook; remove the "
      "password in Excel")
def _() -> bytes:
    descriptor = (  # agile encryption (version 4.4), as Excel 2010 and later write it; the values are made up
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns="http://schemas.'
        'microsoft.com/office/2006/encryption" xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/'
        'password"><keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
        'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
        '<dataIntegrity encryptedHmacKey="AAAAAAAAAAAAAAAAAAAAAA==" encryptedHmacValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
        '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
        '<p:encryptedKey spinCount="100000" saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
        'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
        'saltValue="AAAAAAAAAAAAAAAAAAAAAA==" encryptedVerifierHashInput="AAAAAAAAAAAAAAAAAAAAAA==" '
        'encryptedVerifierHashValue="AAAAAAAAAAAAAAAAAAAAAA==" encryptedKeyValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
        '</keyEncryptor></keyEncryptors></encryption>')
    info = struct.pack("<HHI", 4, 4, 0x40) + descriptor.encode().ljust(4088, b" ")  # spaces: still XML
    return cfb({"EncryptionInfo": info, "EncryptedPackage": struct.pack("<Q", 8000) + dense(8000, 7)})


@case(WB + "old-excel.xlsx", "workbook", "an Excel 97-2003 .xls (BIFF8 'Workbook' stream) renamed .xlsx",
      "{wb}: not an .xlsx workbook: it is an old Excel 97-2003 .xls workbook; open it in Excel and save it as "
      "Excel Workbook (.xlsx)")
def _() -> bytes:
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0)
    return cfb({"Workbook": bof + struct.pack("<HH", 0x000A, 0)})


# ---------------------------------------------------------------- workbooks: damaged or hostile packages


@case(WB + "entity-bomb.xlsx", "workbook", "billion laughs: a sheet that declares nested XML entities",
      "{wb}: part xl/worksheets/sheet1.xml declares XML entities or a DTD: refused as a possible entity bomb")
def _() -> bytes:
    entities = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + "]>"
    return patch(base(), {SHEET1: lambda s: s.replace(b"<worksheet", entities.encode() + b"<worksheet", 1)})


@case(WB + "entity-bomb-late.xlsx", "workbook", "entities declared after 20 KB of comment (past any look at the "
      "first bytes only)",
      "{wb}: part xl/worksheets/sheet1.xml declares XML entities or a DTD: refused as a possible entity bomb")
def _() -> bytes:
    late = b"<!--" + b" " * 20_000 + b'--><!DOCTYPE w [<!ENTITY x "x">]><worksheet'
    return patch(base(), {SHEET1: lambda s: s.replace(b"<worksheet", late, 1)})


@case(WB + "damaged-xml.xlsx", "workbook", "a sheet whose XML stops in the middle of an element",
      "{wb}: cannot read the workbook: damaged or not made by a spreadsheet program (ExpatError: no element found")
def _() -> bytes:
    return patch(base(), {SHEET1: b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                                  b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0'})


@case(WB + "bad-string-index.xlsx", "workbook", "a cell that points at shared string 99999 of a few dozen",
      "{wb}: cannot read the workbook: damaged or not made by a spreadsheet program (IndexError: ")
def _() -> bytes:
    return patch(base(), {SHEET1: set_cell("C3", '<c r="C3" t="s"><v>99999</v></c>')})


@case(WB + "merge-bomb.xlsx", "workbook", "a 40-byte merged range A1:XFD1048576 (openpyxl would make 17 billion "
      "cells)", "{wb}!任务分解!A1: merged range 'A1:XFD1048576' covers 17,179,869,184 cells: more than the limit "
      "of 250,000 cells in the workbook")
def _() -> bytes:
    return patch(base(), {SHEET1: lambda s: s.replace(b'<mergeCell ref="A1:E1"/>',
                                                      b'<mergeCell ref="A1:XFD1048576"/>', 1)})


@case(WB + "hyperlink-bomb.xlsx", "workbook", "a hyperlink over a whole column range, written with a character "
      "reference (&#58; for the colon)", "{wb}!任务分解!A1: hyperlinked range 'A1:Z1048576' covers 27,262,976 "
      "cells: more than the limit of 250,000 cells in the workbook")
def _() -> bytes:
    link = '<hyperlinks><hyperlink ref="A1&#58;Z1048576" display="x" location="任务分解!A1"/></hyperlinks>'
    return patch(base(), {SHEET1: before_end("mergeCells", link)})


@case(WB + "far-cell.xlsx", "workbook", "one stray value at XFD1048576, the last cell of a sheet",
      "{wb}!任务分解!XFD1048576: the sheet has a value in row 1,048,576, past the limit of 50,000 rows")
def _() -> bytes:
    return xlsx(base_sheets(), {"任务分解": MERGES}, lambda wb: wb["任务分解"].cell(1_048_576, 16_384, "x"))


@case(WB + "far-column.xlsx", "workbook", "a value in column ALM (1,001), past the column limit",
      "{wb}!任务分解!ALM3: the sheet has a value in column ALM (1,001), past the limit of 1,000 columns")
def _() -> bytes:
    return xlsx(base_sheets(), {"任务分解": MERGES}, lambda wb: wb["任务分解"].cell(3, 1001, "备注"))


@case(WB + "utf7-part.xlsx", "workbook", "a sheet declared in the UTF-7 encoding (its markup hidden from a "
      "byte scan)", "{wb}: part xl/worksheets/sheet1.xml is in the encoding 'utf-7': not made by a spreadsheet "
      "program (Excel writes UTF-8)")
def _() -> bytes:
    return patch(base(), {SHEET1: lambda s: s.replace(b'encoding="utf-8"', b'encoding="utf-7"', 1)
                          if b'encoding="utf-8"' in s else b'<?xml version="1.0" encoding="utf-7"?>' + s})


# ---------------------------------------------------------------- workbooks: cells that cannot be read


@case(WB + "formula-no-cache.xlsx", "workbook", "formulas written by a program that does not store their values",
      "{wb}!任务分解!C4: the cell holds a formula whose value the file does not store; open the workbook in "
      "Excel or LibreOffice and save it again")
def _() -> bytes:
    rows = [list(r) for r in ROWS]
    rows[1][2] = '="制定年度"&"工作方案"'
    return base(rows)


@case(WB + "formula-cached.xlsx", "workbook", "formulas with the values Excel stored (序号 =ROW()-2, a content "
      "built with &)", "accepted: the stored values are read (序号 1, content 成立安全生产工作领导小组)")
def _() -> bytes:
    return patch(base(), {SHEET1: lambda s: set_cell("C3", '<c r="C3" t="str"><f>"成立安全生产"&amp;"工作领导小组"</f>'
                                                          '<v>成立安全生产工作领导小组</v></c>')(
        set_cell("A3", '<c r="A3"><f>ROW()-2</f><v>1</v></c>')(s))})


@case(WB + "excel-error.xlsx", "workbook", "a unit cell whose formula shows #REF!",
      "{wb}!任务分解!D5: the cell shows the Excel error '#REF!'; correct its formula")
def _() -> bytes:
    return patch(base(), {SHEET1: set_cell("D5", '<c r="D5" t="e"><f>单位名录!#REF!</f><v>#REF!</v></c>')})


@case(WB + "long-cell.xlsx", "workbook", "a content cell of 40,000 characters (Excel stops at 32,767)",
      "{wb}!任务分解!C4: the cell holds 40,000 characters, more than the limit of 32,767 (Excel's own)")
def _() -> bytes:  # openpyxl cuts what it writes at 32,767 characters: the cell is written as XML
    return patch(base(), {SHEET1: set_cell("C4", inline("C4", "加强" * 20_000))})


# ---------------------------------------------------------------- workbooks: mistakes in the table


@case(WB + "no-header.xlsx", "workbook", "a table without a header row",
      "{wb}!任务分解!A1: no header row found: expected columns such as 序号 | 工作任务 | 工作内容 | 责任单位 | 完成时间")
def _() -> bytes:
    return xlsx({"任务分解": ROWS})


@case(WB + "missing-column.xlsx", "workbook", "a header without a 责任单位 column (so not taken for a header)",
      "{wb}!任务分解!A2: no header row found: expected columns such as 序号 | 工作任务 | 工作内容 | 责任单位 | 完成时间 "
      "in the first rows of a sheet; the most header-like row is row 2")
def _() -> bytes:
    rows = [[r[0], r[1], r[2], None, r[4]] for r in ROWS]
    return xlsx({"任务分解": [[TITLE], ["序号", "工作任务", "工作内容", "备注", "完成时间"], *rows]})


@case(WB + "duplicate-numbers.xlsx", "workbook", "序号 2 used for two different tasks",
      "{wb}!任务分解!A7: 序号 2 is already used for task '强化隐患排查' (at A5)")
def _() -> bytes:
    rows = [list(r) for r in ROWS]
    rows[4][0] = 2
    return base(rows)


@case(WB + "missing-cells.xlsx", "workbook", "an item without content and one without a unit",
      "{wb}!任务分解!C4: work item has no content (工作内容)")
def _() -> bytes:
    rows = [list(r) for r in ROWS]
    rows[1][2] = None
    rows[3][3] = None
    return base(rows)


@case(WB + "unknown-agency.xlsx", "workbook", "a unit the registry does not know (a typo)",
      "{wb}!任务分解!D5: unknown unit '市安检局' (did you mean 市安监局?)")
def _() -> bytes:
    rows = [list(r) for r in ROWS]
    rows[2][3] = "市安检局"
    return base(rows)


@case(WB + "bad-number.xlsx", "workbook", "a 序号 that is not a number (十十, which once crashed the reader)",
      "{wb}!任务分解!A5: 序号 '十十' is not a number")
def _() -> bytes:
    rows = [list(r) for r in ROWS]
    rows[2][0] = "十十"
    return base(rows)


@case(WB + "no-year.xlsx", "workbook", "deadlines such as 10月底前 and no year anywhere (no title, no config)",
      "{wb}!任务分解!E2: deadline '6月底前' needs the plan's year")
def _() -> bytes:
    return xlsx({"任务分解": [HEADER, *ROWS]})


# ---------------------------------------------------------------- workbooks: awkward but right


@case(WB + "excel-dates.xlsx", "workbook", "deadlines typed as Excel dates, and one as 2009/9/30 text",
      "accepted: deadlines 2009-06-30 (a date cell), 2009-09-30 (text)")
def _() -> bytes:
    def dates(wb: Workbook) -> None:
        ws = wb.active
        ws["E3"] = dt.datetime(2009, 6, 30)
        ws["E3"].number_format = "yyyy-mm-dd"
        ws["E7"] = "2009/9/30"
    return xlsx({"任务分解": [[TITLE], HEADER, *ROWS]}, {"任务分解": MERGES}, dates)


@case(WB + "title-rows.xlsx", "workbook", "three title and note rows above the header, no registry",
      "accepted: title 2016年民生实事任务分解表, year 2016 from it")
def _() -> bytes:
    return xlsx({"民生实事": [["2016年民生实事任务分解表"], [None, "（2016年3月1日）"], [], HEADER, *ROWS]},
                {"民生实事": ["A1:E1", "A5:A6", "B5:B6", "A7:A8", "B7:B8"]})


@case(WB + "table-on-second-sheet.xlsx", "workbook", "a cover sheet first, the table on the second sheet",
      "accepted: the table is read from sheet 表二")
def _() -> bytes:
    return xlsx({"说明": [["填表说明"], ["本表由办公室汇总"]], "表二": [HEADER, *ROWS]},
                {"表二": ["A2:A3", "B2:B3", "A4:A5", "B4:B5"]})


@case(WB + "blank-rows.xlsx", "workbook", "blank rows between items and a note row (注：…) at the end",
      "accepted: 5 items, the blank and note rows skipped")
def _() -> bytes:
    rows = [ROWS[0], ROWS[1], [], [], ROWS[2], ROWS[3], [None] * 5, ROWS[4], [], ["注：各单位于每月5日前报送进展情况。"]]
    return xlsx({"任务分解": [[TITLE], HEADER, *rows]}, {"任务分解": ["A1:E1", "A3:A4", "B3:B4"]})


@case(WB + "separators.xlsx", "workbook", "units split by full-width ，；、, line breaks, spaces and U+3000; "
      "full-width brackets; a group name that contains 、", "accepted: units split as written")
def _() -> bytes:
    rows = [
        [1, "加强组织领导", "成立领导小组", "市安监局，市公安局；市财政局", "6月底前"],
        [2, "强化隐患排查", "开展隐患排查", "市安监局\n市公安局  市财政局\u3000各市、区人民政府", "10月底前"],
        [3, "严格执法检查", "开展联合执法", "市司法局（普法办、法制办）、市公安局（牵头）", "第三季度"],
    ]
    return xlsx({"任务分解": [[TITLE], HEADER, *rows]})


@case(WB + "fullwidth-numbers.xlsx", "workbook", "序号 written as １, （二）, 三、 and 4.",
      "accepted: tasks numbered 1, 2, 3, 4")
def _() -> bytes:
    rows = [["１", "任务一", "内容一", "市安监局", "6月底前"], ["（二）", "任务二", "内容二", "市安监局", "7月"],
            ["三、", "任务三", "内容三", "市安监局", "8月"], ["4.", "任务四", "内容四", "市安监局", "9月"]]
    return xlsx({"任务分解": [[TITLE], HEADER, *rows]})


@case(WB + "template-syntax-in-cells.xlsx", "workbook", "Jinja syntax, HTML and a script tag typed in cells",
      "accepted: the annex shows {{ 7*7 }} and <script> as text")
def _() -> bytes:
    rows = [list(r) for r in ROWS]
    rows[0][2] = "{{ 7*7 }}{% for x in range(9) %}x{% endfor %}"
    rows[1][2] = "<script>alert(1)</script><b>粗体</b> &amp; 5 < 6"
    rows[0][1] = "{{ plan.title }}"
    return base(rows)


@case(WB + "agency-paths.xlsx", "workbook", "agency names that are paths or device names (../../etc/passwd, "
      "C:\\Windows\\win.ini, CON, a name of 300 characters)", "accepted: letters and forms stay inside build/")
def _() -> bytes:
    units = ["../../etc/passwd", "C:\\Windows\\win.ini", "CON", "/tmp/evil", ".", "市" * 300]
    rows = [[n, f"任务{n}", f"内容{n}", unit, "6月底前"] for n, unit in enumerate(units, 1)]
    return xlsx({"任务分解": [[TITLE], HEADER, *rows]})


@case(WB + "line-separators.xlsx", "workbook", "cells holding U+2028 (pasted from a web page) and C1 characters",
      "accepted: U+2028 read as a line break")
def _() -> bytes:
    rows = [list(r) for r in ROWS]
    rows[0][2] = "成立领导小组\u2028明确职责分工"
    return base(rows)


# ---------------------------------------------------------------- return forms

FORMS = "forms/"
AGENCY = "市安监局"  # items 1.1, 1.2, 3.1 in the project


def form(fill: dict[str, tuple] | None = None, reported: object = dt.date(2009, 6, 28),
         tweak: Callable[[Workbook], None] | None = None) -> bytes:
    """The project's return form of 市安监局, filled in: item → (status, date, progress, problems, contact)."""
    from pilot_docs.returns.forms import FORM_SHEET, HEADER_ROW, REPORT_DATE_CELL, return_form
    from pilot_docs.source.project import find_project, load_model

    folder = _project_folder()
    model, _ = load_model(find_project(folder))
    wb = load_workbook(io.BytesIO(return_form(model, model.agency(AGENCY))))
    ws = wb[FORM_SHEET]
    ws[REPORT_DATE_CELL] = reported
    fill = {"1.1": ("已完成", dt.date(2009, 6, 20), "领导小组已成立", "", "张三")} if fill is None else fill
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        for offset, value in enumerate(fill.get(str(ws.cell(r, 1).value), ())):
            ws.cell(r, 5 + offset, value)
    if tweak is not None:
        tweak(wb)
    return save(wb)


_FOLDER: list[Path] = []


def _project_folder() -> Path:
    """The project written to a temporary folder once, to make forms from."""
    if not _FOLDER:
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="corpus-project-"))
        for name, data in project_files().items():
            path = folder / name.removeprefix("project/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        _FOLDER.append(folder)
    return _FOLDER[0]


def _ws(wb: Workbook) -> Any:
    return wb["进度反馈"]


@case(FORMS + "good.xlsx", "form", "a form filled as asked", "accepted: 1 row added to the ledger")
def _() -> bytes:
    return form()


@case(FORMS + "edited-locked-cell.xlsx", "form", "a form whose 工作内容 (a locked cell) was edited after "
      "unprotecting the sheet", "{form}!进度反馈!C7: 工作内容 of item 1.1 was changed (a locked cell); "
      "use the form as it was sent, or a new one")
def _() -> bytes:
    return form(tweak=lambda wb: _ws(wb).cell(7, 3, "改过的内容"))


@case(FORMS + "bad-status.xlsx", "form", "a 进展状态 typed instead of chosen, and a completion date in words",
      "{form}!进度反馈!E7: 进展状态 '完成了' is not one of 未启动/推进中/已完成/滞后")
def _() -> bytes:
    return form({"1.1": ("完成了", None, "", "", ""), "1.2": ("已完成", "六月底", "", "", "")})


@case(FORMS + "unknown-item.xlsx", "form", "an item id changed to one that is not the agency's",
      "{form}!进度反馈!A7: unknown item '9.9' (the items of 市安监局 are 1.1, 1.2, 3.1)")
def _() -> bytes:
    return form(tweak=lambda wb: _ws(wb).cell(7, 1, "9.9"))


@case(FORMS + "other-plan.xlsx", "form", "a form of another plan (its hidden plan id differs)",
      "{form}!_form!B3: this form belongs to another plan")
def _() -> bytes:
    return form(tweak=lambda wb: wb["_form"].cell(3, 2, "0000000000000000"))


@case(FORMS + "tampered-hidden-sheet.xlsx", "form", "the very hidden sheet edited: header_row is text",
      "{form}!_form!B7: the form's hidden sheet was changed (header_row 'abc'); use a fresh form")
def _() -> bytes:
    return form(tweak=lambda wb: wb["_form"].cell(7, 2, "abc"))


@case(FORMS + "formula-input.xlsx", "form", "an input cell holding a formula with no stored value",
      "{form}!进度反馈!G7: the cell holds a formula whose value the file does not store")
def _() -> bytes:
    return form(tweak=lambda wb: _ws(wb).cell(7, 7, '="已"&"完成"'))


@case(FORMS + "long-text.xlsx", "form", "进展情况 of 40,000 characters",
      "{form}!进度反馈!G7: the cell holds 40,000 characters, more than the limit of 32,767 (Excel's own)")
def _() -> bytes:
    return patch(form({"1.1": ("推进中", None, "", "", "")}), {SHEET1: set_cell("G7", inline("G7", "进展" * 20_000))})


@case(FORMS + "far-cell.xlsx", "form", "a note typed at Z50000, far outside the form",
      "accepted: 1 row added; the far cell is not read")
def _() -> bytes:
    return form(tweak=lambda wb: _ws(wb).cell(50_000, 26, "备注"))


@case(FORMS + "line-separator.xlsx", "form", "进展情况 holding U+2028 (once made the ledger unreadable)",
      "accepted: 1 row added; the ledger reads back")
def _() -> bytes:
    return form({"1.1": ("推进中", None, "第一段\u2028第二段", "", "")})


@case(FORMS + "not-a-form.xlsx", "form", "the project's workbook given to collect",
      "{form}: not a pilot-docs return form")
def _() -> bytes:
    return base()


@case(FORMS + "truncated.xlsx", "form", "a good form cut short", "{form}: not a readable .xlsx workbook (damaged "
      "or truncated zip")
def _() -> bytes:
    data = form()
    return data[: len(data) * 2 // 3]


# ---------------------------------------------------------------- templates (templates/letter.html.j2)

TEMPLATES = "templates/"


@case(TEMPLATES + "syntax-error.html.j2", "template", "a {% for %} without its list",
      "templates/letter.html.j2:2: template syntax error: ")
def _() -> bytes:
    return b"<p>{{ plan.title }}</p>\n{% for x in %}\n<p>x</p>\n{% endfor %}\n"


@case(TEMPLATES + "undefined-name.html.j2", "template", "a name the context does not have",
      "templates/letter.html.j2:3: UndefinedError: ")
def _() -> bytes:
    return b"<p>{{ plan.title }}</p>\n<p>ok</p>\n<p>{{ plan.no_such_key }}</p>\n"


@case(TEMPLATES + "division-by-zero.html.j2", "template", "arithmetic that fails", "templates/letter.html.j2:2: "
      "ZeroDivisionError: ")
def _() -> bytes:
    return b"<p>{{ plan.title }}</p>\n<p>{{ 1 / 0 }}</p>\n"


@case(TEMPLATES + "not-utf8.html.j2", "template", "a template saved in GBK",
      "template 'letter.html.j2' is not UTF-8 text")
def _() -> bytes:
    return "<p>{{ plan.title }}</p>\n<p>工作要求</p>\n".encode("gbk")


# ---------------------------------------------------------------- pilot-docs.toml

CONFIGS = "configs/"


@case(CONFIGS + "bad-toml.toml", "config", "a value left out", "pilot-docs.toml:3: not valid TOML")
def _() -> bytes:
    return b'[plan]\nyear = 2009\nissuer = \n'


@case(CONFIGS + "unknown-key.toml", "config", "a misspelt key", "pilot-docs.toml:3: unknown key plan.yaer")
def _() -> bytes:
    return b'[plan]\nyear = 2009\nyaer = 2010\n'


@case(CONFIGS + "wrong-type.toml", "config", "the year in quotes", "pilot-docs.toml:2: plan.year must be a whole "
      "number")
def _() -> bytes:
    return b'[plan]\nyear = "2009"\n'


@case(CONFIGS + "year-out-of-range.toml", "config", "year = 99999 (once crashed the build)",
      "pilot-docs.toml:2: plan.year must be between 1900 and 2200, not 99999")
def _() -> bytes:
    return b'[plan]\nyear = 99999\n'


@case(CONFIGS + "not-utf8.toml", "config", "the config saved in GBK", "pilot-docs.toml: not UTF-8 text; save it "
      "as UTF-8")
def _() -> bytes:
    return '[plan]\nyear = 2009\nissuer = "江门市安全生产委员会"\n'.encode("gbk")


@case(CONFIGS + "control-character.toml", "config", "an issuer holding \\u0001",
      "pilot-docs.toml:3: plan.issuer holds a control character")
def _() -> bytes:
    return b'[plan]\nyear = 2009\nissuer = "\\u0001\xe6\xb1\x9f\xe9\x97\xa8"\n'


@case(CONFIGS + "font-not-a-name.toml", "config", "a [fonts] entry that is a number (once crashed the build)",
      "pilot-docs.toml:2: fonts.仿宋_GB2312 must be a font name or a list of font names")
def _() -> bytes:
    return '[fonts]\n"仿宋_GB2312" = 5\n'.encode()


@case(CONFIGS + "section-as-value.toml", "config", "plan = 5 instead of a [plan] section (once crashed)",
      "pilot-docs.toml:1: plan must be a section [plan], not a value")
def _() -> bytes:
    return b'plan = 5\n'


@case(CONFIGS + "missing-workbook.toml", "config", "[source] workbook naming a file that is not there",
      "pilot-docs.toml: source.workbook 'source/没有.xlsx' does not exist")
def _() -> bytes:
    return '[source]\nworkbook = "source/没有.xlsx"\n'.encode()


# ---------------------------------------------------------------- the progress ledger

LEDGERS = "ledgers/"


def _ledger_line(**changes: Any) -> str:
    import json

    entry = {"agency": AGENCY, "item": "1.1", "status": "推进中", "date": None, "text": "x", "problems": "",
             "contact": "", "reported": "2009-06-01", "file": "source/returns/x.xlsx", "sha256": "0" * 64,
             "sheet": "进度反馈", "row": 7, "collected_at": "2009-06-02T00:00:00", "sample": False, **changes}
    return json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"


@case(LEDGERS + "truncated-line.jsonl", "ledger", "a ledger whose last line was cut short by hand editing",
      "source/progress-ledger.jsonl:2: damaged ledger line: ")
def _() -> bytes:
    return (_ledger_line() + _ledger_line(item="1.2")[:60]).encode()


@case(LEDGERS + "wrong-type.jsonl", "ledger", "a line whose reported date is a number (once crashed the report)",
      "source/progress-ledger.jsonl:1: damaged ledger line: field 'reported' must be str, not int")
def _() -> bytes:
    return _ledger_line(reported=20090601).encode()


# ---------------------------------------------------------------- big inputs, made at test time


def big_zip_bomb(path: Path, inflated: int = 300 * 2**20) -> Path:
    """The good workbook with a sheet of `inflated` bytes of spaces (300 KB compressed), streamed, not held."""
    src = zipfile.ZipFile(io.BytesIO(base()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name != SHEET1:
                dst.writestr(name, src.read(name))
        with dst.open(SHEET1, "w", force_zip64=True) as part:
            part.write(b"<worksheet>")
            chunk = b" " * 2**20
            for _ in range(inflated // len(chunk)):
                part.write(chunk)
            part.write(b"</worksheet>")
    return path


def big_items(path: Path, n: int = 5_000) -> Path:
    """A table of n work items (n / 5 tasks of 5 items each), no registry."""
    units = ["市安监局", "市公安局", "市财政局、市安监局", "各区人民政府", "市公安局（牵头）、市财政局"]
    rows = [[i // 5 + 1 if i % 5 == 0 else None, f"任务{i // 5 + 1}" if i % 5 == 0 else None,
             f"第{i + 1}项工作内容：加强安全生产监督管理", units[i % 5], ["6月底前", "年底前", "第三季度"][i % 3]]
            for i in range(n)]
    path.write_bytes(xlsx({"任务分解": [[TITLE], HEADER, *rows]}))
    return path


def big_cell(path: Path, chars: int = 100_000) -> Path:
    """The good workbook with one content cell of `chars` characters."""
    text = ("安全生产" * (chars // 4 + 1))[:chars]
    return _write(path, patch(base(), {SHEET1: set_cell("C3", inline("C3", text))}))


def big_cells(path: Path, cells: int = 300_000) -> Path:
    """The good workbook with a sheet of `cells` empty styled cells (a few hundred KB, 5 MB of XML)."""
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="0"/>' for c in "FGHIJKLMNO") + "</row>"
                   for r in range(10, 10 + cells // 10))
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>').encode()
    path.write_bytes(patch(base(), {"xl/worksheets/sheet3.xml": sheet}))
    return path


def big_styles(path: Path, styles: int = 300_000) -> Path:
    """The good workbook whose styles part declares `styles` cell formats (openpyxl makes an object of each)."""
    xf = b'<xf xfId="0"/>'
    return _write(path, patch(base(), {"xl/styles.xml": lambda s: re.sub(
        rb"<cellXfs count=\"\d+\">", b'<cellXfs count="%d">' % styles + xf * styles, s, count=1)}))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


BIG: list[tuple[str, Callable[[Path], Path], str]] = [  # (input, maker, expected), for the README and the tests
    ("zip bomb: a sheet inflating to 300 MB (300 KB compressed)", big_zip_bomb,
     "{wb}: part xl/worksheets/sheet1.xml inflates to 300 MB (compressed 300 KB): refused as a possible zip bomb"),
    ("5,000 items", big_items, "accepted: 1,000 tasks, 5,000 items"),
    ("a content cell of 100,000 characters", big_cell,
     "{wb}!任务分解!C3: the cell holds 100,000 characters, more than the limit of 32,767 (Excel's own)"),
    ("a sheet of 300,000 empty styled cells", big_cells,
     "{wb}!单位分组: the sheet takes the workbook past the limit of 250,000 cells"),
    ("a styles part of 300,000 cell formats", big_styles,
     "{wb}: part xl/styles.xml has 300,"),
]


# ---------------------------------------------------------------- writing it all


def generate() -> dict[str, bytes]:
    """Every stored file of the corpus, by path under tests/corpus/."""
    files = dict(project_files())
    for c in CASES:
        files[c.file] = MAKERS[c.file]()
    files["README.md"] = readme().encode()
    return files


def readme() -> str:
    """The corpus table: file, what it is, what pilot-docs must do with it."""
    lines = [
        "# Corpus of bad and awkward inputs",
        "",
        "Made by `make_corpus.py` (run it after changing it; `tests/test_corpus.py` fails when a stored file is",
        "not what it makes). Each input is tried in a copy of `project/`, already built and with one return",
        "collected: a workbook replaces `source/任务分解表.xlsx`, a template is `templates/letter.html.j2`, a config",
        "is `pilot-docs.toml`, a ledger is `source/progress-ledger.jsonl`, a form is given to `collect`.",
        "",
        "**Refused** means: exit status 1, no traceback, the first line of stderr as below (`{wb}` is",
        "`source/任务分解表.xlsx`, `{form}` the form's path), and `build/`, the ledger and `source/returns/` byte",
        "for byte as they were. **Accepted** means exit status 0 and the model (`check --json`) or the output as",
        "described.",
        "",
        "| file | what it is | expected |",
        "| --- | --- | --- |",
    ]
    for c in CASES:
        expected = c.expected if c.expected.startswith("accepted") else f"refused: `{c.expected}`"
        lines.append(f"| `{c.file}` | {c.what.replace('|', '&#124;')} | {expected.replace('|', '&#124;')} |")
    lines += [
        "",
        "Made at test time (too big to store) by the `big_*` functions; each bomb is refused within 2 s and",
        "200 MB (tests/test_corpus.py measures it):",
        "",
        "| input | expected |",
        "| --- | --- |",
    ]
    for what, _, expected in BIG:
        shown = expected if expected.startswith("accepted") else f"refused: `{expected}…`"
        lines.append(f"| {what} | {shown} |")
    lines += ["| a FIFO named .xlsx | refused: `{wb}: not a regular file` |", ""]
    return "\n".join(lines)


def main() -> None:
    """Write the corpus under tests/corpus/."""
    for name, data in generate().items():
        path = ROOT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"{len(CASES)} cases written under {ROOT}")


if __name__ == "__main__":
    main()
