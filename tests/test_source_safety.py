"""Untrusted workbooks: not-an-xlsx, damaged, zip bombs and entity bombs are refused before parsing."""

from __future__ import annotations

import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from pilot_docs.errors import SourceError
from pilot_docs.source.project import find_project, load_model
from pilot_docs.source.xlsx import Limits, check_package
from tests.helpers import HEADER, run_cli, write_workbook


def good_workbook(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "good.xlsx", {"S": [HEADER, [1, "任务", "内容", "市安监局", "10月"]]})


def rewrite(src: Path, dst: Path, replace: dict[str, bytes]) -> Path:
    """Copy an .xlsx with some parts replaced."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
    return dst


def error_of(path: Path) -> str:
    with pytest.raises(SourceError) as exc:
        load_model(find_project(path))
    message = exc.value.format_message()
    assert "\n" not in message
    return message


@pytest.mark.parametrize("content,expected", [
    (b"", "not an .xlsx workbook: it is an empty file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "an old Excel .xls or a password-protected workbook"),
    (b"%PDF-1.7\n", "not an .xlsx workbook: it is a PDF document"),
    ("序号,工作任务\n1,任务\n".encode(), "a text file (CSV?)"),
    (b"<html><table><tr><td>1</td></tr></table></html>", "an HTML page"),
])
def test_not_an_xlsx(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(content)
    assert expected in error_of(path)


def test_a_word_document_renamed(tmp_path: Path) -> None:
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert "not an .xlsx workbook: it is a Word document" in error_of(path)


def test_truncated(tmp_path: Path) -> None:
    data = good_workbook(tmp_path).read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert "damaged or truncated zip" in error_of(path)


def test_zip_bomb_refused_fast_and_small(tmp_path: Path) -> None:
    path = rewrite(good_workbook(tmp_path), tmp_path / "bomb.xlsx",
                   {"xl/worksheets/sheet1.xml": b"<worksheet>" + b" " * (300 * 2**20) + b"</worksheet>"})
    assert path.stat().st_size < 2 * 2**20
    tracemalloc.start()
    start = time.perf_counter()
    message = error_of(path)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "part xl/worksheets/sheet1.xml inflates to 300 MB" in message and "zip bomb" in message
    assert elapsed < 2 and peak < 50 * 2**20


def test_total_inflated_size_limit(tmp_path: Path) -> None:
    path = good_workbook(tmp_path)
    with pytest.raises(SourceError, match="inflates to 0 MB, more than the limit"):
        check_package(path, "good.xlsx", Limits(total_bytes=1000))


def test_entity_bomb_refused(tmp_path: Path) -> None:
    src = good_workbook(tmp_path)
    with zipfile.ZipFile(src) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    evil = sheet.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
                                        b"<worksheet", 1)
    path = rewrite(src, tmp_path / "entities.xlsx", {"xl/worksheets/sheet1.xml": evil})
    assert "declares XML entities or a DTD" in error_of(path)


def test_damaged_xml_is_one_line(tmp_path: Path) -> None:
    path = rewrite(good_workbook(tmp_path), tmp_path / "bad.xlsx", {"xl/worksheets/sheet1.xml": b"<worksheet><oops"})
    assert "cannot read the workbook: damaged" in error_of(path)


def test_cli_error_is_one_line_exit_1_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"hello")
    result = run_cli("check", "--source", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "Traceback" not in result.output and "x.xlsx: not an .xlsx workbook" in result.stderr
