"""Deterministic Office packages: the same content gives the same bytes (sorted entries, fixed times)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def normalize_zip(data: bytes, when: dt.datetime | None = None) -> bytes:
    """The package rewritten with entries sorted by name, fixed timestamps and permissions; with `when`, the
    created/modified dates of docProps/core.xml are set to it (Office writers stamp the wall clock there)."""
    out = io.BytesIO()
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode() if when is not None else b""
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist()):
            content = src.read(name)
            if when is not None and name == "docProps/core.xml":
                content = _CORE_DATE.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            dst.writestr(info, content, compresslevel=6)
    return out.getvalue()


def workbook_bytes(wb, when: dt.datetime) -> bytes:
    """An openpyxl workbook as deterministic .xlsx bytes: its dates set to `when`, entries sorted, fixed times."""
    wb.properties.creator = "pilot-docs"
    wb.properties.created = when
    buffer = io.BytesIO()
    wb.save(buffer)
    return normalize_zip(buffer.getvalue(), when)
