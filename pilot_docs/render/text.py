"""The words a DOCX or PDF shows, for checking that both formats carry the same text."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from lxml import etree

from ..errors import BuildError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PAGE_NUMBER = re.compile(r"^\s*—\s*\d+\s*—\s*$")
_SPACE = re.compile(r"[\s\u200b\u2060]+")  # zero-width space and word joiner (Typst PDFs: render/typst.py) too


def normalize(text: str) -> str:
    """The text without any white space (line breaks and spacing differ between formats; words must not)."""
    return _SPACE.sub("", text)


def _paragraph_text(p: etree._Element) -> str:
    """Text of a w:p: runs' text, tabs and breaks, field codes left out."""
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_is_continuation(tc: etree._Element) -> bool:
    """Whether a cell continues a vertical merge (its text is the merge's first cell)."""
    merge = tc.find(f"{W}tcPr/{W}vMerge")
    return merge is not None and merge.get(f"{W}val", "continue") != "restart"


def _block_texts(parent: etree._Element) -> Iterable[str]:
    for child in parent:
        if child.tag == f"{W}p":
            yield _paragraph_text(child)
        elif child.tag == f"{W}tbl":
            for tr in child.iterchildren(f"{W}tr"):
                for tc in tr.iterchildren(f"{W}tc"):
                    if not _cell_is_continuation(tc):
                        yield from _block_texts(tc)
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _block_texts(content)


def docx_text(data: bytes) -> str:
    """The body text of a DOCX in document order: paragraphs and table cells (a merged cell once), one a line.

    A picture adds nothing (its paragraph is an empty line; its alt text, `wp:docPr/@descr`, is not shown), a
    figure's caption is a paragraph like any other: the same words as `pdf_text` finds.
    """
    from docx import Document

    body = Document(BytesIO(data)).element.body
    return "\n".join(_block_texts(body))


def docx_repeated_headers(data: bytes) -> list[str]:
    """The text of each table's repeated header rows (w:tblHeader), normalized, for `pdf_text`."""
    from docx import Document

    body = Document(BytesIO(data)).element.body
    headers = []
    for tbl in body.iter(f"{W}tbl"):
        rows = [tr for tr in tbl.iterchildren(f"{W}tr") if tr.find(f"{W}trPr/{W}tblHeader") is not None]
        text = "".join(t for tr in rows for tc in tr.iterchildren(f"{W}tc") if not _cell_is_continuation(tc)
                       for t in _block_texts(tc))
        if normalize(text):
            headers.append(normalize(text))
    return headers


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, in drawing order (`pdftotext -raw`)."""
    if shutil.which("pdftotext") is None:
        raise BuildError("pdftotext is not installed (apt-get install poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.pdf"
        path.write_bytes(data)
        result = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                                capture_output=True, check=False)
    if result.returncode != 0:
        raise BuildError(f"pdftotext failed: {result.stderr.decode(errors='replace').strip()}")
    pages = result.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_text(data: bytes, headers: Iterable[str] = ()) -> str:
    """The text of a PDF without its page numbers ("— N —") and without table heads repeated on later pages.

    Images add nothing (their pixels are not text, and WeasyPrint draws no alt text); figure captions are text.

    `headers` are the normalized texts of the heads that repeat (see `docx_repeated_headers`): one is dropped
    from the start of a page when the same head already appeared on an earlier page.
    """
    heads = sorted({normalize(h) for h in headers if normalize(h)}, key=len, reverse=True)
    seen = ""
    out = []
    for page in pdf_pages(data):
        lines = [line for line in page.splitlines() if not _PAGE_NUMBER.match(line)]
        text = "\n".join(lines)
        flat = normalize(text)
        for head in heads:
            if flat.startswith(head) and head in seen:
                text = _drop_prefix(text, head)
                break
        seen += flat
        out.append(text)
    return "\n".join(out)


def _drop_prefix(text: str, prefix: str) -> str:
    """Remove the characters of `prefix` (which has no white space) from the start of `text`."""
    i = matched = 0
    while matched < len(prefix) and i < len(text):
        if not text[i].isspace():
            matched += 1
        i += 1
    return text[i:]
