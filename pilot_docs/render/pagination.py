"""How LibreOffice (standing in for Word and WPS) paginates a build's DOCX against our PDF: the page count and
the first words of every page. `tools/pagination.py` prints it for a build; a test holds the seed to it."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from pypdf import PdfReader

from .fonts import FontConfig
from .libreoffice import convert
from .text import normalize

_NUMBER = re.compile(r"—\s*\d+\s*—")
_LEADER = re.compile(r"[.·…]{2,}")  # a 目录's dot leader: drawn by each writer its own way


def page_starts(pdf: Path, chars: int) -> list[str]:
    """The first `chars` characters of each page's text, without white space (the Typst PDF's invisible marks
    too: text.normalize) or page numbers."""
    out = []
    for page in PdfReader(str(pdf)).pages:
        text = _LEADER.sub("", normalize(_NUMBER.sub("", page.extract_text() or "")))
        out.append(text[:chars])
    return out


def documents(build: Path) -> list[Path]:
    """The DOCX of a build that have a PDF beside them, return forms left out."""
    return sorted(p for p in build.rglob("*.docx")
                  if p.with_suffix(".pdf").is_file() and "forms" not in p.relative_to(build).parts
                  and "bundles" not in p.relative_to(build).parts)


def compare(build: Path, chars: int = 8, word: bool = False, fonts: FontConfig | None = None) -> list[dict]:
    """One record per document: pages in both, and the pages whose first words differ."""
    docx = documents(build)
    with tempfile.TemporaryDirectory() as tmp:
        converted = dict(zip(docx, convert(docx, Path(tmp), fonts, word)))
        records = []
        for path in docx:
            ours = page_starts(path.with_suffix(".pdf"), chars)
            theirs = page_starts(converted[path], chars)
            differ = [n + 1 for n in range(min(len(ours), len(theirs))) if ours[n] != theirs[n]]
            records.append({"document": str(path.relative_to(build)), "pdf_pages": len(ours),
                            "libreoffice_pages": len(theirs), "differ": differ,
                            "first_difference": None if not differ else
                            {"page": differ[0], "pdf": ours[differ[0] - 1], "libreoffice": theirs[differ[0] - 1]}})
    return records
