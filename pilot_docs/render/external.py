"""Documents of others in a compiled volume: the agencies' own year-end summaries (documents/own_summaries.py).

The volume's HTML holds each one as a part of its own that names the file and the sha256 of the bytes checked:

    <section class="part" data-summary="source/summaries/××局.docx" data-sha256="…" data-format="docx">
    <h2>××局年度工作总结</h2>
    </section>

(`data-*` attributes are the vocabulary's, ignored by both writers' checks). The HTML carries the digest, so the
build's key of the volume changes with the files' bytes.

PDF (`parts.lay_out_pieces` → `place_pdf`, with either engine): the part is not laid out; the file's own pages take
its place, from an odd page (a blank unnumbered page before it when needed, as a document printed on both sides
starts on a recto), each stamped with our page number — "— N —" in 14 pt 宋体, odd pages right and even left,
exactly where ours are, for it is the PDF engine laying out empty pages (WeasyPrint with gongwen.css, Typst with
its page setup), merged onto the foreign pages as an overlay (scaled to a page that is not A4). The heading becomes the part's bookmark and 目录 entry, on its first page. A
.docx is turned into PDF by LibreOffice (`soffice --headless --convert-to pdf`, a fresh profile each time), which
lays out Word documents as Word does far better than our own writer could read them back; without soffice the
build stops with an error naming the file.

DOCX (`compose_docx`): the part's heading is written by our writer, and the agency's .docx is inserted after it
with docxcompose, which carries its styles (kept under their own names where they differ from ours,
`preserve_styles`), numbering, pictures and footnotes. A PDF summary cannot become Word text: the DOCX keeps the
heading and a sentence saying that it is in the PDF volume.
"""

from __future__ import annotations

import hashlib
import html as htmlib
import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import Location, SourceError

_MARKER = re.compile(r"""<section\b[^>]*\bdata-summary\s*=\s*"([^"]*)"[^>]*>""")
_ATTR = re.compile(r"""\bdata-(sha256|format)\s*=\s*"([^"]*)\"""")
_HEADING = re.compile(r"<h([1-4])\b[^>]*>(.*?)</h\1\s*>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
A4 = (595.2756, 841.8898)  # points
CONVERT_SECONDS = 300


@dataclass(frozen=True)
class External:
    """One marker part: the file (relative to the project), its digest and format, its heading and level."""

    file: str
    sha256: str
    format: str
    title: str
    level: int


def externals(html: str) -> list[External]:
    """The marker parts of a document's HTML, in order."""
    found = []
    for match in _MARKER.finditer(html):
        attrs = dict(_ATTR.findall(match.group(0)))
        end = html.find("</section", match.end())
        heading = _HEADING.search(html, match.end(), end if end >= 0 else len(html))
        title = htmlib.unescape(_TAG.sub("", heading.group(2))).strip() if heading else ""
        found.append(External(htmlib.unescape(match.group(1)), attrs.get("sha256", ""), attrs.get("format", ""),
                              title, int(heading.group(1)) if heading else 1))
    return found


def external_part(piece: str) -> External | None:
    """The marker a piece of a document cut in parts is (parts.split_parts), if it is one."""
    if "data-summary" not in piece:
        return None
    found = externals(piece)
    return found[0] if len(found) == 1 else None


def _read(external: External, base_url) -> bytes:
    """The file's bytes, the very ones the build checked."""
    root = Path(base_url) if base_url and Path(str(base_url)).is_dir() else Path(".")
    path = root / external.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", Location(external.file)) from exc
    if hashlib.sha256(data).hexdigest() != external.sha256:
        raise SourceError("changed during the build: run pilot-docs build again", Location(external.file))
    return data


_CONVERTED: dict[str, bytes] = {}  # sha256 of a .docx → its PDF (a volume lays out twice, for its 目录)


def docx_to_pdf(data: bytes, display: str) -> bytes:
    """A .docx laid out by LibreOffice, as PDF."""
    digest = hashlib.sha256(data).hexdigest()
    if digest in _CONVERTED:
        return _CONVERTED[digest]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SourceError("a .docx summary is laid out into the PDF volume by LibreOffice, and soffice is not "
                          "installed (apt-get install libreoffice-writer-nogui), or send it as PDF",
                          Location(display))
    with tempfile.TemporaryDirectory(prefix="pilot-docs-soffice-") as tmp:
        source = Path(tmp) / "summary.docx"
        source.write_bytes(data)
        command = [soffice, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless",
                   "--convert-to", "pdf", "--outdir", tmp, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SourceError(f"LibreOffice could not convert it to PDF ({type(exc).__name__})",
                              Location(display)) from exc
        target = Path(tmp) / "summary.pdf"
        if not target.is_file():
            raise SourceError("LibreOffice could not convert it to PDF", Location(display))
        pdf = target.read_bytes()
    _CONVERTED[digest] = pdf
    return pdf


def external_pdf(external: External, base_url) -> bytes:
    """The part's pages as PDF: the file itself, or LibreOffice's layout of a .docx."""
    data = _read(external, base_url)
    return docx_to_pdf(data, external.file) if external.format == "docx" else data


@dataclass
class Placed:
    """A foreign part laid into the page sequence."""

    pdf: bytes  # its pages (a blank one first when needed), numbered
    pages: int  # how many pages it takes, the blank one included
    first: int  # the number of its first page of content (odd)


def place_pdf(external: External, base_url, first_page: int, numbers, write: bool = True) -> Placed:
    """The part's pages from `first_page` on, starting on an odd page; `numbers(first, sides)` is the PDF of
    page numbers only, one page per side ('portrait' | 'landscape'), the first numbered `first`. A file whose
    pages pypdf cannot take (checked readable, yet damaged inside) is an error naming it."""
    data = external_pdf(external, base_url)
    try:
        return _place(data, first_page, numbers, write)
    except SourceError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged page
        raise SourceError(f"its pages cannot be taken into the volume ({type(exc).__name__}); export it again",
                          Location(external.file)) from exc


def _place(data: bytes, first_page: int, numbers, write: bool) -> Placed:
    from pypdf import PdfReader, PdfWriter, Transformation

    reader = PdfReader(io.BytesIO(data))
    blank = first_page % 2 == 0
    start = first_page + blank
    count = len(reader.pages)
    if not write:
        return Placed(b"", count + blank, start)
    writer = PdfWriter()
    if blank:
        writer.add_blank_page(*A4)
    pages = []
    for page in reader.pages:
        page = writer.add_page(page)  # the writer's copy, which can be changed
        page.transfer_rotation_to_content()
        pages.append(page)
    sides = ["landscape" if float(p.mediabox.width) > float(p.mediabox.height) else "portrait" for p in pages]
    overlay = PdfReader(io.BytesIO(numbers(start, sides)))
    for page, stamp in zip(pages, overlay.pages, strict=True):
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        ow, oh = float(stamp.mediabox.width), float(stamp.mediabox.height)
        scale = min(width / ow, height / oh)
        dx = float(box.left) + (width - ow * scale) / 2
        dy = float(box.bottom) + (height - oh * scale) / 2
        page.merge_transformed_page(stamp, Transformation().scale(scale).translate(dx, dy))
    out = io.BytesIO()
    writer.write(out)
    return Placed(out.getvalue(), count + blank, start)


def numbers_html(sides: list[str]) -> str:
    """Empty pages, one a side, for WeasyPrint to number with gongwen.css (see `place_pdf`)."""
    pages = "".join(f'<div class="{side}" style="page: {side};{" break-before: page;" if n else ""} height: 1pt">'
                    "</div>" for n, side in enumerate(sides))
    return f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>{pages}</body></html>'


def compose_docx(master: bytes, html: str, base_url) -> bytes:
    """The DOCX with each agency's .docx inserted after its part's heading (docxcompose), reproducible."""
    parts = [e for e in externals(html) if e.format == "docx"]
    if not parts:
        return master
    with _docxcompose_namespaces():
        return _compose(master, parts, base_url)


@contextmanager
def _docxcompose_namespaces() -> Iterator[None]:
    """docxcompose, when imported, rebinds python-docx's namespace prefixes for the whole process ("cp" to the
    custom properties, which breaks every core.xml python-docx writes after it): its prefixes hold only while it
    composes, python-docx's own are put back after."""
    from docx.oxml import ns

    before = dict(ns.nsmap)
    from docxcompose.utils import NS

    ns.nsmap.update(NS)
    try:
        yield
    finally:
        ns.nsmap.clear()
        ns.nsmap.update(before)


def _compose(master: bytes, parts: list[External], base_url) -> bytes:
    import random

    from docx import Document
    from docx.oxml.ns import qn
    from docxcompose.composer import Composer

    from .docx_package import normalize_zip

    document = Document(io.BytesIO(master))
    composer = Composer(document, preserve_styles=True)
    body = document.element.body
    state = random.getstate()
    random.seed(0)  # docxcompose draws numbering ids (nsid) at random: the same input gives the same bytes
    try:
        position = 0
        for external in parts:
            children = list(body)
            for index in range(position, len(children)):
                child = children[index]
                if child.tag == qn("w:p") and _is_heading(child) and \
                        "".join(t.text or "" for t in child.iter(qn("w:t"))).strip() == external.title:
                    break
            else:
                raise SourceError(f"the volume's DOCX has no heading {external.title!r} to put it after",
                                  Location(external.file))
            _end_section_after(children[index])
            before = len(body)
            try:
                composer.insert(index + 1, Document(io.BytesIO(_read(external, base_url))))
            except SourceError:
                raise
            except Exception as exc:  # docxcompose on a document it cannot take in
                raise SourceError(f"cannot be composed into the DOCX volume ({type(exc).__name__}); save it "
                                  "again in Word or WPS", Location(external.file)) from exc
            position = index + 1 + len(body) - before
    finally:
        random.setstate(state)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())


def _end_section_after(heading) -> None:
    """When the heading's paragraph ends its section (a part of its own), the section's end moves to an empty
    paragraph after it, so that the document inserted after the heading is in the heading's section, not the
    next part's (which may be landscape)."""
    from copy import deepcopy

    from docx.oxml.ns import qn

    ppr = heading.find(qn("w:pPr"))
    sect = ppr.find(qn("w:sectPr")) if ppr is not None else None
    if sect is None:
        return
    ppr.remove(sect)
    end = deepcopy(heading)
    for child in list(end):
        if child.tag != qn("w:pPr"):
            end.remove(child)
    end_ppr = end.find(qn("w:pPr"))
    for child in list(end_ppr):
        end_ppr.remove(child)
    end_ppr.append(sect)
    heading.addnext(end)


def _is_heading(p) -> bool:
    """Whether a paragraph is in an outline level (a heading our writer made, with its 目录 bookmark)."""
    from docx.oxml.ns import qn

    return any(True for _ in p.iter(qn("w:bookmarkStart"))) or any(True for _ in p.iter(qn("w:outlineLvl")))
