"""The agencies' own year-end summaries (各单位年度工作总结) that the compiled volume takes in.

An office drops what each agency sends at year end into `source/summaries/`, one file an agency, named by the
agency: `<简称>.docx`, `<全称>.pdf` (its short name, full name or an alias, as `send --agency`
takes them). Each file is checked as a returned form is (returns/collect.py) before anything parses it: a regular
file, no larger than the limit, really a .docx (a zip of WordprocessingML that inflates within bounds, no DTD) or
a PDF (readable, not encrypted, with pages). A file that fails is not taken: the build goes on with a warning
naming the file and why, and the volume lists the agency as having sent none, as collect refuses a bad form and
records the others. The volume then holds each good file as a part of its own after our summary (render/external.py
lays them into the PDF and the DOCX); the agencies of the table that sent none are named in its overview and in
index.html. Without a `source/summaries/` folder the volume is as it was.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location, Problem
from ..model import Model
from ..source.units import name_key

FOLDER = "summaries"  # under source/, beside the ledger
FORMATS = (".docx", ".pdf")
MB = 2**20
FILE_BYTES = 50 * MB  # the file itself, as for a returned workbook
PART_BYTES = 40 * MB  # one inflated part of a .docx
TOTAL_BYTES = 200 * MB  # all parts inflated (pictures included)
RATIO = 200  # inflated / compressed for one large part: a zip bomb
PARTS = 2_000  # files in the zip
PAGES = 2_000  # pages of a PDF

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class OwnSummary:
    """One agency's summary as taken into the volume."""

    agency: str  # short name
    full_name: str
    file: str  # relative to the project folder, posix
    format: str  # "docx" | "pdf"
    sha256: str  # of the bytes checked: the worker refuses a file changed since


@dataclass
class OwnSummaries:
    """What `source/summaries/` holds for the volume: the parts in the table's order, who sent none."""

    parts: list[OwnSummary] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # short names, in the table's order
    refused: list[str] = field(default_factory=list)  # short names of agencies whose file was not taken


def summaries_folder(project) -> Path:
    """source/summaries/ of a project (beside the progress ledger)."""
    from ..returns.ledger import ledger_path

    return ledger_path(project).parent / FOLDER


def find_summaries(project, model: Model, warnings: list[Problem]) -> OwnSummaries | None:
    """The checked summaries of `source/summaries/` (None when there is no such folder); what is not taken is a
    warning in `warnings`."""
    from ..source.project import display_path

    folder = summaries_folder(project)
    if not folder.is_dir():
        return None
    names: dict[str, str] = {}
    for agency in model.agencies:
        for name in (agency.name, agency.full_name, *agency.aliases):
            names.setdefault(name_key(name), agency.name)
    every = [n for a in model.agencies for n in (a.name, a.full_name, *a.aliases)]
    found: dict[str, OwnSummary] = {}
    refused: set[str] = set()
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith((".", "~$")):  # hidden files, Word's lock files
            continue
        display = display_path(path)
        where = Location(display)
        if path.suffix.lower() not in FORMATS:
            warnings.append(Problem(where, "not a .docx or .pdf: not taken into the volume", "warning"))
            continue
        agency = names.get(name_key(path.stem))
        if agency is None:
            hint = difflib.get_close_matches(path.stem, every, n=1, cutoff=0.5)
            warnings.append(Problem(where, f"{path.stem!r} names no agency of the table"
                                    + (f" (did you mean {hint[0]}?)" if hint else "")
                                    + ": not taken into the volume", "warning"))
            continue
        if agency in found or agency in refused:
            warnings.append(Problem(where, f"a second summary of {agency}: not taken into the volume (one file "
                                    "an agency)", "warning"))
            continue
        try:
            data = read_checked(path, path.suffix.lower())
        except ValueError as exc:
            warnings.append(Problem(where, f"{exc}: not taken into the volume", "warning"))
            refused.add(agency)
            continue
        except OSError as exc:
            warnings.append(Problem(where, f"cannot read: {exc.strerror or exc}: not taken into the volume",
                                    "warning"))
            refused.add(agency)
            continue
        found[agency] = OwnSummary(agency, model.agency(agency).full_name, Path(os.path.relpath(path, project.root)).as_posix(),
                                   path.suffix.lower()[1:], hashlib.sha256(data).hexdigest())
    result = OwnSummaries()
    for agency in model.agencies:
        if agency.name in found:
            result.parts.append(found[agency.name])
        else:
            result.missing.append(agency.name)
            if agency.name in refused:
                result.refused.append(agency.name)
    return result


def read_checked(path: Path, suffix: str) -> bytes:
    """The file's bytes once they pass the checks of its format (ValueError saying why not)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("a folder, not a file" if stat.S_ISDIR(info.st_mode) else "not a regular file")
    if info.st_size > FILE_BYTES:  # before anything reads it
        raise ValueError(f"file is {info.st_size / MB:.0f} MB, more than the limit of {FILE_BYTES / MB:.0f} MB")
    data = path.read_bytes()
    if suffix == ".pdf":
        check_pdf(data)
    else:
        check_docx(data)
    return data


def _what(head: bytes) -> str:
    if not head:
        return "an empty file"
    if head.startswith(b"%PDF"):
        return "a PDF document (name it .pdf)"
    if head.startswith(b"PK"):
        return "a zip archive"
    if head.startswith(b"{\\rtf"):
        return "an RTF document; save it as .docx"
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    try:
        head.decode("utf-8")
        return "a text file"
    except UnicodeDecodeError:
        pass
    return "not a document pilot-docs can read"


def check_docx(data: bytes) -> None:
    """Refuse what is not a .docx: an old .doc, a password-protected document, a zip that is not Word's, a zip
    bomb, a part declaring a DTD (an entity bomb), a package python-docx cannot open."""
    if data.startswith(OLE2):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ValueError("not a .docx document: it is a password-protected document; remove the password in "
                             "Word or WPS and save it again")
        raise ValueError("not a .docx document: it is an old Word .doc document (an Office 97-2003 file); save "
                         "it as Word Document (.docx)")
    if not data.startswith(b"PK"):
        raise ValueError(f"not a .docx document: it is {_what(data[:512])}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # zipfile raises many kinds on a damaged central directory
        raise ValueError(f"not a readable .docx document (damaged or truncated zip: {type(exc).__name__})") from exc
    if len(infos) > PARTS:
        raise ValueError(f"the package holds {len(infos):,} files, more than the limit of {PARTS:,}")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        what = ("an Excel workbook" if any(n.startswith("xl/") for n in names) else
                "an OpenDocument file; save it as .docx" if "mimetype" in names else "a zip archive")
        raise ValueError(f"not a .docx document: it is {what}")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > PART_BYTES or (info.file_size > 10 * MB and ratio > RATIO):
            raise ValueError(f"part {info.filename} inflates to {info.file_size / MB:.0f} MB (compressed "
                             f"{info.compress_size / 2**10:.0f} KB): refused as a possible zip bomb")
    if total > TOTAL_BYTES:
        raise ValueError(f"document inflates to {total / MB:.0f} MB, more than the limit of {TOTAL_BYTES / MB:.0f} MB")
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            try:
                part = archive.read(info)
            except Exception as exc:  # zlib.error, BadZipFile (CRC), RuntimeError (encrypted) ...
                raise ValueError(f"part {info.filename} is damaged ({type(exc).__name__})") from exc
            if _DTD.search(part):
                raise ValueError(f"part {info.filename} declares XML entities or a DTD: refused as a possible "
                                 "entity bomb")
    try:
        from docx import Document

        Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a package it cannot read
        raise ValueError(f"not a readable .docx document ({type(exc).__name__})") from exc


def check_pdf(data: bytes) -> int:
    """Refuse what is not a readable PDF with pages (an encrypted one included); its page count."""
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise ValueError(f"not a PDF document: it is {_what(data[:512])}")
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise ValueError(f"not a readable PDF document ({type(exc).__name__})") from exc
    if encrypted:
        raise ValueError("a password-protected (encrypted) PDF; export it again without a password")
    if pages == 0:
        raise ValueError("a PDF without pages")
    if pages > PAGES:
        raise ValueError(f"the PDF has {pages:,} pages, more than the limit of {PAGES:,}")
    return pages
