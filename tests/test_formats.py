"""Returned files in formats other than .xlsx are named for what they are, with what to do; macros are refused
and never archived."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from pilot_docs.returns.collect import collect, ledger_path
from pilot_docs.source.project import find_project
from tests.progress_helpers import fill_form, seed_project

NOW = dt.datetime(2009, 7, 1, 9, 0)
SAVE = "open it in Excel or WPS and save it as Excel Workbook (.xlsx)"


def _form(tmp_path: Path) -> tuple[Path, Path]:
    root = seed_project(tmp_path)
    return root, fill_form(root, "市财政局", {"1.1": ("推进中", None, "进展", "", "")}, out=tmp_path / "form.xlsx")


def _rezip(src: Path, out: Path, change) -> Path:
    """A copy of a package with its parts changed: change(name, data) → data, or None to drop; may add parts."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)
        for name, data in change(None, None) or ():
            zout.writestr(name, data)
    return out


def _refused(root: Path, file: Path) -> str:
    ledger = ledger_path(find_project(root))
    result = collect([file], root, NOW)
    assert not result.added and len(result.refused) == 1
    assert not ledger.exists() and not (root / "source" / "returns").exists()  # nothing recorded, nothing archived
    return str(result.refused[0]).removeprefix(str(file))


def test_a_workbook_with_macros_is_refused_never_archived(tmp_path: Path) -> None:
    root, form = _form(tmp_path)

    def macros(name, data):
        if name is None:
            return [("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 508)]
        if name == "[Content_Types].xml":
            return data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
        return data

    for name in ("form.xlsm", "renamed.xlsx"):
        got = _refused(root, _rezip(form, tmp_path / name, macros))
        assert got == (": the workbook contains macros (an .xlsm, or saved with a VBA project); pilot-docs does not "
                       "take files with macros: open it in Excel or WPS and save it as Excel Workbook (.xlsx), which "
                       "removes them")


def test_strict_open_xml_is_named(tmp_path: Path) -> None:
    root, form = _form(tmp_path)
    strict = _rezip(form, tmp_path / "strict.xlsx", lambda n, d: None if n is None else d.replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"))
    assert _refused(root, strict) == (": not an .xlsx workbook: it is a Strict Open XML workbook, which pilot-docs "
                                      "cannot read; in Excel save it as 'Excel Workbook (.xlsx)', not 'Strict Open "
                                      "XML Spreadsheet'")


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
def test_an_ods_is_named(tmp_path: Path) -> None:
    root, form = _form(tmp_path)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to",
                    "ods", "--outdir", str(tmp_path / "lo"), str(form)], check=True, capture_output=True, timeout=180)
    assert _refused(root, tmp_path / "lo" / "form.ods") == (
        ": not an .xlsx workbook: it is an OpenDocument spreadsheet (.ods, as LibreOffice saves by default); in "
        f"LibreOffice choose File → Save As → Excel 2007-365 (.xlsx), or {SAVE}")


def test_a_numbers_document_is_named(tmp_path: Path) -> None:
    root, _ = _form(tmp_path)
    numbers = tmp_path / "form.numbers"
    with zipfile.ZipFile(numbers, "w") as z:  # the single-file package Numbers writes
        z.writestr("Index/Document.iwa", b"\0" * 64)
        z.writestr("Index/Metadata.iwa", b"\0" * 64)
        z.writestr("Metadata/Properties.plist", b"bplist00")
    assert _refused(root, numbers) == (": not an .xlsx workbook: it is an Apple Numbers document (.numbers); in "
                                       "Numbers choose File → Export To → Excel… (.xlsx)")


def test_a_wps_et_is_named(tmp_path: Path) -> None:
    import xlwt

    root, _ = _form(tmp_path)
    book = xlwt.Workbook()
    book.add_sheet("进度反馈").write(0, 0, "编号")
    et = tmp_path / "form.et"
    book.save(str(et))  # WPS's .et is a Compound File like an old .xls
    assert _refused(root, et) == (": not an .xlsx workbook: it is a WPS spreadsheet (.et); in WPS choose 文件 → 另存为 "
                                  "→ Excel 工作簿 (*.xlsx)")


def test_collect_leaves_no_litter(tmp_path: Path) -> None:
    """What a killed collect or a full disk leaves — temporary files, archived copies no ledger line records —
    is removed by the next collect, or adopted when the same bytes are collected again; other files stay."""
    import hashlib

    root, form = _form(tmp_path)
    other = fill_form(root, "市公安局", {"1.3": ("推进中", None, "x", "", "")}, out=tmp_path / "other.xlsx")
    source = root / "source"
    folder = source / "returns" / "市财政局"
    folder.mkdir(parents=True)
    digest = hashlib.sha256(form.read_bytes()).hexdigest()
    left = folder / f"{digest[:12]}-form.xlsx"  # archived, then the run was killed before the ledger append
    shutil.copy(form, left)
    stray_digest = hashlib.sha256(other.read_bytes()).hexdigest()
    stray = source / "returns" / "市公安局" / f"{stray_digest[:12]}-other.xlsx"  # never collected again
    stray.parent.mkdir()
    shutil.copy(other, stray)
    temporaries = [source / ".progress-ledger.jsonl.k2j4h5g6.tmp", folder / ".x-form.xlsx.ab12cd34.tmp"]
    for tmp in temporaries:
        tmp.write_bytes(b"half")
    kept = [source / "notes.tmp", source / "returns" / "市公安局" / "说明.xlsx", folder / "0123456789ab-mine.xlsx"]
    for file in kept:
        file.write_bytes(b"someone else's")
    renamed = tmp_path / "renamed.xlsx"
    shutil.copy(form, renamed)  # the same bytes under another name
    result = collect([renamed], root, NOW)
    assert [e.file for e in result.added] == [f"source/returns/市财政局/{left.name}"]  # adopted, not copied again
    assert sorted(p.name for p in folder.iterdir()) == sorted([left.name, "0123456789ab-mine.xlsx"])
    assert not stray.exists() and not any(t.exists() for t in temporaries)
    assert all(f.exists() for f in kept)
