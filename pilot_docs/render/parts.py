"""Long documents laid out part by part, so that memory stays bounded whatever their length.

WeasyPrint keeps every laid-out page of a document in memory until it writes the PDF: about 2 MB a page for our
tables, so a province's 1,000-page summary would need gigabytes. A `<section class="part">` always begins on a new
page, so the pages before it never depend on what follows: each part can be laid out on its own and the PDFs
joined, giving the pages a single layout would give. `split_parts` cuts the HTML at the parts (at any depth: a
part inside a part is cut out of it, wrapped in its parent's tags so that it keeps their styles and named page);
content that follows a part in the same parent stays with that part, because it flows on from the part's last
page. `render_pdf` lays out each piece with its first page number and side (odd pages right) and joins them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

_SECTION = re.compile(r"<section\b[^>]*>|</section\s*>")
_PART = re.compile(r"""^<section\b[^>]*\bclass\s*=\s*["'][^"']*\bpart\b""")
_BODY = re.compile(r"<body\b[^>]*>")
_BODY_END = re.compile(r"</body\s*>")


@dataclass
class _Node:
    """A <section> of the document: where its tags are, and its sections."""

    start: int  # offset of "<section"
    open_end: int  # offset after its start tag
    close: int  # offset of "</section>"
    end: int  # offset after its end tag
    part: bool
    children: list[_Node]


def _sections(html: str, start: int, stop: int) -> list[_Node]:
    """The top-level sections between two offsets, each with its nested sections."""
    stack: list[tuple[int, int, bool, list[_Node]]] = []
    top: list[_Node] = []
    for match in _SECTION.finditer(html, start, stop):
        if not match.group(0).startswith("</"):
            stack.append((match.start(), match.end(), bool(_PART.match(match.group(0))), []))
            continue
        if not stack:
            continue  # a stray end tag: the vocabulary's parser has already refused such HTML
        s, open_end, part, children = stack.pop()
        node = _Node(s, open_end, match.start(), match.end(), part, children)
        (stack[-1][3] if stack else top).append(node)
    return top


def _has_part(node: _Node) -> bool:
    return node.part or any(_has_part(c) for c in node.children)


def _segments(html: str, start: int, stop: int, nodes: list[_Node]) -> list[str]:
    """html[start:stop] cut before each part at any depth. The first segment is what precedes the first part;
    each other one begins with a part. A part cut out of its parent is wrapped in the parent's tags."""
    segments, pos = [""], start
    for node in nodes:
        if not _has_part(node):
            continue  # plain content: taken with the text around it
        if node.part:
            segments[-1] += html[pos:node.start]
            segments.append("")
            pos = node.start
        if any(_has_part(c) for c in node.children):
            open_tag = html[node.start:node.open_end]
            inner = _segments(html, node.open_end, node.close, node.children)
            segments[-1] += html[pos:node.open_end] + inner[0] + "</section>"
            segments.extend(open_tag + segment + "</section>" for segment in inner[1:])
            pos = node.end
    segments[-1] += html[pos:stop]
    return segments


def split_parts(html: str) -> list[str]:
    """The document as one or more complete HTML documents, cut before each `section.part` (see the module).

    Joined, the pieces' bodies hold the whole body in order (with a parent's tags repeated around the parts cut
    out of it)."""
    body = _BODY.search(html)
    end = _BODY_END.search(html, body.end()) if body else None
    if body is None or end is None:
        return [html]
    nodes = _sections(html, body.end(), end.start())
    if not any(_has_part(n) for n in nodes):
        return [html]
    pieces = _segments(html, body.end(), end.start(), nodes)
    if not pieces[0].strip():
        pieces = pieces[1:]  # the body begins with a part
    head, tail = html[: body.end()], html[end.start():]
    return [head + piece + tail for piece in pieces]


@dataclass
class Laid:
    """A piece of a document laid out from a first page number."""

    pdf: bytes | None  # its PDF (None when only its layout was asked for)
    pages: int
    marks: list[tuple[str, int, int]]  # its bookmarks (title, level, page number in the whole document)
    own_page: bool = False  # its 版记 was moved to a page of its own
    rows: list = field(default_factory=list)  # its 目录 rows (page, rectangle, entry), see toc_rows


def lay_out_pieces(pieces: list[str], lay_out: Callable[[str, int, bool], Laid], numbers, base_url,
                   write: bool) -> tuple[list[bytes], Laid]:
    """The pieces of a document laid out one after the other, page numbers running on (both PDF engines):
    `lay_out(piece, first_page, last)` lays out one of ours; an agency's own document (external.py) takes its
    pages, numbered on by `numbers(first, sides)` (the engine's PDF of page numbers alone), with its bookmark.
    The pieces' PDFs (when `write`), and the whole as one Laid (its pdf None)."""
    from .external import external_part, place_pdf

    pdfs: list[bytes] = []
    whole = Laid(None, 0, [])
    first_page = 1
    while pieces:
        piece = pieces.pop(0)  # let each piece's HTML go once it is laid out
        external = external_part(piece)
        if external is not None:  # an agency's own document: its pages, numbered on (external.py)
            placed = place_pdf(external, base_url, first_page, numbers, write)
            whole.marks.append((external.title, external.level, placed.first))
            first_page += placed.pages
            pdfs.extend([placed.pdf] if write else [])
            continue
        laid = lay_out(piece, first_page, not pieces)
        del piece
        whole.own_page = whole.own_page or laid.own_page
        whole.rows.extend(laid.rows if write else [])
        whole.marks.extend(laid.marks)
        first_page += laid.pages
        if write:
            assert laid.pdf is not None
            pdfs.append(laid.pdf)
    whole.pages = first_page - 1
    return pdfs, whole


def joined_pdf(pdfs: list[bytes], whole: Laid) -> bytes:
    """The document's PDF from its pieces' (lay_out_pieces): one piece as it is, unless its 目录 rows become
    links; else the pieces joined, with one outline and the 目录's links."""
    if len(pdfs) == 1 and not whole.rows:
        return pdfs[0]
    return join_pdfs(pdfs, whole.marks, toc_links(whole.rows, whole.marks))


TOC_TABLE = re.compile(r"""<table\b[^>]*\bclass\s*=\s*["'][^"']*\btoc\b""")
PX = 0.75  # points per CSS pixel


def toc_rows(document, first_page: int) -> list[tuple[int, tuple[float, float, float, float], str]]:
    """The rows of the 目录 (table.toc) of a laid-out piece: (page number, rectangle in PDF points from the
    page's lower left, the entry's text), from WeasyPrint's layout."""
    from weasyprint.formatting_structure import boxes

    rows: list[tuple[int, tuple[float, float, float, float], str]] = []

    def text_of(box) -> str:
        if isinstance(box, boxes.TextBox):
            return box.text
        return "".join(text_of(child) for child in getattr(box, "children", ()))

    def walk(box, in_toc: bool, page: int, height: float) -> None:
        if isinstance(box, boxes.TableBox) and box.element is not None:
            in_toc = "toc" in (box.element.get("class") or "").split()
        if in_toc and isinstance(box, boxes.TableRowBox):
            x, y = box.position_x * PX, box.position_y * PX
            rect = (x, height - y - box.border_height() * PX, x + box.border_width() * PX, height - y)
            rows.append((page, rect, text_of(box.children[0]) if box.children else ""))
            return
        for child in getattr(box, "children", ()):
            walk(child, in_toc, page, height)

    for n, page in enumerate(document.pages):
        walk(page._page_box, False, first_page + n, page.height * PX)
    return rows


def toc_links(rows: list[tuple[int, tuple[float, float, float, float], str]],
              marks: list[tuple[str, int, int]]) -> list[tuple[int, tuple[float, float, float, float], int]]:
    """Each 目录 row with the page it names: (page of the row, its rectangle, target page). An entry names the
    next bookmark (in order) whose title it is, or ends with (as 一、 before a part's title), as the DOCX's TOC
    field links its entries to bookmarks."""
    def squash(text: str) -> str:
        return "".join(text.split())

    links, cursor = [], 0
    for page, rect, text in rows:
        entry = squash(text)
        if not entry:
            continue
        titles = [squash(title) for title, _, _ in marks[cursor:]]
        found = next((j for j, t in enumerate(titles) if t == entry), None)
        if found is None:
            found = next((j for j, t in enumerate(titles) if t and entry.endswith(t)), None)
        if found is None:
            continue
        links.append((page, rect, marks[cursor + found][2]))
        cursor += found + 1
    return links


def _let_go(writer, reader) -> None:
    """Let a part's reader go once its pages are copied: pypdf keeps every reader it copied from alive, with all
    it parsed (its objects' translation, each copied page's `original_page`, the pages merged in), so a province's
    volume held its 37 parts' objects twice until the PDF was written. None of it is written to the PDF; with a
    pypdf that keeps them otherwise, this lets go of what it can."""
    writer.reset_translation(reader)
    merged = getattr(writer, "_merged_in_pages", None)
    if isinstance(merged, dict):
        merged.clear()
    for page in writer.pages:
        page.__dict__.pop("original_page", None)


def join_pdfs(pdfs: list[bytes], marks: list[tuple[str, int, int]],
              links: list[tuple[int, tuple[float, float, float, float], int]] = ()) -> bytes:
    """The pieces' PDFs as one: their pages in order, the first one's metadata and language, one outline made
    from `marks` (title, level, page number), nested by level as WeasyPrint nests bookmarks, and a link
    annotation for each of `links` (page, rectangle, target page): the 目录's rows, which WeasyPrint could not
    link across pieces laid out apart."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import NameObject

    writer = PdfWriter()
    first = PdfReader(io.BytesIO(pdfs[0]))
    for data in pdfs:
        reader = PdfReader(io.BytesIO(data))
        writer.append(reader, import_outline=False)
        _let_go(writer, reader)
    if first.metadata:
        writer.add_metadata({key: value for key, value in first.metadata.items()})
    for key in ("/Lang", "/PageMode", "/ViewerPreferences"):
        if key in first.trailer["/Root"]:
            writer._root_object[NameObject(key)] = first.trailer["/Root"][key]
    parents: list[tuple[int, object]] = []  # (level, outline item) of the open ancestors
    for title, level, page in marks:
        while parents and parents[-1][0] >= level:
            parents.pop()
        item = writer.add_outline_item(title=title, page_number=page - 1, parent=parents[-1][1] if parents else None)
        parents.append((level, item))
    for page, rect, target in links:
        writer.add_annotation(page - 1, Link(rect=rect, target_page_index=target - 1, border=[0, 0, 0]))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
