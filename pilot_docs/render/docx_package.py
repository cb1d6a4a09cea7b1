"""Save a python-docx Document reproducibly: fixed core properties and a zip with fixed order and timestamps."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from io import BytesIO

from docx.document import Document

EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the zip format's own epoch
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
FIRST = "[Content_Types].xml"
DOCUMENT = "word/document.xml"
SPILL_MARK = "pilot-docs spilled "  # <!--pilot-docs spilled N-->: the N-th run of blocks written out early
_SPILLED = re.compile(rb"<!--" + SPILL_MARK.encode() + rb"(\d+)-->")


def _as_datetime(date: dt.date | dt.datetime | None) -> dt.datetime:
    """A timezone-aware UTC datetime; a plain date is taken at midnight UTC."""
    if date is None:
        return EPOCH
    if isinstance(date, dt.datetime):
        return date if date.tzinfo else date.replace(tzinfo=dt.UTC)
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)


def set_properties(document: Document, title: str, date: dt.date | dt.datetime | None) -> None:
    """Core properties from the document, never from the clock; python-docx's blank-page thumbnail removed."""
    when = _as_datetime(date).replace(tzinfo=None)  # python-docx writes naive datetimes as UTC ("Z")
    props = document.core_properties
    props.title = title
    props.author = "pilot-docs"
    props.last_modified_by = "pilot-docs"
    props.comments = ""
    props.created = when
    props.modified = when
    props.revision = 1
    rels = document.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == THUMBNAIL]:
        rels.pop(rid)


def normalize_zip(data: bytes, spilled: list[bytes] | None = None) -> bytes:
    """Rewrite a DOCX zip: [Content_Types].xml first, then entries sorted, every timestamp 1980-01-01; the blocks
    written out early (`spilled`) back in place of their markers in the document."""
    source = zipfile.ZipFile(BytesIO(data))
    names = sorted(source.namelist(), key=lambda n: (n != FIRST, n))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            content = source.read(name)
            if name == DOCUMENT and spilled:
                content = _SPILLED.sub(lambda m: spilled[int(m.group(1))], content)
            target.writestr(info, content, compresslevel=6)
    return out.getvalue()


def package_bytes(document: Document, *, title: str, date: dt.date | dt.datetime | None,
                  spilled: list[bytes] | None = None) -> bytes:
    """The reproducible bytes of a Document (with its blocks written out early put back)."""
    set_properties(document, title, date)
    buffer = BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue(), spilled)
